"""The right-of-access document (GDPR art. 15, and art. 20 for its JSON): everything we hold
about one resident, in words the resident can read.

Built from the registry of case-file records (``cases.records``), so no kind of record is
forgotten: one section per kind, each saying what it is, why we hold it (purpose and legal
basis) and until when; every field by its label, with names of people, teams and places
instead of ids, and local dates. Then who received data (volunteer staff on a case, offers the
resident was referred to) and who looked at the file, from the audit and access log in words
(``privacy.events``). The same document is the page, the PDF (one template,
``privacy/_document.html``) and the JSON (:meth:`AccessDocument.as_json`, keys documented in
``docs/privacy.md``).

Reading only: producing the document is logged and recorded by ``services.access_export``.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from accounts.models import User
from cases.constants import MembershipRole
from cases.models import Case, CaseMembership, HomeVisit, Meeting, Resident
from cases.records import CaseFileRecord, registry

from .events import describe

FORMAT = "wijkteam-right-of-access/1"  # the JSON's "format": its keys change only with this name
LANGUAGES = ("nl", "en")
# Bookkeeping the resident has no use for: the record's own number and its link to the file.
HIDDEN = frozenset({"id", "resident", "version"})
RESIDENT = Resident._meta.model_name


@dataclass(frozen=True)
class Fact:
    """One field of one record: its label and text for people, its value for machines."""

    key: str
    label: str
    text: str
    value: Any


@dataclass(frozen=True)
class Group:
    """The records of one kind that belong to one request for help (or to none)."""

    heading: str
    case: str | None  # the request's reference, None above case level
    items: list[list[Fact]]


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    description: str
    purpose: str
    legal_basis: str
    retention: str
    groups: list[Group]

    @property
    def count(self) -> int:
        return sum(len(group.items) for group in self.groups)


@dataclass(frozen=True)
class Recipient:
    """Someone outside the team's professionals who received data from the file."""

    name: str
    kind: str
    case: str
    since: datetime.date | None
    until: datetime.date | None


@dataclass(frozen=True)
class Look:
    """One read or change of the file: when, who and in which role, what."""

    when: datetime.datetime
    who: str
    role: str
    what: str


@dataclass(frozen=True)
class AccessDocument:
    language: str
    generated_at: datetime.datetime
    resident_name: str
    municipality: str
    details: list[Fact]
    sections: list[Section]
    recipients: list[Recipient]
    looks: list[Look]

    def as_json(self) -> dict:
        """Machine-readable (art. 20): stable English keys, ISO 8601 dates and times with their
        offset, people and places by name, choices in the document's language."""
        return {
            "format": FORMAT,
            "language": self.language,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "resident": {fact.key: fact.value for fact in self.details},
            "records": {
                section.key: [
                    {"case": group.case, **{fact.key: fact.value for fact in item}}
                    for group in section.groups
                    for item in group.items
                ]
                for section in self.sections
                if section.key != RESIDENT
            },
            "recipients": [
                {
                    "name": r.name,
                    "kind": r.kind,
                    "case": r.case,
                    "from": _iso(r.since),
                    "until": _iso(r.until),
                }
                for r in self.recipients
            ],
            "access_log": [
                {"when": look.when.isoformat(timespec="seconds"), "who": look.who, "role": look.role, "what": look.what}
                for look in self.looks
            ],
        }


def build(resident: Resident, *, language: str = "nl") -> AccessDocument:
    """The document for ``resident`` in ``language`` ("nl" or "en"). A fixed number of queries:
    per kind of record one (plus its many-to-many fields), then the recipients and the log."""
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}")
    with override(language):
        return _build(resident, language)


def _build(resident: Resident, language: str) -> AccessDocument:
    cases = {
        case.pk: case
        for case in Case.objects.filter(resident=resident).select_related("team__municipality").order_by("pk")
    }
    sections: list[Section] = []
    details: list[Fact] = []
    for record in registry:
        rows = list(_rows(record, resident))
        if record.model is Resident:
            details = _facts(record, rows[0]) if rows else []
        sections.append(_section(record, rows, cases))
    latest = cases[max(cases)] if cases else None
    municipality = latest.team.municipality.name if latest else ""
    return AccessDocument(
        language=language,
        generated_at=timezone.localtime(),
        resident_name=resident.full_name,
        municipality=municipality,
        details=details,
        sections=sections,
        recipients=_recipients(list(cases.values())),
        looks=_looks(resident, list(cases)),
    )


def _rows(record: CaseFileRecord, resident: Resident) -> QuerySet:
    fields = record.export_fields()
    relations = [f.name for f in fields if f.many_to_one and f.name not in HIDDEN]
    m2m = [f.name for f in fields if f.many_to_many]
    return record.of_residents([resident.pk]).select_related(*relations).prefetch_related(*m2m).order_by("pk")


def _section(record: CaseFileRecord, rows: list, cases: dict[int, Case]) -> Section:
    groups: dict[int | None, list[list[Fact]]] = {}
    for row in rows:
        case_id = _case_id(row, record.case_path) if record.case_path is not None else None
        groups.setdefault(case_id, []).append(_facts(record, row))
    return Section(
        key=record.key,
        title=str(record.title),
        description=str(record.description),
        purpose=str(record.purpose),
        legal_basis=str(record.legal_basis),
        retention=str(record.retention),
        groups=[
            Group(
                heading=_case_heading(cases[case_id]) if case_id in cases else "",
                case=cases[case_id].reference if case_id in cases else None,
                items=items,
            )
            for case_id, items in groups.items()
        ],
    )


def _case_heading(case: Case) -> str:
    return _("Request for help %(ref)s, %(team)s, since %(date)s") % {
        "ref": case.reference,
        "team": case.team.name,
        "date": date_format(timezone.localtime(case.opened_at).date(), "j F Y"),
    }


def _case_id(row: models.Model, case_path: str) -> int:
    if not case_path:
        return row.pk
    *hops, last = case_path.split("__")
    for hop in hops:
        row = getattr(row, hop)
    return getattr(row, f"{last}_id")


def _facts(record: CaseFileRecord, row: models.Model) -> list[Fact]:
    facts = []
    for field in record.export_fields():
        if field.name in HIDDEN or (record.case_path == "case" and field.name == "case"):
            continue
        value = _value(row, field, record.choice_lists.get(field.name))
        facts.append(
            Fact(key=field.name, label=str(field.verbose_name).capitalize(), text=_text(value), value=_json(value))
        )
    return facts


def _value(row: models.Model, field: models.Field, choices: type[models.TextChoices] | None) -> Any:
    """The field's value with every code, id and object turned into what it means."""
    if field.many_to_many:
        return [str(item) for item in getattr(row, field.name).all()]
    value = getattr(row, field.name)
    if value is None or value == "":
        return None
    if field.choices:
        return str(getattr(row, f"get_{field.name}_display")())
    if choices is not None and isinstance(value, list):
        labels = dict(choices.choices)
        return [str(labels.get(code, code)) for code in value]
    if isinstance(value, models.Model):
        return _object(value)
    return value


def _object(value: models.Model) -> str:
    """A related record by name: a person, team or place by its name; a record of the file by
    what it is, never by its number alone."""
    if isinstance(value, User):
        return value.display_name
    if isinstance(value, Case):
        return _("request for help %(ref)s") % {"ref": value.reference}
    if isinstance(value, Meeting):
        return _("team meeting in the week of %(date)s") % {"date": date_format(value.week_start, "j F Y")}
    if isinstance(value, HomeVisit):
        return _("home visit of %(date)s") % {"date": date_format(value.visited_on, "j F Y")}
    return str(value)


def _text(value: Any) -> str:
    """The value as the resident reads it, in the active language."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime.datetime):
        return date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j F Y")
    if isinstance(value, datetime.time):
        return time_format(value, "H:i")
    if isinstance(value, list):
        return ", ".join(map(str, value))
    return str(value)


def _json(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


def _iso(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None


def _recipients(cases: list[Case]) -> list[Recipient]:
    """Volunteer staff who joined a case; offers the resident was referred to come from the
    referrals section (the app sends them nothing, so they are not recipients of data)."""
    memberships = (
        CaseMembership.objects.filter(case__in=cases, role=MembershipRole.VOLUNTEER)
        .select_related("user", "case")
        .order_by("started_at", "pk")
    )
    return [
        Recipient(
            name=membership.user.display_name,
            kind=str(MembershipRole.VOLUNTEER.label),
            case=membership.case.reference,
            since=timezone.localtime(membership.started_at).date() if membership.started_at else None,
            until=timezone.localtime(membership.ended_at).date() if membership.ended_at else None,
        )
        for membership in memberships
    ]


def _looks(resident: Resident, case_ids: list[int]) -> list[Look]:
    events = describe(entries_about(resident, case_ids).order_by("timestamp", "pk"), to_resident=True)
    return [Look(when=e.when, who=e.who, role=e.roles or "—", what=e.what) for e in events]


def entries_about(resident: Resident, case_ids: Iterable[int]) -> QuerySet[LogEntry]:
    """Audit and access entries about the resident, their cases and every record on them."""
    resident_type = ContentType.objects.get_for_model(Resident)
    case_type = ContentType.objects.get_for_model(Case)
    case_ids = list(case_ids)
    return LogEntry.objects.filter(
        Q(content_type=resident_type, object_id=resident.pk)
        | Q(content_type=case_type, object_id__in=case_ids)
        | Q(additional_data__case_id__in=case_ids)
    ).select_related("actor", "content_type")
