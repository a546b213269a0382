"""Who works on a case (R9), a proposed volunteer's answer (R7) and the resident's consent for
volunteer staff (R6)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from base.audit import acting_as

from ..constants import NEEDS_RESPONSIBLE, ConsentAnswer, MembershipRole
from ..models import (
    PROPOSAL_DECLINE_REASONS,
    Case,
    CaseInterest,
    CaseMembership,
    InterestAnswer,
    VolunteerConsent,
)
from ..permissions import CaseAction, current_consent, eligible_volunteers, sync_case_permissions
from ..policies import professionals_for, proposals
from ..screening import forget_volunteer_profile, volunteer_may_hold_access
from ._common import end_memberships, join_now, require, require_professional, touch


@transaction.atomic
def case_set_responsible(*, actor: User, case: Case, professional: User) -> CaseMembership:
    """Make ``professional`` the one responsible professional (an active professional of the
    case's team, R9); the previous one stays involved as a professional."""
    require_professional(actor)
    require(actor, CaseAction.CHANGE_FILE, case)
    with acting_as(actor):
        membership = make_responsible(actor=actor, case=case, professional=professional)
        sync_case_permissions(case)
        return membership


def make_responsible(
    *,
    actor: User,
    case: Case,
    professional: User,
    eligible: bool | None = None,
    members: dict[int, str] | None = None,
) -> CaseMembership:
    """The memberships of :func:`case_set_responsible`, for a service that checked the actor
    already, runs in its own transaction and re-derives the grants once at its end.
    ``eligible`` (``professionals_for``) and ``members`` (the open memberships, user id → role):
    what that service read with the case's lock; not given, they are read here."""
    if eligible is None:
        eligible = professionals_for(case, responsible=True).filter(pk=professional.pk).exists()
    if not eligible:
        raise ValidationError(_("The responsible professional must be an active professional of the case's team."))
    now = timezone.now()
    if members is not None and professional.pk not in members and MembershipRole.RESPONSIBLE not in members.values():
        # Nothing to end: nobody is responsible yet and the new one is not on the case.
        return join_now(case=case, user=professional, role=MembershipRole.RESPONSIBLE, actor=actor, when=now)
    # The current responsible one and the new one's own open memberships, in one read.
    open_ones = list(
        CaseMembership.objects.filter(case=case, ended_at__isnull=True)
        .filter(Q(role=MembershipRole.RESPONSIBLE) | Q(user=professional))
        .select_related("user")
    )
    current = next((membership for membership in open_ones if membership.role == MembershipRole.RESPONSIBLE), None)
    if current is not None and current.user_id == professional.pk:
        return current
    if current is not None:
        end_memberships([current], now)
        join_now(case=case, user=current.user, role=MembershipRole.PROFESSIONAL, actor=actor, when=now)
    end_memberships([membership for membership in open_ones if membership.user_id == professional.pk], now)
    return join_now(case=case, user=professional, role=MembershipRole.RESPONSIBLE, actor=actor, when=now)


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
    """Propose a volunteer for a case: only with the resident's consent (R6), a valid VOG, of
    the case's team, and not after they declined it (R7) — ``permissions.eligible_volunteers``.

    The membership starts as a *proposal* (no ``accepted_at``): the volunteer holds no slice
    until they accept it (:func:`proposal_accept`); they may decline, for instance because they
    know the resident (:func:`proposal_decline`, R7)."""
    require_professional(actor)
    require(actor, CaseAction.CHANGE_FILE, case)
    forget_volunteer_profile(volunteer)  # screening may have changed since this object was loaded
    if not eligible_volunteers(case).filter(user=volunteer).exists():
        consent = current_consent(case)
        if consent is None or not consent.allows_volunteer:
            raise ValidationError(_("The resident has not consented to a volunteer joining."))
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
        raise ValidationError(_("Choose a new responsible professional first."))
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
    # Volunteer staff are proposed and accept themselves; professionals are on the case at once.
    accepted_at = None if role == MembershipRole.VOLUNTEER else timezone.now()
    try:
        with transaction.atomic():
            return CaseMembership.objects.create(
                case=case, user=user, role=role, accepted_at=accepted_at, created_by=actor
            )
    except IntegrityError as error:
        raise ValidationError(_("This person already works on the case.")) from error


# --- the volunteer's answer to a proposal (R7) ---------------------------------------------


@transaction.atomic
def proposal_accept(*, actor: User, membership: CaseMembership) -> CaseMembership:
    """The proposed volunteer accepts: the membership is accepted and the slice opens at once
    (grants derived in the same transaction). Only their own open proposal, while they may
    hold access (``policies.proposals``); a repeat answers with the accepted membership."""
    proposals.require(actor, proposals.Action.ANSWER, membership, _("This proposal is not open for you."))
    with acting_as(actor):
        membership = CaseMembership.objects.select_for_update().get(pk=membership.pk)
        if membership.ended_at is not None:  # declined meanwhile (another tab)
            raise ValidationError(_("You already declined this case."))
        if membership.accepted_at is None:
            membership.accepted_at = timezone.now()
            membership.save(update_fields=["accepted_at"])
            sync_case_permissions(membership.case)
            touch(membership.case, membership.accepted_at)
        return membership


@transaction.atomic
def proposal_decline(*, actor: User, membership: CaseMembership, reason: str, note: str = "") -> CaseInterest:
    """The proposed volunteer declines, with a reason — "I know this resident", outside their
    expertise, or another (R7). The proposal ends and the decline is recorded as their answer
    on the case (``CaseInterest``), which keeps them out of ``eligible_volunteers`` for it and
    is shown to professionals only."""
    proposals.require(actor, proposals.Action.ANSWER, membership, _("This proposal is not open for you."))
    if reason not in PROPOSAL_DECLINE_REASONS:
        raise ValidationError({"reason": _("Say why this is not for you.")})
    if len(note) > 500:
        raise ValidationError({"note": _("Keep the note to 500 characters.")})
    with acting_as(actor):
        membership = CaseMembership.objects.select_for_update().get(pk=membership.pk)
        if membership.accepted_at is not None:  # accepted meanwhile (another tab)
            raise ValidationError(_("You already accepted this case."))
        now = timezone.now()
        end_memberships(CaseMembership.objects.filter(pk=membership.pk), now)
        interest, _created = CaseInterest.objects.update_or_create(
            case=membership.case,
            volunteer=actor,
            defaults={"answer": InterestAnswer.DECLINED, "reason": reason, "note": note, "answered_at": now},
        )
        sync_case_permissions(membership.case)
        touch(membership.case, now)
        return interest


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
    """Record the resident's answer; anything but 'yes' ends every volunteer's membership and
    access at once."""
    require(actor, CaseAction.CHANGE_FILE, case)
    if answer not in ConsentAnswer.values:
        raise ValidationError({"answer": _("Choose an answer.")})
    with acting_as(actor):
        consent = consent_entry(case=case, actor=actor, answer=answer, asked_at=asked_at, note=note)
        if not consent.allows_volunteer:
            _volunteers_leave(case)
        sync_case_permissions(case)
        return consent


def _volunteers_leave(case: Case) -> None:
    """Without consent no volunteer works on the case: their memberships end with their access
    (the case file and the coordinator's workload count open memberships)."""
    end_memberships(CaseMembership.objects.filter(case=case, role=MembershipRole.VOLUNTEER))


def consent_entry(
    *, case: Case, actor: User, answer: str, asked_at: datetime.datetime | None = None, note: str = ""
) -> VolunteerConsent:
    """One entry of the consent history: who asked, when, and the answer ("not asked yet" has
    neither). For :func:`consent_record` and for the intake, which records the first answer."""
    asked = answer != ConsentAnswer.NOT_ASKED
    return VolunteerConsent.objects.create(
        case=case,
        answer=answer,
        asked_at=(asked_at or timezone.now()) if asked else None,
        asked_by=actor if asked else None,
        note=note,
    )


@transaction.atomic
def consent_withdraw(*, actor: User, case: Case, note: str = "") -> VolunteerConsent:
    """The resident withdraws consent: every volunteer leaves the case and loses access on the
    next request."""
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
        _volunteers_leave(case)
        sync_case_permissions(case)
        return consent
