"""The volunteer slice: the very limited part of a case file volunteer staff see (R8).

An explicit allow-list per source, and nothing else. Rows are read with ``.values()`` on
exactly these fields and turned into frozen dataclasses, so volunteer templates and
responses never hold a ``Case`` or ``Resident`` instance and cannot reach, say,
``case.resident.date_of_birth`` by accident. ``docs/privacy.md`` documents the same table;
``tests/cases/test_slice_allow_list.py`` keeps both in step.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet

from .constants import CaseStatus, JournalVisibility, LifeDomainCode, MembershipRole, Urgency
from .models import Case, CaseMembership, JournalEntry

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


@dataclass(frozen=True)
class SharedJournalEntry:
    created_at: datetime.datetime
    author_name: str
    text: str


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

    @property
    def reference(self) -> str:
        return f"#{self.id}"

    @property
    def status_label(self) -> str:
        return CaseStatus(self.status).label

    @property
    def urgency_label(self) -> str:
        return Urgency(self.urgency).label


def build_slices(cases: QuerySet[Case], *, with_journal: bool = False) -> list[CaseSlice]:
    """Slices of ``cases`` (already scoped by the permission module) in a fixed number of queries."""
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
        )
        for row in rows
    ]


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()
