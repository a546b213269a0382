"""Reads for volunteer staff and coordinators. Never case content beyond the slice."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce, TruncWeek
from django.utils import timezone

from accounts.models import User
from cases.constants import MembershipRole
from cases.models import Alarm, CaseMembership, HomeVisit

from . import policies
from .models import Shift, VolunteerStaff, WellbeingCheckIn


def _count_of(grouped: QuerySet) -> Coalesce:
    """A correlated COUNT subquery (no join, so other annotations are not multiplied)."""
    return Coalesce(Subquery(grouped.annotate(n=Count("pk")).values("n")[:1]), 0)


def coordinated_volunteers(user: User) -> QuerySet[VolunteerStaff]:
    """Volunteer staff of the teams ``user`` coordinates, with their number of open assignments.

    No case content: coordinators see people and load, not files (unless they are also a
    professional of that team, which the case pages decide).
    """
    return (
        policies.profiles.scope(user, policies.profiles.Action.MANAGE)
        .select_related("user", "team__municipality", "village", "supervisor")
        .annotate(
            open_assignments=_count_of(
                CaseMembership.objects.filter(  # accepted: a proposal is not an assignment yet (R7)
                    user=OuterRef("user"),
                    role=MembershipRole.VOLUNTEER,
                    ended_at__isnull=True,
                    accepted_at__isnull=False,
                ).values("user")
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
    """Hours per week from home visits and walk-in shifts against the agreed hours."""
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


# --- the coordinator's dashboard (R11, R14) --------------------------------------------------


@dataclass
class VolunteerRow:
    profile: VolunteerStaff
    open_cases: int
    hours_4_weeks: float
    agreed_4_weeks: float
    open_alarms: int
    last_checkin: datetime.date | None
    flags: list[str]


def coordinator_dashboard(user: User) -> list[VolunteerRow]:
    """Per volunteer: active cases, hours of the last four weeks against the agreed hours,
    open alarms, the last check-in; with flags for what needs the coordinator's attention."""
    from django.utils.translation import gettext

    today = timezone.localdate()
    four_weeks_ago = today - datetime.timedelta(weeks=4)
    profiles = list(
        coordinated_volunteers(user)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=today))
        .annotate(
            visit_minutes=Subquery(
                HomeVisit.objects.filter(visitor=OuterRef("user"), visited_on__gt=four_weeks_ago)
                .values("visitor")
                .annotate(minutes=Sum("duration_minutes"))
                .values("minutes")[:1]
            ),
            last_checkin=Subquery(
                WellbeingCheckIn.objects.filter(volunteer=OuterRef("pk")).order_by("-held_on").values("held_on")[:1]
            ),
            open_alarm_count=_count_of(
                Alarm.objects.filter(volunteer=OuterRef("user"), resolved_at__isnull=True).values("volunteer")
            ),
        )
    )
    shift_hours: dict[int, float] = {}
    for shift in Shift.objects.filter(
        person__in=[p.user_id for p in profiles], date__gt=four_weeks_ago, date__lte=today
    ).select_related("slot"):
        shift_hours[shift.person_id] = shift_hours.get(shift.person_id, 0.0) + shift.slot.hours
    rows = []
    for profile in profiles:
        municipality = profile.team.municipality
        flags = []
        if profile.vog_valid_until() is None:
            flags.append(gettext("VOG missing"))
        elif not profile.screening_valid():
            flags.append(gettext("VOG expired"))
        elif profile.vog_expires_within(municipality.vog_warning_weeks):
            flags.append(gettext("VOG expires soon"))
        if profile.last_checkin is None or profile.last_checkin < today - datetime.timedelta(
            weeks=municipality.checkin_interval_weeks
        ):
            flags.append(gettext("check-in overdue"))
        if profile.open_alarm_count:
            flags.append(gettext("alarm raised"))
        if not profile.onboarding_complete:
            flags.append(gettext("onboarding incomplete"))
        hours = round((profile.visit_minutes or 0) / 60 + shift_hours.get(profile.user_id, 0.0), 1)
        agreed = float(profile.hours_per_week) * 4
        if hours > agreed:
            flags.append(gettext("more hours than agreed"))
        rows.append(
            VolunteerRow(
                profile=profile,
                open_cases=profile.open_assignments,
                hours_4_weeks=hours,
                agreed_4_weeks=agreed,
                open_alarms=profile.open_alarm_count,
                last_checkin=profile.last_checkin,
                flags=flags,
            )
        )
    return rows


# --- rosters ---------------------------------------------------------------------------------


@dataclass
class RosterCell:
    slot: object
    date: datetime.date
    runs: bool
    shifts: list
    absent: set[int]

    @property
    def volunteers_on_duty(self) -> int:
        return sum(1 for shift in self.shifts if shift.role == "volunteer")

    @property
    def understaffed(self) -> bool:
        return self.runs and self.volunteers_on_duty < self.slot.volunteers_needed

    @property
    def no_professional(self) -> bool:
        return self.runs and not any(shift.role == "professional" for shift in self.shifts)

    @property
    def conflicts(self) -> list:
        return [shift for shift in self.shifts if shift.person_id in self.absent]


def roster(*, teams: QuerySet, start: datetime.date, days: int) -> dict:
    """The roster of ``teams`` for ``days`` days from ``start``: per location and slot a row of
    cells with who is on duty, understaffing and absence conflicts. A fixed number of queries."""
    from .models import Absence, Location, RosterSlot

    end = start + datetime.timedelta(days=days - 1)
    dates = [start + datetime.timedelta(days=n) for n in range(days)]
    slots = list(
        RosterSlot.objects.filter(location__team__in=teams)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start), valid_from__lte=end)
        .select_related("location__team")
        .order_by("location__name", "weekday", "start_time")
    )
    shifts: dict[tuple[int, datetime.date], list] = {}
    for shift in Shift.objects.filter(slot__in=slots, date__range=(start, end)).select_related("person"):
        shifts.setdefault((shift.slot_id, shift.date), []).append(shift)
    absent: dict[datetime.date, set[int]] = {}
    for absence in Absence.objects.filter(start_date__lte=end, end_date__gte=start):
        for day in dates:
            if absence.start_date <= day <= absence.end_date:
                absent.setdefault(day, set()).add(absence.person_id)
    locations: dict = {}
    for slot in slots:
        cells = [
            RosterCell(
                slot=slot,
                date=day,
                runs=slot.runs_on(day),
                shifts=shifts.get((slot.pk, day), []),
                absent=absent.get(day, set()),
            )
            for day in dates
        ]
        locations.setdefault(slot.location, []).append((slot, cells))
    return {"dates": dates, "locations": locations, "locations_all": list(Location.objects.filter(team__in=teams))}


def shifts_of(user: User, since: datetime.date) -> QuerySet:
    return Shift.objects.filter(person=user, date__gte=since).select_related("slot__location").order_by("date")


@dataclass(frozen=True)
class WeekShift:
    """One of my walk-in shifts, as "My week" shows it (issue [12]): time and place only."""

    date: datetime.date
    start_time: datetime.time
    end_time: datetime.time
    location: str


def week_shifts(user: User, *, start: datetime.date, days: int = 7) -> list[WeekShift]:
    """``user``'s own walk-in shifts from ``start`` for ``days`` days (one query), as "My
    calendar" finds them: the shifts where they are the person on duty."""
    end = start + datetime.timedelta(days=days)
    return [
        WeekShift(
            date=row["date"],
            start_time=row["slot__start_time"],
            end_time=row["slot__end_time"],
            location=row["slot__location__name"],
        )
        for row in Shift.objects.filter(person=user, date__gte=start, date__lt=end)
        .order_by("date", "slot__start_time")
        .values("date", "slot__start_time", "slot__end_time", "slot__location__name")
    ]


# --- allowance (R14) -------------------------------------------------------------------------


@dataclass
class AllowanceStatement:
    profile: VolunteerStaff
    year: int
    monthly_hours: list[float]
    monthly_amounts: list[Decimal]
    warnings: list[str]

    @property
    def total_hours(self) -> float:
        return round(sum(self.monthly_hours), 1)

    @property
    def total_amount(self) -> Decimal:
        return sum(self.monthly_amounts, Decimal("0.00"))


def allowance_statements(user: User, year: int) -> tuple[list[AllowanceStatement], object]:
    """A yearly statement per volunteer from their allowance arrangement and logged hours
    (visits and walk-in shifts), checked against that year's tax-free limits, which an
    administrator keeps as data (``AllowanceLimit``)."""
    from django.utils.translation import gettext

    from .models import AllowanceKind, AllowanceLimit

    limit = AllowanceLimit.objects.filter(year=year).first()
    first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    profiles = list(
        coordinated_volunteers(user)
        .filter(started_on__lte=last)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .select_related("allowance")
    )
    user_ids = [p.user_id for p in profiles]
    minutes: dict[tuple[int, int], int] = {}
    for row in (
        HomeVisit.objects.filter(visitor__in=user_ids, visited_on__year=year)
        .values("visitor", "visited_on__month")
        .annotate(minutes=Sum("duration_minutes"))
    ):
        minutes[(row["visitor"], row["visited_on__month"])] = row["minutes"]
    shift_hours: dict[tuple[int, int], float] = {}
    for shift in Shift.objects.filter(person__in=user_ids, date__year=year).select_related("slot"):
        key = (shift.person_id, shift.date.month)
        shift_hours[key] = shift_hours.get(key, 0.0) + shift.slot.hours
    statements = []
    for profile in profiles:
        arrangement = profile.allowance
        hours, amounts, warnings = [], [], []
        for month in range(1, 13):
            month_hours = round(
                minutes.get((profile.user_id, month), 0) / 60 + shift_hours.get((profile.user_id, month), 0.0), 2
            )
            hours.append(month_hours)
            month_start = datetime.date(year, month, 1)
            month_end = (month_start + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
            active = profile.started_on <= month_end and (profile.ended_on is None or profile.ended_on >= month_start)
            if arrangement is None or arrangement.kind == AllowanceKind.NONE or not active:
                amounts.append(Decimal("0.00"))
            elif arrangement.kind == AllowanceKind.PER_HOUR:
                amounts.append((arrangement.amount * Decimal(str(month_hours))).quantize(Decimal("0.01")))
            else:
                amounts.append(arrangement.amount)
        if limit is None:
            warnings.append(gettext("No tax-free limits are set for %(year)s.") % {"year": year})
        else:
            if arrangement and arrangement.kind == AllowanceKind.PER_HOUR and arrangement.amount > limit.max_per_hour:
                warnings.append(gettext("The hourly allowance is above the limit per hour."))
            if any(amount > limit.max_per_month for amount in amounts):
                warnings.append(gettext("Above the limit per month."))
            if sum(amounts, Decimal("0")) > limit.max_per_year:
                warnings.append(gettext("Above the limit per year."))
        statements.append(
            AllowanceStatement(
                profile=profile, year=year, monthly_hours=hours, monthly_amounts=amounts, warnings=warnings
            )
        )
    return statements, limit
