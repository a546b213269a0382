"""Reads of the social map and the collective signals (no case content)."""

from django.db.models import Q, QuerySet

from accounts.models import User, Village
from accounts.roles import Role, has_role
from volunteers.models import VolunteerStaff

from .models import CollectiveSignal, Offer


def staff_municipality_villages(user: User) -> QuerySet[Village]:
    """Villages of the municipality the user works in (via their team)."""
    from accounts.models import ProfessionalProfile

    team_ids = list(ProfessionalProfile.objects.filter(user=user).values_list("team__municipality_id", flat=True))
    team_ids += list(VolunteerStaff.objects.filter(user=user).values_list("team__municipality_id", flat=True))
    return Village.objects.filter(municipality_id__in=team_ids).order_by("name")


def referral_offer_choices(user: User) -> list[tuple[int, str]]:
    """(id, "name (villages)") of the active offers in the villages of the user's own team: the
    choices of the referral form on case pages, in one query. Limited to the team's area so the
    list stays short and its cost fixed, however large the municipality's social map grows."""
    from accounts.models import ProfessionalProfile

    own_teams = Q(village__team_id__in=ProfessionalProfile.objects.filter(user=user).values("team_id")) | Q(
        village__team_id__in=VolunteerStaff.objects.filter(user=user).values("team_id")
    )
    labels: dict[int, tuple[str, list[str]]] = {}
    rows = (
        Offer.villages.through.objects.filter(own_teams, offer__active=True)
        .values_list("offer_id", "offer__name", "village__name")
        .order_by("offer__name", "offer_id", "village__name")
    )
    for offer_id, name, village in rows:
        labels.setdefault(offer_id, (name, []))[1].append(village)
    return [(offer_id, f"{name} ({', '.join(villages)})") for offer_id, (name, villages) in labels.items()]


def may_use_social_map(user: User) -> bool:
    return has_role(user, Role.PROFESSIONAL) or has_role(user, Role.VOLUNTEER_STAFF)


def offer_search(*, user: User, village: int | None = None, topic: str = "", query: str = "", limit: int = 100):
    offers = Offer.objects.filter(villages__in=staff_municipality_villages(user), active=True)
    if village:
        offers = offers.filter(villages=village)
    if topic:
        offers = offers.filter(topics__code=topic)
    for word in query.split()[:5]:
        offers = offers.filter(Q(name__icontains=word) | Q(description__icontains=word) | Q(where__icontains=word))
    return list(offers.distinct().prefetch_related("villages", "domains", "topics").order_by("name")[:limit])


def signals_for(user: User) -> QuerySet[CollectiveSignal]:
    return (
        CollectiveSignal.objects.filter(village__in=staff_municipality_villages(user))
        .select_related("village", "recorded_by")
        .prefetch_related("offers")
        .order_by("status", "-recorded_at")
    )
