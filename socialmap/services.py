"""Writes on the social map, referrals and collective signals. Keyword-only, atomic, audited."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, has_role
from cases.audit import acting_as
from cases.models import Case, HomeVisit
from cases.permissions import CaseAction, can

from .models import CollectiveSignal, Offer, Referral, ReferralOutcome, SignalStatus

OFFER_FIELDS = {"name", "kind", "description", "when", "where", "contact", "cost", "accessibility", "active"}


def _require_staff(actor: User) -> None:
    """Professionals and volunteer staff keep the social map (volunteer staff know it best, R12)."""
    if not (has_role(actor, Role.PROFESSIONAL) or has_role(actor, Role.VOLUNTEER_STAFF)):
        raise PermissionDenied(_("Only professionals and volunteer staff may do this."))


@transaction.atomic
def offer_save(
    *,
    actor: User,
    offer: Offer | None = None,
    villages: Iterable,
    domains: Iterable = (),
    topics: Iterable = (),
    **fields,
) -> Offer:
    _require_staff(actor)
    if set(fields) - OFFER_FIELDS:
        raise TypeError(f"Unknown offer fields: {sorted(set(fields) - OFFER_FIELDS)}")
    villages = list(villages)
    if not villages:
        raise ValidationError({"villages": _("Choose at least one village.")})
    with acting_as(actor):
        offer = offer or Offer(created_by=actor)
        for name, value in fields.items():
            setattr(offer, name, value)
        offer.full_clean(exclude=["created_by"])
        offer.save()
        offer.villages.set(villages)
        offer.domains.set(list(domains))
        offer.topics.set(list(topics))
        return offer


@transaction.atomic
def referral_make(*, actor: User, case: Case, offer: Offer, visit: HomeVisit | None = None) -> Referral:
    """Refer the resident to an offer, from the case file or from a home visit (R12)."""
    if not (can(actor, CaseAction.CHANGE_FILE, case) or can(actor, CaseAction.LOG_VISIT, case)):
        raise PermissionDenied(_("You may not do this on this case."))
    if visit is not None and visit.case_id != case.pk:
        raise ValidationError(_("This visit belongs to another case."))
    if not offer.active:
        raise ValidationError(_("This offer is no longer active."))
    with acting_as(actor):
        return Referral.objects.create(case=case, offer=offer, visit=visit, referred_by=actor)


@transaction.atomic
def referral_outcome(*, actor: User, referral: Referral, outcome: str, note: str = "") -> Referral:
    case = referral.case
    if not (can(actor, CaseAction.CHANGE_FILE, case) or can(actor, CaseAction.LOG_VISIT, case)):
        raise PermissionDenied(_("You may not do this on this case."))
    if outcome not in ReferralOutcome.values:
        raise ValidationError({"outcome": _("Choose how it went.")})
    with acting_as(actor):
        referral.outcome = outcome
        referral.outcome_note = note
        referral.save(update_fields=["outcome", "outcome_note"])
        return referral


@transaction.atomic
def signal_record(*, actor: User, village, theme: str, description: str, source: str = "") -> CollectiveSignal:
    """Record a village-level need (R13); volunteer staff pick these up."""
    _require_staff(actor)
    with acting_as(actor):
        signal = CollectiveSignal(
            village=village, theme=theme, description=description, source=source, recorded_by=actor
        )
        signal.full_clean(exclude=["recorded_by"])
        signal.save()
        return signal


SIGNAL_STEPS = {SignalStatus.NEW: SignalStatus.PASSED_ON, SignalStatus.PASSED_ON: SignalStatus.ACTED_ON}


@transaction.atomic
def signal_advance(*, actor: User, signal: CollectiveSignal, offers: Iterable[Offer] = ()) -> CollectiveSignal:
    """new -> passed to the welfare organisation -> acted on; developing collective offers is
    the professionals' task (R13), so only they move a signal on and link the offers."""
    if not has_role(actor, Role.PROFESSIONAL):
        raise PermissionDenied(_("Only a professional may do this."))
    with acting_as(actor):
        signal = CollectiveSignal.objects.select_for_update().get(pk=signal.pk)
        if signal.status in SIGNAL_STEPS:
            signal.status = SIGNAL_STEPS[signal.status]
            signal.save(update_fields=["status"])
        if offers:
            signal.offers.add(*offers)
        return signal
