"""Reads for coordinators: the volunteer staff of the teams they coordinate."""

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from accounts.roles import Role, has_role
from cases.constants import MembershipRole

from .models import VolunteerStaff


def coordinated_volunteers(user: User) -> QuerySet[VolunteerStaff]:
    """Volunteer staff of the teams ``user`` coordinates, with their number of open assignments.

    No case content: coordinators see people and load, not files (unless they are also a
    professional of that team, which the case pages decide).
    """
    if not has_role(user, Role.COORDINATOR):
        return VolunteerStaff.objects.none()
    return (
        VolunteerStaff.objects.filter(team__coordinators=user)
        .select_related("user", "team__municipality", "village", "supervisor")
        .annotate(
            open_assignments=Count(
                "user__case_memberships",
                filter=Q(
                    user__case_memberships__role=MembershipRole.VOLUNTEER,
                    user__case_memberships__ended_at__isnull=True,
                ),
            )
        )
        .order_by("team__name", "user__last_name", "user__first_name")
    )
