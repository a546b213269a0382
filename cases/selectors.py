"""Reads of the case file, always scoped by :mod:`cases.permissions`.

A case outside the scope raises ``Http404``, exactly like one that does not exist.
Reads of a file or a slice write an access entry (who read what, through which view).
"""

from __future__ import annotations

from dataclasses import dataclass

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from accounts.models import User

from .audit import log_access
from .constants import MembershipRole
from .models import Case, CaseMembership, JournalEntry, VolunteerConsent
from .permissions import CaseAction, can, cases_for, visible_cases
from .slice import CaseSlice, build_slices


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


@dataclass
class CaseFile:
    """Everything a professional sees on the case page."""

    case: Case
    memberships: list[CaseMembership]
    consents: list[VolunteerConsent]
    journal: list[JournalEntry]
    history: list[LogEntry]
    can_change: bool
    can_close: bool
    can_reopen: bool

    @property
    def responsible(self) -> CaseMembership | None:
        return next((m for m in self.memberships if m.role == MembershipRole.RESPONSIBLE and m.is_open), None)

    @property
    def current_consent(self) -> VolunteerConsent | None:
        return self.consents[0] if self.consents else None


def case_file(*, user: User, case_id: int) -> CaseFile:
    """The full case file for a professional; logs the read (access entry)."""
    case = (
        visible_cases(user)
        .select_related("resident__village", "team")
        .prefetch_related("domains", "topics", "home_visits__visitor", "agreements__assignee")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    log_access(actor=user, instance=case, view="case_file")
    memberships = list(case.memberships.select_related("user").order_by("ended_at", "role", "started_at"))
    history = list(
        LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Case), object_id=case.pk)
        .select_related("actor")
        .order_by("-timestamp")[:50]
    )
    allowed = {
        action for action in (CaseAction.CHANGE_FILE, CaseAction.CLOSE, CaseAction.REOPEN) if can(user, action, case)
    }
    return CaseFile(
        case=case,
        memberships=memberships,
        consents=list(case.consents.select_related("asked_by", "withdrawn_by")),
        journal=list(case.journal_entries.select_related("author")),
        history=history,
        can_change=CaseAction.CHANGE_FILE in allowed,
        can_close=CaseAction.CLOSE in allowed,
        can_reopen=CaseAction.REOPEN in allowed,
    )


def volunteer_cases(user: User) -> list[CaseSlice]:
    """The slices of the cases a volunteer is assigned to (R8). No model instance leaves here."""
    return build_slices(cases_for(user, CaseAction.VIEW_SLICE))


def volunteer_case(*, user: User, case_id: int) -> CaseSlice:
    """One slice, with the journal entries shared with volunteers; logs the read."""
    scoped = cases_for(user, CaseAction.VIEW_SLICE).filter(pk=case_id)
    slices = build_slices(scoped, with_journal=True)
    if not slices:
        raise Http404
    log_access(actor=user, instance=Case(pk=case_id), view="volunteer_slice")
    return slices[0]
