"""Reads of the social map, the collective signals and referrals. Referrals are case-file
records: the case page and the volunteer slice read them through the registry
(``cases.records``), with :func:`referrals_by_case` and the allow-list :data:`REFERRAL_FIELDS`."""

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from accounts.models import User

from .models import CollectiveSignal, Offer, Referral, ReferralOutcome
from .policies import offers, own_team_villages, signals

# What volunteer staff see of a referral on their case (the slice allow-list, R8, R12).
REFERRAL_FIELDS = {
    "id": "record how it went",
    "offer__name": "know which local offer the resident was referred to (R12)",
    "outcome": "follow the referral up",
}


@dataclass(frozen=True)
class CaseReferral:
    id: int
    offer_name: str
    outcome: str

    @property
    def outcome_label(self) -> str:
        return ReferralOutcome(self.outcome).label


def referrals_by_case(case_ids: list[int], viewer=None) -> dict[int, list[CaseReferral]]:
    """{case id: referrals} built from the allow-list only (the case page and the slice)."""
    found: dict[int, list[CaseReferral]] = {}
    for row in (
        Referral.objects.filter(case_id__in=case_ids).values("case_id", *REFERRAL_FIELDS).order_by("-referred_at")
    ):
        found.setdefault(row["case_id"], []).append(
            CaseReferral(id=row["id"], offer_name=row["offer__name"], outcome=row["outcome"])
        )
    return found


def referral_offer_choices(user: User) -> list[tuple[int, str]]:
    """(id, "name (villages)") of the active offers in the villages of the user's own team: the
    choices of the referral form on case pages, in one query. Limited to the team's area so the
    list stays short and its cost fixed, however large the municipality's social map grows."""
    labels: dict[int, tuple[str, list[str]]] = {}
    rows = (
        Offer.villages.through.objects.filter(village__in=own_team_villages(user), offer__active=True)
        .values_list("offer_id", "offer__name", "village__name")
        .order_by("offer__name", "offer_id", "village__name")
    )
    for offer_id, name, village in rows:
        labels.setdefault(offer_id, (name, []))[1].append(village)
    return [(offer_id, f"{name} ({', '.join(villages)})") for offer_id, (name, villages) in labels.items()]


def offer_search(*, user: User, village: int | None = None, topic: str = "", query: str = "", limit: int = 100):
    found = offers.scope(user, offers.Action.VIEW).filter(active=True)
    if village:
        found = found.filter(villages=village)
    if topic:
        found = found.filter(topics__code=topic)
    for word in query.split()[:5]:
        found = found.filter(Q(name__icontains=word) | Q(description__icontains=word) | Q(where__icontains=word))
    return list(found.distinct().prefetch_related("villages", "domains", "topics").order_by("name")[:limit])


def signals_for(user: User) -> QuerySet[CollectiveSignal]:
    return (
        signals.scope(user, signals.Action.VIEW)
        .select_related("village", "recorded_by")
        .prefetch_related("offers")
        .order_by("status", "-recorded_at")
    )
