"""Reads for volunteer staff and coordinators. Never case content beyond the slice."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role, has_role
from cases.constants import MembershipRole
from cases.models import HomeVisit

from .models import Alarm, Shift, VolunteerStaff


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


@dataclass(frozen=True)
class WeekHours:
    week_start: datetime.date
    visit_hours: float
    shift_hours: float
    agreed_hours: float

    @property
    def total(self) -> float:
        return round(self.visit_hours + self.shift_hours, 1)

    @property
    def over(self) -> bool:
        return self.total > self.agreed_hours


def my_hours(user: User, weeks: int = 8) -> list[WeekHours]:
    """Hours per week from home visits (and walk-in shifts, see [5]) against the agreed hours."""
    profile = VolunteerStaff.objects.filter(user=user).first()
    agreed = float(profile.hours_per_week) if profile else 0.0
    today = timezone.localdate()
    this_monday = today - datetime.timedelta(days=today.weekday())
    first_monday = this_monday - datetime.timedelta(weeks=weeks - 1)
    minutes = {
        row["week"].date() if isinstance(row["week"], datetime.datetime) else row["week"]: row["minutes"]
        for row in HomeVisit.objects.filter(visitor=user, visited_on__gte=first_monday)
        .annotate(week=TruncWeek("visited_on"))
        .values("week")
        .annotate(minutes=Sum("duration_minutes"))
    }
    shifts = shift_hours_by_week(user, first_monday)
    return [
        WeekHours(
            week_start=monday,
            visit_hours=round(minutes.get(monday, 0) / 60, 1),
            shift_hours=shifts.get(monday, 0.0),
            agreed_hours=agreed,
        )
        for monday in (first_monday + datetime.timedelta(weeks=n) for n in range(weeks - 1, -1, -1))
    ]


def shift_hours_by_week(user: User, since: datetime.date) -> dict[datetime.date, float]:
    """Walk-in shift hours per week (Monday -> hours), up to today."""
    hours: dict[datetime.date, float] = {}
    today = timezone.localdate()
    for shift in Shift.objects.filter(person=user, date__gte=since, date__lte=today).select_related("slot"):
        monday = shift.date - datetime.timedelta(days=shift.date.weekday())
        hours[monday] = round(hours.get(monday, 0.0) + shift.slot.hours, 2)
    return hours


def open_alarms_for(user: User) -> QuerySet[Alarm]:
    """Open alarms a professional should see: of volunteers they supervise, or on cases they
    are responsible for. Only the fact and the note, with a link to the case file."""
    if not has_role(user, Role.PROFESSIONAL):
        return Alarm.objects.none()
    return (
        Alarm.objects.filter(resolved_at__isnull=True)
        .filter(
            Q(volunteer__volunteer_profile__supervisor=user)
            | Q(
                case__memberships__user=user,
                case__memberships__role=MembershipRole.RESPONSIBLE,
                case__memberships__ended_at__isnull=True,
            )
        )
        .select_related("volunteer")
        .distinct()
        .order_by("-raised_at")
    )
