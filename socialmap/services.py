"""Writes on the social map, referrals and collective signals. Keyword-only, atomic, audited;
every check through ``socialmap.policies``."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from base.audit import acting_as
from base.updates import ConcurrentEditError, model_update
from cases.models import Case, HomeVisit

from .models import CollectiveSignal, Offer, Referral, ReferralOutcome, SignalStatus
from .policies import may_use_social_map, offers, referrals, signals, staff_villages

OFFER_FIELDS = ("name", "kind", "description", "when", "where", "contact", "cost", "accessibility", "active")


def _require_staff(actor: User) -> None:
    """Professionals and volunteer staff keep the social map (volunteer staff know it best, R12)."""
    if not may_use_social_map(actor):
        raise PermissionDenied(_("Only professionals and volunteer staff may do this."))


def _check_villages(actor: User, villages: list) -> None:
    if not villages:
        raise ValidationError({"villages": _("Choose at least one village.")})
    allowed = set(staff_villages(actor).values_list("pk", flat=True))
    if any(village.pk not in allowed for village in villages):
        raise ValidationError({"villages": _("Choose villages of your own municipality.")})


@transaction.atomic
def offer_save(
    *,
    actor: User,
    offer: Offer | None = None,
    expected_version: int | None = None,
    villages: Iterable,
    domains: Iterable = (),
    topics: Iterable = (),
    **fields,
) -> Offer:
    """Add an offer, or change one of the actor's municipality (``policies.offers``) from the
    version the editor saw (``expected_version``)."""
    _require_staff(actor)
    if offer is not None:
        offers.require(actor, offers.Action.EDIT, offer, _("You may not change this offer."))
    villages = list(villages)
    _check_villages(actor, villages)
    data = {**fields, "villages": villages, "domains": list(domains), "topics": list(topics)}
    with acting_as(actor):
        if offer is None:
            if set(fields) - set(OFFER_FIELDS):
                raise TypeError(f"Unknown offer fields: {sorted(set(fields) - set(OFFER_FIELDS))}")
            offer = Offer(created_by=actor)
            for name, value in fields.items():
                setattr(offer, name, value)
            offer.full_clean(exclude=["created_by"])
            offer.save()
            for name in ("villages", "domains", "topics"):
                getattr(offer, name).set(data[name])
            return offer
        offer = Offer.objects.select_for_update().get(pk=offer.pk)
        # An offer shared with another municipality keeps that municipality's villages: the
        # editor chose among their own only.
        theirs = offer.villages.exclude(pk__in=staff_villages(actor).values("pk"))
        data["villages"] = [*villages, *theirs]
        offer, _changed = model_update(
            instance=offer,
            fields=(*OFFER_FIELDS, "villages", "domains", "topics"),
            data=data,
            expected_version=expected_version,
            clean_exclude=["created_by"],
        )
        return offer


@transaction.atomic
def referral_make(*, actor: User, case: Case, offer: Offer, visit: HomeVisit | None = None) -> Referral:
    """Refer the resident to an offer, from the case file or from a home visit (R12)."""
    if not referrals.cases(actor).filter(pk=case.pk).exists():
        raise PermissionDenied(_("You may not do this on this case."))
    if visit is not None and visit.case_id != case.pk:
        raise ValidationError(_("This visit belongs to another case."))
    if not offer.active or not offers.can(actor, offers.Action.VIEW, offer):
        raise ValidationError(_("This offer is no longer active."))
    with acting_as(actor):
        return Referral.objects.create(case=case, offer=offer, visit=visit, referred_by=actor)


@transaction.atomic
def referral_outcome(*, actor: User, referral: Referral, outcome: str, note: str = "") -> Referral:
    referrals.require(actor, referrals.Action.RECORD_OUTCOME, referral, _("You may not do this on this case."))
    if outcome not in ReferralOutcome.values:
        raise ValidationError({"outcome": _("Choose how it went.")})
    with acting_as(actor):
        referral = Referral.objects.select_for_update().get(pk=referral.pk)
        referral, _changed = model_update(
            instance=referral, fields=("outcome", "outcome_note"), data={"outcome": outcome, "outcome_note": note}
        )
        return referral


@transaction.atomic
def signal_record(*, actor: User, village, theme: str, description: str, source: str = "") -> CollectiveSignal:
    """Record a village-level need (R13); volunteer staff pick these up."""
    _require_staff(actor)
    _check_villages(actor, [village])
    with acting_as(actor):
        signal = CollectiveSignal(
            village=village, theme=theme, description=description, source=source, recorded_by=actor
        )
        signal.full_clean(exclude=["recorded_by"])
        signal.save()
        return signal


SIGNAL_STEPS = {SignalStatus.NEW: SignalStatus.PASSED_ON, SignalStatus.PASSED_ON: SignalStatus.ACTED_ON}


@transaction.atomic
def signal_advance(
    *, actor: User, signal: CollectiveSignal, expected_version: int, offers: Iterable[Offer] = ()
) -> CollectiveSignal:
    """new -> passed to the welfare organisation -> acted on; developing collective offers is
    the professionals' task (R13), so only they move a signal on and link the offers. From the
    version the professional saw: two who press at once do not move it on twice."""
    signals.require(actor, signals.Action.ADVANCE, signal, _("Only a professional may do this."))
    with acting_as(actor):
        signal = CollectiveSignal.objects.select_for_update().get(pk=signal.pk)
        if signal.version != expected_version:
            raise ConcurrentEditError(
                _("Someone else moved this signal on in the meantime. Look at it again."), current=signal
            )
        if signal.status in SIGNAL_STEPS:
            signal.status = SIGNAL_STEPS[signal.status]
            signal.version += 1
            signal.save(update_fields=["status", "version"])
        linked = list(offers)  # the parameter shadows the offer policy here, which is not needed
        if linked:
            signal.offers.add(*linked)
        return signal
