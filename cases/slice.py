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
from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from base.rows import json_rows, typed

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
    """Slices of ``cases`` (already scoped by the permission module) in a fixed number of queries:
    one for the cases, their responsible professional, domains and the lists, each read as
    JSON with the case row from its allow-list, and one per record of an app above ``cases``.

    ``with_journal`` adds the shared journal and, for ``viewer``, their own agreements and visits.
    """
    lists = {
        "responsible_rows": json_rows(
            CaseMembership.objects.filter(
                case_id=OuterRef("pk"), role=MembershipRole.RESPONSIBLE, ended_at__isnull=True
            ),
            "case_id",
            **_fields(RESPONSIBLE_FIELDS),
        ),
        "domain_rows": json_rows(
            Case.domains.through.objects.filter(case_id=OuterRef("pk")), "case_id", code=F("lifedomain__code")
        ),
    }
    if with_journal:
        # The id only orders entries of the same moment (the model's ordering); it is not shown.
        lists["journal_rows"] = json_rows(
            JournalEntry.objects.filter(case_id=OuterRef("pk"), visibility=JournalVisibility.SHARED),
            "case_id",
            **_fields({**JOURNAL_FIELDS, "id": "order"}),
        )
    if with_journal and viewer is not None:
        lists["agreement_rows"] = json_rows(
            Agreement.objects.filter(case_id=OuterRef("pk"), assignee=viewer),
            "case_id",
            **_fields(OWN_AGREEMENT_FIELDS),
        )
        lists["visit_rows"] = json_rows(
            HomeVisit.objects.filter(case_id=OuterRef("pk"), visitor=viewer), "case_id", **_fields(OWN_VISIT_FIELDS)
        )
    rows = list(cases.annotate(**lists).values(*CASE_FIELDS, *RESIDENT_FIELDS, *lists).order_by("-id"))
    sections = slice_sections([row["id"] for row in rows], viewer) if with_journal and viewer is not None else {}
    return [_slice(row, sections.get(row["id"], {})) for row in rows]


def _fields(allow_list: dict[str, str]) -> dict[str, F]:
    return {name: F(name) for name in allow_list}


def _slice(row: dict, sections: dict) -> CaseSlice:
    responsible = next(iter(typed(CaseMembership, row["responsible_rows"], RESPONSIBLE_FIELDS)), {})
    journal = typed(JournalEntry, row.get("journal_rows"), {**JOURNAL_FIELDS, "id": "order"})
    agreements = typed(Agreement, row.get("agreement_rows"), OWN_AGREEMENT_FIELDS)
    visits = typed(HomeVisit, row.get("visit_rows"), OWN_VISIT_FIELDS)
    return CaseSlice(
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
        responsible_name=_name(responsible.get("user__first_name", ""), responsible.get("user__last_name", "")),
        responsible_phone=responsible.get("user__phone", ""),
        domains=tuple(sorted(str(LifeDomainCode(domain["code"]).label) for domain in row["domain_rows"] or [])),
        journal=tuple(
            SharedJournalEntry(
                created_at=entry["created_at"],
                author_name=_name(entry["author__first_name"], entry["author__last_name"]),
                text=entry["text"],
            )
            for entry in sorted(journal, key=lambda entry: (entry["created_at"], entry["id"]), reverse=True)
        ),
        my_agreements=tuple(
            OwnAgreement(**agreement)
            for agreement in sorted(
                agreements,
                key=lambda agreement: (
                    agreement["due_on"] is None,
                    agreement["due_on"] or datetime.date.min,
                    agreement["id"],
                ),
            )
        ),
        my_visits=tuple(
            OwnVisit(**visit)
            for visit in sorted(visits, key=lambda visit: (visit["visited_on"], visit["id"]), reverse=True)
        ),
        sections=sections,
    )


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
