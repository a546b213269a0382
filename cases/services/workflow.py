"""The case workflow: one transition table (``constants.TRANSITIONS``), checked here."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.facts import is_professional_of
from accounts.models import Team, User
from base.audit import acting_as

from ..constants import CaseStatus, MembershipRole, Outcome
from ..models import Case, CaseMembership
from ..permissions import CaseAction, sync_case_permissions
from ._common import end_memberships, join_now, locked, move, require, require_professional
from .people import case_set_responsible
from .retention import retention_until_for


def _step(*, actor: User, case: Case, target: CaseStatus) -> Case:
    require(actor, CaseAction.CHANGE_FILE, case)
    with acting_as(actor):
        case = locked(case)
        move(case, target)
        case.save()
        return case


@transaction.atomic
def case_start_triage(*, actor: User, case: Case) -> Case:
    return _step(actor=actor, case=case, target=CaseStatus.IN_TRIAGE)


@transaction.atomic
def case_hold(*, actor: User, case: Case) -> Case:
    return _step(actor=actor, case=case, target=CaseStatus.ON_HOLD)


@transaction.atomic
def case_resume(*, actor: User, case: Case) -> Case:
    return _step(actor=actor, case=case, target=CaseStatus.ACTIVE)


@transaction.atomic
def case_activate(*, actor: User, case: Case, responsible: User | None = None) -> Case:
    """Start working on the case; it needs exactly one responsible professional (R9)."""
    require(actor, CaseAction.CHANGE_FILE, case)
    with acting_as(actor):
        case = locked(case)
        if responsible is not None:
            case_set_responsible(actor=actor, case=case, professional=responsible)
        move(case, CaseStatus.ACTIVE)
        case.save()
        sync_case_permissions(case)
        return case


@transaction.atomic
def case_close(*, actor: User, case: Case, outcome: str, closing_note: str = "") -> Case:
    """Close the case. Only a professional holding ``close_case`` on it may (R9).

    Both are checked, as defence in depth: a wrong grant alone cannot let a volunteer or a
    coordinator close a case. Closing ends every volunteer's assignment and so their access.
    """
    require_professional(actor)
    require(actor, CaseAction.CLOSE, case)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    with acting_as(actor):
        case = locked(case)
        move(case, CaseStatus.CLOSED)
        now = timezone.now()
        case.outcome = outcome
        case.closing_note = closing_note
        case.closed_at = now
        case.retention_until = retention_until_for(case, timezone.localdate())
        case.version += 1
        case.save()
        end_memberships(CaseMembership.objects.filter(case=case, role=MembershipRole.VOLUNTEER), now)
        sync_case_permissions(case)
        return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, responsible: User | None = None) -> Case:
    """Reopen a closed case as active; a professional only, with a responsible professional."""
    require_professional(actor)
    require(actor, CaseAction.REOPEN, case)
    with acting_as(actor):
        case = locked(case)
        if responsible is not None:
            case_set_responsible(actor=actor, case=case, professional=responsible)
        move(case, CaseStatus.ACTIVE)
        case.closed_at = None
        case.retention_until = None
        case.outcome = ""
        case.version += 1
        case.save()
        sync_case_permissions(case)
        return case


@transaction.atomic
def case_transfer(*, actor: User, case: Case, team: Team, responsible: User) -> Case:
    """Hand the case to another team of the municipality with a responsible professional of
    that team. The old team loses access with the case's team (read in the query); everyone else on the case
    leaves it (volunteer staff's consent and assignment were for that team's work)."""
    require_professional(actor)
    require(actor, CaseAction.CHANGE_FILE, case)
    if team.pk == case.team_id:
        raise ValidationError(_("The case already belongs to this team."))
    if team.municipality_id != case.team.municipality_id:
        raise ValidationError(_("A case can only move to a team of the same municipality."))
    if not (responsible.is_active and is_professional_of(responsible, team.pk)):
        raise ValidationError(_("The responsible professional must belong to the new team."))
    with acting_as(actor):
        case = locked(case)
        now = timezone.now()
        end_memberships(CaseMembership.objects.filter(case=case).exclude(user=responsible), now)
        case.team = team
        case.version += 1
        case.save()
        existing = CaseMembership.objects.filter(case=case, user=responsible, ended_at__isnull=True).first()
        if existing is None or existing.role != MembershipRole.RESPONSIBLE:
            end_memberships(CaseMembership.objects.filter(case=case, user=responsible), now)
            join_now(case=case, user=responsible, role=MembershipRole.RESPONSIBLE, actor=actor, when=now)
        sync_case_permissions(case)
        return case


@transaction.atomic
def case_flag_for_meeting(*, actor: User, case: Case, flagged: bool = True) -> Case:
    """A professional puts a running case on the next weekly meeting's agenda (R4)."""
    require(actor, CaseAction.CHANGE_FILE, case)
    with acting_as(actor):
        case = locked(case)
        case.flagged_for_meeting = flagged
        case.save(update_fields=["flagged_for_meeting"])
        return case


@transaction.atomic
def case_duplicate_checked(*, actor: User, case: Case) -> Case:
    """A professional checked the "possible duplicate" mark the intake API set (the resident
    is a different person, or the file was dealt with): the mark goes."""
    require(actor, CaseAction.CHANGE_FILE, case)
    with acting_as(actor):
        case = locked(case)
        if case.possible_duplicate:
            case.possible_duplicate = False
            case.save(update_fields=["possible_duplicate"])
        return case
