"""The screening gate: what the case file needs to know of volunteer staff (R14, R8).

A volunteer holds case access only while their account is active, they hold the role, their
profile has not ended and their certificate of good conduct (VOG) is valid today. The profile
and the VOG are the volunteers app's records, so this module is the one documented place where
``cases`` reads ``volunteers`` (``tests/test_layering.py``); everything else in ``cases`` asks
here.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Team
from accounts.roles import Role, user_roles
from volunteers.models import VolunteerStaff, add_months

__all__ = [
    "VolunteerStaff",
    "forget_volunteer_profile",
    "screened_among",
    "screened_volunteers",
    "supervised_volunteers",
    "volunteer_may_hold_access",
    "volunteer_profile",
    "volunteer_team_id",
]


def volunteer_profile(user) -> VolunteerStaff | None:
    """The volunteer staff profile of ``user`` (read once per user object), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    profile = getattr(user, "_wijkteam_volunteer_profile", None)
    if profile is None:
        profile = VolunteerStaff.objects.select_related("team__municipality").filter(user=user).first() or False
        user._wijkteam_volunteer_profile = profile
    return profile or None


def volunteer_may_hold_access(user) -> bool:
    """A volunteer holds slice access only while active and screened (VOG valid today)."""
    profile = volunteer_profile(user)
    return profile is not None and user.is_active and profile.is_active and profile.screening_valid()


def screened_among(user_ids) -> set[int]:
    """Which of these users may hold slice access now: :func:`volunteer_may_hold_access` for
    each, their profiles and accounts read in one query."""
    screened = set()
    for profile in VolunteerStaff.objects.select_related("user", "team__municipality").filter(user_id__in=user_ids):
        profile.user._wijkteam_volunteer_profile = profile
        if volunteer_may_hold_access(profile.user):
            screened.add(profile.user_id)
    return screened


def volunteer_team_id(user) -> int | None:
    """The team of a volunteer staff member who may work on cases now (role, account, VOG)."""
    if Role.VOLUNTEER_STAFF.value not in user_roles(user) or not volunteer_may_hold_access(user):
        return None
    return volunteer_profile(user).team_id


def supervised_volunteers(user, team_ids) -> QuerySet:
    """The user ids of volunteer staff of these teams whom ``user`` supervises (R11)."""
    return VolunteerStaff.objects.filter(supervisor=user, team_id__in=team_ids).values("user_id")


def screened_volunteers(*, team_id: int, today=None) -> QuerySet[VolunteerStaff]:
    """Volunteer staff of a team who may hold case access today: the same conditions as
    :func:`volunteer_may_hold_access`, as a query (active account and profile, the role, a VOG
    within the municipality's validity)."""
    today = today or timezone.localdate()
    validity = Team.objects.filter(pk=team_id).values_list("municipality__vog_validity_months", flat=True).first()
    if validity is None:
        return VolunteerStaff.objects.none()
    return VolunteerStaff.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=today),
        team_id=team_id,
        user__is_active=True,
        user__groups__name=Role.VOLUNTEER_STAFF.value,
        vog_issued_on__gte=add_months(today, -validity),
    )


def forget_volunteer_profile(user) -> None:
    if hasattr(user, "_wijkteam_volunteer_profile"):
        del user._wijkteam_volunteer_profile
