"""The volunteer slice: the very limited part of a case file volunteer staff see (R8).

An explicit allow-list per source, and nothing else. Rows are read with ``.values()`` on
exactly these fields and turned into frozen dataclasses, so volunteer templates and
responses never hold a ``Case`` or ``Resident`` instance and cannot reach, say,
``case.resident.date_of_birth`` by accident. ``docs/privacy.md`` documents the same table;
``tests/cases/test_privacy_doc.py`` keeps both in step. Records of apps above ``cases``
(referrals) declare their own allow-list in the registry (``cases.records``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from .constants import AgreementKind, CaseStatus, JournalVisibility, LifeDomainCode, MembershipRole, Urgency
from .models import Agreement, Case, CaseMembership, HomeVisit, JournalEntry
from .records import slice_sections

VISIT_CORRECTION_WINDOW = datetime.timedelta(hours=getattr(settings, "VISIT_CORRECTION_HOURS", 72))

# field name -> why a volunteer needs it (the purpose column of docs/privacy.md)
CASE_FIELDS = {
    "id": "refer to the case",
    "status": "know whether the case runs",
    "urgency": "plan the visit",
    "volunteer_summary": "know what the volunteer may know of the question",
    "team__name": "know which team the case belongs to",
}
RESIDENT_FIELDS = {
    "resident__first_name": "greet the resident",
    "resident__last_name": "greet the resident",
    "resident__street": "find the home for a home visit",
    "resident__house_number": "find the home for a home visit",
    "resident__postcode": "find the home for a home visit",
    "resident__village__name": "find the home for a home visit",
    "resident__phone": "make an appointment",
}
RESPONSIBLE_FIELDS = {
    "user__first_name": "know who is finally responsible (R9)",
    "user__last_name": "know who is finally responsible (R9)",
    "user__phone": "reach the responsible professional",
}
JOURNAL_FIELDS = {
    "created_at": "follow the case",
    "author__first_name": "know who wrote it",
    "author__last_name": "know who wrote it",
    "text": "only entries a professional marked as shared",
}
DOMAIN_FIELDS = {"domains__code": "know the life domains of the question"}
# The volunteer's *own* records on the case: the agreements given to them, the visits they logged.
OWN_AGREEMENT_FIELDS = {
    "id": "mark it done",
    "kind": "know what kind of task it is",
    "description": "know what to do",
    "due_on": "know by when",
    "done_at": "know whether it is done",
}
OWN_VISIT_FIELDS = {
    "id": "correct one's own visit",
    "visited_on": "see one's own visits",
    "duration_minutes": "see one's own visits",
    "summary": "see one's own visits",
    "created_at": "know whether it can still be corrected",
    "follow_up_on": "know the next appointment",
}


# A proposal (R7): just enough to know whether one knows the resident; no house number, no
# request, no summary, no domains. ``selectors.volunteer_proposals`` reads exactly these.
PROPOSAL_FIELDS = {
    "case__resident__first_name": "know whether one knows the resident (R7)",
    "case__resident__last_name": "know whether one knows the resident (R7)",
    "case__resident__street": "know whether one knows the resident (R7)",
}


@dataclass(frozen=True)
class Proposal:
    """A proposal as the proposed volunteer sees it: the resident's name and street, no more."""

    id: int  # the membership
    case_id: int
    first_name: str
    last_name: str
    street: str

    @property
    def resident_name(self) -> str:
        return _name(self.first_name, self.last_name)


@dataclass(frozen=True)
class SharedJournalEntry:
    created_at: datetime.datetime
    author_name: str
    text: str


@dataclass(frozen=True)
class OwnAgreement:
    id: int
    kind: str
    description: str
    due_on: datetime.date | None
    done_at: datetime.datetime | None

    @property
    def kind_label(self) -> str:
        return AgreementKind(self.kind).label


@dataclass(frozen=True)
class OwnVisit:
    id: int
    visited_on: datetime.date
    duration_minutes: int
    summary: str
    created_at: datetime.datetime
    follow_up_on: datetime.datetime | None = None

    @property
    def correctable(self) -> bool:
        return timezone.now() - self.created_at <= VISIT_CORRECTION_WINDOW


@dataclass(frozen=True)
class CaseSlice:
    id: int
    status: str
    urgency: str
    volunteer_summary: str
    team_name: str
    resident_name: str
    address: str
    postcode: str
    village: str
    resident_phone: str
    responsible_name: str
    responsible_phone: str
    domains: tuple[str, ...]
    journal: tuple[SharedJournalEntry, ...] = ()
    my_agreements: tuple[OwnAgreement, ...] = ()
    my_visits: tuple[OwnVisit, ...] = ()
    # Records of apps above cases that declared a slice allow-list (cases.records): referrals.
    sections: dict = field(default_factory=dict, compare=False)

    @property
    def referrals(self) -> list:
        return self.sections.get("referrals", [])

    @property
    def next_appointment(self) -> datetime.datetime | None:
        """The earliest follow-up appointment still to come of the viewer's own visits."""
        now = timezone.now()
        return min((v.follow_up_on for v in self.my_visits if v.follow_up_on and v.follow_up_on >= now), default=None)

    @property
    def reference(self) -> str:
        return f"#{self.id}"

    @property
    def status_label(self) -> str:
        return CaseStatus(self.status).label

    @property
    def urgency_label(self) -> str:
        return Urgency(self.urgency).label


def build_slices(cases: QuerySet[Case], *, with_journal: bool = False, viewer=None) -> list[CaseSlice]:
    """Slices of ``cases`` (already scoped by the permission module) in a fixed number of queries.

    ``with_journal`` adds the shared journal and, for ``viewer``, their own agreements and visits.
    """
    rows = list(cases.values(*CASE_FIELDS, *RESIDENT_FIELDS).order_by("-id"))
    ids = [row["id"] for row in rows]
    responsible = {
        row["case_id"]: row
        for row in CaseMembership.objects.filter(
            case_id__in=ids, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True
        ).values("case_id", *RESPONSIBLE_FIELDS)
    }
    domains: dict[int, list[str]] = {}
    for row in Case.domains.through.objects.filter(case_id__in=ids).values("case_id", "lifedomain__code"):
        domains.setdefault(row["case_id"], []).append(str(LifeDomainCode(row["lifedomain__code"]).label))
    journal: dict[int, list[SharedJournalEntry]] = {}
    if with_journal:
        for row in JournalEntry.objects.filter(case_id__in=ids, visibility=JournalVisibility.SHARED).values(
            "case_id", *JOURNAL_FIELDS
        ):
            journal.setdefault(row["case_id"], []).append(
                SharedJournalEntry(
                    created_at=row["created_at"],
                    author_name=_name(row["author__first_name"], row["author__last_name"]),
                    text=row["text"],
                )
            )
    agreements: dict[int, list[OwnAgreement]] = {}
    visits: dict[int, list[OwnVisit]] = {}
    sections: dict[int, dict[str, list]] = {}
    if with_journal and viewer is not None:
        for row in Agreement.objects.filter(case_id__in=ids, assignee=viewer).values("case_id", *OWN_AGREEMENT_FIELDS):
            agreements.setdefault(row.pop("case_id"), []).append(OwnAgreement(**row))
        for row in HomeVisit.objects.filter(case_id__in=ids, visitor=viewer).values("case_id", *OWN_VISIT_FIELDS):
            visits.setdefault(row.pop("case_id"), []).append(OwnVisit(**row))
        sections = slice_sections(ids, viewer)
    return [
        CaseSlice(
            id=row["id"],
            status=row["status"],
            urgency=row["urgency"],
            volunteer_summary=row["volunteer_summary"],
            team_name=row["team__name"],
            resident_name=_name(row["resident__first_name"], row["resident__last_name"]),
            address=f"{row['resident__street']} {row['resident__house_number']}".strip(),
            postcode=row["resident__postcode"],
            village=row["resident__village__name"],
            resident_phone=row["resident__phone"],
            responsible_name=_name(
                responsible.get(row["id"], {}).get("user__first_name", ""),
                responsible.get(row["id"], {}).get("user__last_name", ""),
            ),
            responsible_phone=responsible.get(row["id"], {}).get("user__phone", ""),
            domains=tuple(sorted(domains.get(row["id"], []))),
            journal=tuple(journal.get(row["id"], [])),
            my_agreements=tuple(agreements.get(row["id"], [])),
            my_visits=tuple(visits.get(row["id"], [])),
            sections=sections.get(row["id"], {}),
        )
        for row in rows
    ]


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()


# --- My week (issue [12]) --------------------------------------------------------------------


@dataclass(frozen=True)
class WeekFollowUp:
    """A follow-up appointment of a home visit, as "My week" and the reminders count it."""

    case_id: int
    resident_name: str
    at: datetime.datetime
    visitor_name: str = ""  # empty: the reader made the appointment themselves


@dataclass(frozen=True)
class WeekAgreement:
    """An agreement that is not done, due by a date, as "My week" and the reminders count it."""

    id: int
    case_id: int
    resident_name: str
    kind: str
    description: str
    due_on: datetime.date
    assignee_name: str = ""  # empty: the reader's own task

    @property
    def kind_label(self) -> str:
        return AgreementKind(self.kind).label


def _allowed(allow_list: dict[str, str], *names: str) -> list[str]:
    """``names``, each of which must be on ``allow_list``: a new field read here without a
    purpose fails loudly instead of reaching a volunteer page."""
    missing = [name for name in names if name not in allow_list]
    if missing:
        raise KeyError(f"not on the slice allow-list: {missing}")
    return list(names)


def build_week(
    cases: QuerySet[Case],
    *,
    viewer,
    since: datetime.datetime,
    until: datetime.datetime,
    due_since: datetime.date | None,
    due_before: datetime.date,
    limit: int,
) -> tuple[list[WeekFollowUp], list[WeekAgreement]]:
    """The volunteer's part of "My week", from the allow-lists only (R8): follow-up
    appointments of their *own* visits on ``cases`` (already scoped to the slice) between
    ``since`` and ``until`` that no later visit of theirs has answered yet, and the tasks agreed
    for them that are not done, due before ``due_before`` (from ``due_since``; ``None``: also
    overdue ones). Two queries."""
    names = ["case__" + name for name in _allowed(RESIDENT_FIELDS, "resident__first_name", "resident__last_name")]
    answered = HomeVisit.objects.filter(
        case=OuterRef("case"), visitor=viewer, visited_on__gte=OuterRef("follow_up_day")
    ).exclude(pk=OuterRef("pk"))
    follow_ups = [
        WeekFollowUp(case_id=row["case_id"], resident_name=_name(row[names[0]], row[names[1]]), at=row["follow_up_on"])
        for row in HomeVisit.objects.filter(
            case__in=cases, visitor=viewer, follow_up_on__gte=since, follow_up_on__lt=until
        )
        .annotate(follow_up_day=TruncDate("follow_up_on"))
        .filter(~Exists(answered))
        .order_by("follow_up_on", "pk")
        .values("case_id", *names, *_allowed(OWN_VISIT_FIELDS, "follow_up_on"))[:limit]
    ]
    due = Agreement.objects.filter(case__in=cases, assignee=viewer, done_at__isnull=True, due_on__lt=due_before)
    if due_since is not None:
        due = due.filter(due_on__gte=due_since)
    agreements = [
        WeekAgreement(
            id=row["id"],
            case_id=row["case_id"],
            resident_name=_name(row[names[0]], row[names[1]]),
            kind=row["kind"],
            description=row["description"],
            due_on=row["due_on"],
        )
        for row in due.order_by("due_on", "pk").values(
            "case_id", *names, *_allowed(OWN_AGREEMENT_FIELDS, "id", "kind", "description", "due_on")
        )[:limit]
    ]
    return follow_ups, agreements
