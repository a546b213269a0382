"""The case file as professionals read it: the team's cases, one file, its history and people.

A case outside the reader's scope raises ``Http404``, exactly like one that does not exist;
reading a file writes an access entry (who read what, through which view).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from base.rows import json_rows, moment

from ..constants import LifeDomainCode, MembershipRole, TopicCode
from ..models import (
    Agreement,
    Alarm,
    Case,
    CaseInterest,
    CaseMembership,
    DeclineReason,
    HomeVisit,
    InterestAnswer,
    JournalEntry,
    VolunteerConsent,
)
from ..permissions import CaseAction, action_answers, cases_for, eligible_volunteers, visible_cases
from ..records import file_sections


def team_cases(user: User) -> QuerySet[Case]:
    """The cases whose file ``user`` may read, with what a list row shows, in fixed queries."""
    responsible = CaseMembership.objects.filter(role=MembershipRole.RESPONSIBLE, ended_at__isnull=True).select_related(
        "user"
    )
    return (
        visible_cases(user)
        .select_related("resident__village", "team")
        .prefetch_related("domains", Prefetch("memberships", queryset=responsible, to_attr="responsible_memberships"))
        .order_by("-opened_at", "-pk")
    )


@dataclass(frozen=True)
class AlarmLine:
    """An alarm volunteer staff raised on the case (R11), as the case page lists it."""

    volunteer: str
    raised_at: datetime.datetime
    note: str
    resolved_at: datetime.datetime | None
    resolved_by: str  # "" while not followed up


@dataclass(frozen=True)
class DeclineLine:
    """Volunteer staff who declined the case — a proposal or on the board — with their reason
    (R7), as the case page lists it. Seen by professionals only."""

    volunteer: str
    reason: str  # the reason's label, "" without one
    note: str
    answered_at: datetime.datetime


@dataclass
class CaseFile:
    """Everything a professional sees on the case page."""

    case: Case
    memberships: list[CaseMembership]
    consents: list[VolunteerConsent]
    journal: list[JournalEntry]
    can_change: bool
    can_close: bool
    can_reopen: bool
    sections: dict = field(default_factory=dict)  # records of apps above cases (records.section_readers)
    domains: list[str] = field(default_factory=list)  # the labels of its life domains, in their fixed order
    topics: list[str] = field(default_factory=list)
    alarms: list[AlarmLine] = field(default_factory=list)  # newest first
    declines: list[DeclineLine] = field(default_factory=list)  # newest first

    @property
    def referrals(self) -> list:
        return self.sections.get("referrals", [])

    @property
    def responsible(self) -> CaseMembership | None:
        return next((m for m in self.memberships if m.role == MembershipRole.RESPONSIBLE and m.is_open), None)

    @property
    def current_consent(self) -> VolunteerConsent | None:
        return self.consents[0] if self.consents else None

    @property
    def lately(self) -> list[Happening]:
        """What happened lately, for the top of the file: the newest journal entries and home
        visits together, newest first. From what the file has loaded already: no queries."""
        happenings = [
            Happening(
                when=timezone.localtime(entry.created_at).date(),
                who=entry.author.display_name,
                kind="journal",
                text=entry.text,
            )
            for entry in self.journal
        ] + [
            Happening(when=visit.visited_on, who=visit.visitor.display_name, kind="visit", text=visit.summary)
            for visit in self.case.home_visits.all()
        ]
        return sorted(happenings, key=lambda happening: happening.when, reverse=True)[:LATELY]


LATELY = 4


@dataclass(frozen=True)
class Happening:
    when: datetime.date
    who: str
    kind: str  # "journal" or "visit"
    text: str


FILE_ACTIONS = (CaseAction.CHANGE_FILE, CaseAction.CLOSE, CaseAction.REOPEN)


def case_file(*, user: User, case_id: int) -> CaseFile:
    """The full case file for a professional, or 404. Reading it for a page goes through
    ``services.case_file_read``, which records the read (access entry).

    A fixed number of queries, however thick the file: the case row, which also brings the
    reader's permission answers (``permissions.action_answers``: ``can``'s rule), its life domains
    and topics, and its two short lists from volunteer staff (alarms, declines) as JSON; then
    one query per list the page shows (visits, agreements, people, records of apps above
    ``cases`` such as referrals, consents, journal). The history, folded away on the page, is
    read when it is opened (:func:`case_history`, ``services.case_history_read``)."""
    case = (
        cases_for(user, CaseAction.VIEW_FILE, case_id=case_id)
        .select_related("resident__village", "team")
        .annotate(
            **action_answers(user, FILE_ACTIONS),
            domain_rows=json_rows(
                Case.domains.through.objects.filter(case_id=OuterRef("pk")),
                "case_id",
                id=F("lifedomain_id"),
                code=F("lifedomain__code"),
            ),
            topic_rows=json_rows(
                Case.topics.through.objects.filter(case_id=OuterRef("pk")),
                "case_id",
                id=F("topic_id"),
                code=F("topic__code"),
            ),
            alarm_rows=json_rows(
                Alarm.objects.filter(case_id=OuterRef("pk")),
                "case_id",
                **_person("volunteer"),
                **_person("resolved_by"),
                raised_at=F("raised_at"),
                resolved_at=F("resolved_at"),
                note=F("note"),
            ),
            decline_rows=json_rows(
                CaseInterest.objects.filter(case_id=OuterRef("pk"), answer=InterestAnswer.DECLINED),
                "case_id",
                **_person("volunteer"),
                reason=F("reason"),
                note=F("note"),
                answered_at=F("answered_at"),
            ),
        )
        .prefetch_related(
            Prefetch("home_visits", queryset=HomeVisit.objects.select_related("visitor")),
            Prefetch("agreements", queryset=Agreement.objects.select_related("assignee")),
        )
        .first()
    )
    if case is None:
        raise Http404
    memberships = list(case.memberships.select_related("user").order_by("ended_at", "role", "started_at"))
    return CaseFile(
        sections=file_sections([case.pk]).get(case.pk, {}),
        case=case,
        memberships=memberships,
        consents=list(case.consents.select_related("asked_by", "withdrawn_by")),
        journal=list(case.journal_entries.select_related("author")),
        can_change=bool(getattr(case, CaseAction.CHANGE_FILE.name, False)),
        can_close=bool(getattr(case, CaseAction.CLOSE.name, False)),
        can_reopen=bool(getattr(case, CaseAction.REOPEN.name, False)),
        domains=_labels(case.domain_rows, LifeDomainCode),
        topics=_labels(case.topic_rows, TopicCode),
        alarms=sorted(
            (
                AlarmLine(
                    volunteer=_name(row, "volunteer"),
                    raised_at=moment(row["raised_at"]),
                    note=row["note"],
                    resolved_at=moment(row["resolved_at"]),
                    resolved_by=_name(row, "resolved_by"),
                )
                for row in case.alarm_rows or []
            ),
            key=lambda alarm: alarm.raised_at,
            reverse=True,
        ),
        declines=sorted(
            (
                DeclineLine(
                    volunteer=_name(row, "volunteer"),
                    reason=str(DeclineReason(row["reason"]).label) if row["reason"] in DeclineReason.values else "",
                    note=row["note"],
                    answered_at=moment(row["answered_at"]),
                )
                for row in case.decline_rows or []
            ),
            key=lambda decline: decline.answered_at,
            reverse=True,
        ),
    )


# --- the case row's extras (one query for the case) ----------------------------------------


def _person(relation: str) -> dict:
    """The fields ``User.display_name`` is made of, of the user at ``relation``."""
    return {f"{relation}_{name}": F(f"{relation}__{name}") for name in ("first_name", "last_name", "username")}


def _name(row: dict, relation: str) -> str:
    if row.get(f"{relation}_username") is None:  # nobody (an alarm not followed up)
        return ""
    fields = {name: row[f"{relation}_{name}"] or "" for name in ("first_name", "last_name", "username")}
    return User(**fields).display_name


def _labels(rows: list[dict] | None, choices) -> list[str]:
    """The labels of life domains or topics, in their fixed order (by id, as ``Meta.ordering``)."""
    labels = dict(choices.choices)
    return [str(labels.get(row["code"], row["code"])) for row in sorted(rows or [], key=lambda row: row["id"])]


HISTORY_LIMIT = 100  # the newest entries the history shows


def case_history(case: Case, limit: int = HISTORY_LIMIT) -> list[LogEntry]:
    """Who changed what on the case file, and who read it, newest first: entries on the case
    itself and on the records that belong to it (their entries carry ``case_id``)."""
    case_type = ContentType.objects.get_for_model(Case)
    entries = list(
        LogEntry.objects.filter(Q(content_type=case_type, object_id=case.pk) | Q(additional_data__case_id=case.pk))
        .select_related("actor", "content_type")
        .order_by("-timestamp", "-pk")[:limit]
    )
    for entry in entries:
        model = entry.content_type.model_class()
        entry.record_label = model._meta.verbose_name if model else entry.content_type.model
        entry.changed_fields = []
        if entry.action == LogEntry.Action.UPDATE and model is not None:
            entry.changed_fields = [_field_label(model, name) for name in (entry.changes_dict or {})]
    return entries


def _field_label(model, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:  # a field that no longer exists
        return name


def case_people(case: Case) -> QuerySet[User]:
    """Who can take on an agreement: the people who work on the case now (a proposed volunteer
    who has not accepted does not, R7)."""
    return User.objects.filter(
        case_memberships__case=case,
        case_memberships__ended_at__isnull=True,
        case_memberships__accepted_at__isnull=False,
    ).order_by("first_name", "last_name")


def assignable_volunteers(case: Case) -> QuerySet[User]:
    """Volunteer staff who may join ``case`` (``permissions.eligible_volunteers``), by name."""
    return User.objects.filter(pk__in=eligible_volunteers(case).values("user_id")).order_by("first_name", "last_name")
