"""Who works on a case (R9) and the resident's consent for volunteer staff (R6)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from base.audit import acting_as

from ..constants import NEEDS_RESPONSIBLE, ConsentAnswer, MembershipRole
from ..models import Case, CaseMembership, VolunteerConsent
from ..permissions import CaseAction, current_consent, eligible_volunteers, sync_case_permissions
from ..policies import professionals_for
from ..screening import forget_volunteer_profile, volunteer_may_hold_access
from ._common import end_memberships, require, require_professional, responsible_membership


@transaction.atomic
def case_set_responsible(*, actor: User, case: Case, professional: User) -> CaseMembership:
    """Make ``professional`` the one responsible professional (an active professional of the
    case's team, R9); the previous one stays involved as a professional."""
    require_professional(actor)
    require(actor, CaseAction.CHANGE_FILE, case)
    if not professionals_for(case, responsible=True).filter(pk=professional.pk).exists():
        raise ValidationError(_("The responsible professional must be an active professional of the case's team."))
    with acting_as(actor):
        now = timezone.now()
        current = responsible_membership(case)
        if current is not None and current.user_id == professional.pk:
            return current
        if current is not None:
            end_memberships(CaseMembership.objects.filter(pk=current.pk), now)
            CaseMembership.objects.create(
                case=case, user=current.user, role=MembershipRole.PROFESSIONAL, started_at=now, created_by=actor
            )
        end_memberships(CaseMembership.objects.filter(case=case, user=professional), now)
        membership = CaseMembership.objects.create(
            case=case, user=professional, role=MembershipRole.RESPONSIBLE, started_at=now, created_by=actor
        )
        sync_case_permissions(case)
        return membership


@transaction.atomic
def case_add_professional(*, actor: User, case: Case, professional: User) -> CaseMembership:
    """Add a professional of the municipality to the case (a school social worker, a consultant)."""
    require_professional(actor)
    require(actor, CaseAction.CHANGE_FILE, case)
    if not professionals_for(case, responsible=False).filter(pk=professional.pk).exists():
        raise ValidationError(_("Only active professionals of this municipality can be added as a professional."))
    with acting_as(actor):
        membership = _create_membership(case=case, user=professional, role=MembershipRole.PROFESSIONAL, actor=actor)
        sync_case_permissions(case)
        return membership


@transaction.atomic
def volunteer_assign(*, actor: User, case: Case, volunteer: User) -> CaseMembership:
    """Let a volunteer join a case: only with the resident's consent (R6), a valid VOG, of the
    case's team, and not after they declined it (R7) — ``permissions.eligible_volunteers``."""
    require_professional(actor)
    require(actor, CaseAction.CHANGE_FILE, case)
    forget_volunteer_profile(volunteer)  # screening may have changed since this object was loaded
    if not eligible_volunteers(case).filter(user=volunteer).exists():
        consent = current_consent(case)
        if consent is None or not consent.allows_volunteer:
            raise ValidationError(_("The resident has not consented to a volunteer joining (R6)."))
        if not volunteer_may_hold_access(volunteer):
            raise ValidationError(_("This volunteer has no valid certificate of good conduct (VOG)."))
        raise ValidationError(_("This person cannot join this case as volunteer staff."))
    with acting_as(actor):
        membership = _create_membership(case=case, user=volunteer, role=MembershipRole.VOLUNTEER, actor=actor)
        sync_case_permissions(case)
        return membership


@transaction.atomic
def membership_end(*, actor: User, membership: CaseMembership) -> CaseMembership:
    """End someone's involvement; the responsible professional is replaced, never just removed."""
    case = membership.case
    require_professional(actor)
    require(actor, CaseAction.CHANGE_FILE, case)
    if membership.role == MembershipRole.RESPONSIBLE and case.status in NEEDS_RESPONSIBLE:
        raise ValidationError(_("Choose a new responsible professional first (R9)."))
    if membership.ended_at is not None:
        return membership
    with acting_as(actor):
        end_memberships(CaseMembership.objects.filter(pk=membership.pk))
        membership.refresh_from_db()
        sync_case_permissions(case)
        return membership


def _create_membership(*, case: Case, user: User, role: str, actor: User) -> CaseMembership:
    if CaseMembership.objects.filter(case=case, user=user, ended_at__isnull=True).exists():
        raise ValidationError(_("This person already works on the case."))
    try:
        with transaction.atomic():
            return CaseMembership.objects.create(case=case, user=user, role=role, created_by=actor)
    except IntegrityError as error:
        raise ValidationError(_("This person already works on the case.")) from error


# --- consent (R6) ----------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor: User,
    case: Case,
    answer: str,
    asked_at: datetime.datetime | None = None,
    note: str = "",
) -> VolunteerConsent:
    """Record the resident's answer; anything but 'yes' removes volunteer access at once."""
    require(actor, CaseAction.CHANGE_FILE, case)
    if answer not in ConsentAnswer.values:
        raise ValidationError({"answer": _("Choose an answer.")})
    with acting_as(actor):
        consent = VolunteerConsent.objects.create(
            case=case,
            answer=answer,
            asked_at=asked_at or (timezone.now() if answer != ConsentAnswer.NOT_ASKED else None),
            asked_by=actor if answer != ConsentAnswer.NOT_ASKED else None,
            note=note,
        )
        sync_case_permissions(case)
        return consent


@transaction.atomic
def consent_withdraw(*, actor: User, case: Case, note: str = "") -> VolunteerConsent:
    """The resident withdraws consent: every volunteer loses access on the next request."""
    require(actor, CaseAction.CHANGE_FILE, case)
    consent = current_consent(case)
    if consent is None or not consent.allows_volunteer:
        raise ValidationError(_("There is no consent to withdraw."))
    with acting_as(actor):
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor
        if note:
            consent.note = note
        consent.save()
        sync_case_permissions(case)
        return consent
