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
