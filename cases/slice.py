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
from django.db.models import QuerySet
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
}


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
