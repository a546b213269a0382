"""Reports: aggregates computed in the database, never rows of personal data.

Counts below 5 are shown as "<5" to readers without access to the underlying files
(coordinators), so no resident can be singled out from a small number.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncWeek
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Team, User
from cases.constants import ConsentAnswer, IntakeChannel, LifeDomainCode, MembershipRole, Outcome
from cases.models import Case, CaseMembership, HomeVisit, MeetingDecision, VolunteerConsent
from socialmap.models import CollectiveSignal, SignalStatus

from .policies import reports

SMALL = 5


def report_teams(user: User) -> QuerySet[Team]:
    """Teams whose reports the user may see (``reports.policies``)."""
    return reports.scope(user, reports.Action.VIEW)


def suppress_for(user: User, teams: list[Team]) -> bool:
    """Small counts are hidden unless the reader may open the files of every team in scope."""
    return reports.suppress_small_counts(user, teams)


@dataclass
class Row:
    label: str
    value: float
    shown: str = ""

    def __post_init__(self):
        self.shown = self.shown or (f"{self.value:g}" if isinstance(self.value, float) else str(self.value))


@dataclass
class Table:
    title: str
    rows: list[Row] = field(default_factory=list)
    unit: str = ""

    @property
    def maximum(self) -> float:
        return max((row.value for row in self.rows if row.shown != "<5"), default=0) or 1

    ROW_HEIGHT = 10
    BAR_WIDTH = 240

    @property
    def height(self) -> int:
        return len(self.rows) * self.ROW_HEIGHT

    @property
    def bars(self) -> list[dict]:
        """SVG coordinates per row; a suppressed count ("<5") gets no bar at all."""
        bars = []
        for index, row in enumerate(self.rows):
            hidden = row.shown == "<5"
            width = 0 if hidden else round(self.BAR_WIDTH * row.value / self.maximum)
            bars.append(
                {
                    "row": row,
                    "y": index * self.ROW_HEIGHT,
                    "text_y": index * self.ROW_HEIGHT + 6,
                    "width": width,
                    "value_x": 152 + width + (3 if width else 0),
                    "hidden": hidden,
                }
            )
        return bars


def _counted(rows: list[tuple[str, int]], suppress: bool) -> list[Row]:
    return [Row(label, value, "<5" if suppress and value < SMALL else str(value)) for label, value in rows]


def _local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def build_report(*, user: User, teams: list[Team], start: datetime.date, end: datetime.date) -> dict:
    from django.utils.translation import gettext as _

    suppress = suppress_for(user, teams)
    # Half-open ranges of aware datetimes (local midnights), so the (team, opened_at) and
    # (team, closed_at) indexes apply; ``__date__range`` would convert every row first.
    since, until = _local_midnight(start), _local_midnight(end + datetime.timedelta(days=1))
    opened = Case.objects.filter(team__in=teams, opened_at__gte=since, opened_at__lt=until)

    per_week = [
        (date_format(row["week"], "j M"), row["n"])
        for row in opened.annotate(week=TruncWeek("opened_at")).values("week").annotate(n=Count("pk")).order_by("week")
    ]
    by_channel = {row["intake_channel"]: row["n"] for row in opened.values("intake_channel").annotate(n=Count("pk"))}
    by_domain = {
        row["domains__code"]: row["n"] for row in opened.values("domains__code").annotate(n=Count("pk", distinct=True))
    }
    by_village = [
        (row["resident__village__name"], row["n"])
        for row in opened.values("resident__village__name").annotate(n=Count("pk")).order_by("resident__village__name")
    ]

    first_decision = (
        MeetingDecision.objects.filter(case__in=opened)
        .values("case")
        .annotate(first=Min("decided_at"), opened=Min("case__opened_at"))
        .values("first", "opened")
    )
    days = sorted((row["first"] - row["opened"]).days for row in first_decision)
    median_days = days[len(days) // 2] if days else None

    caseload = [
        (f"{row['user__first_name']} {row['user__last_name']}", row["n"])
        for row in CaseMembership.objects.filter(
            case__team__in=teams, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True, case__closed_at__isnull=True
        )
        .values("user__first_name", "user__last_name")
        .annotate(n=Count("case"))
        .order_by("user__first_name")
    ]

    volunteer_joined = Exists(  # a proposal the volunteer declined is not a volunteer joining (R7)
        CaseMembership.objects.filter(case=OuterRef("pk"), role=MembershipRole.VOLUNTEER, accepted_at__isnull=False)
    )
    refused = Exists(VolunteerConsent.objects.filter(case=OuterRef("pk"), answer=ConsentAnswer.NO))
    counts = opened.aggregate(
        total=Count("pk"),
        with_volunteer=Count("pk", filter=Q(volunteer_joined)),
        refusals=Count("pk", filter=Q(refused)),
    )
    total, with_volunteer, refusals = counts["total"], counts["with_volunteer"], counts["refusals"]

    visits = [
        (f"{row['visitor__first_name']} {row['visitor__last_name']}", row["n"], round((row["minutes"] or 0) / 60, 1))
        # The team's volunteer staff and their visits on the team's cases. Starting from them
        # (the (visitor, visited_on) index) reads the visits of the period, instead of probing
        # every case of the team for visits (docs/performance.md).
        for row in HomeVisit.objects.filter(
            visitor__volunteer_profile__team__in=teams, case__team__in=teams, visited_on__range=(start, end)
        )
        .values("visitor__first_name", "visitor__last_name")
        .annotate(n=Count("pk"), minutes=Sum("duration_minutes"))
        .order_by("visitor__first_name")
    ]
    outcomes = {
        row["outcome"]: row["n"]
        for row in Case.objects.filter(team__in=teams, closed_at__gte=since, closed_at__lt=until)
        .values("outcome")
        .annotate(n=Count("pk"))
    }
    signals = {
        row["status"]: row["n"]
        for row in CollectiveSignal.objects.filter(
            village__team__in=teams, recorded_at__gte=since, recorded_at__lt=until
        )
        .values("status")
        .annotate(n=Count("pk"))
    }

    def label_rows(choices, counts):
        return _counted([(str(label), counts.get(value, 0)) for value, label in choices], suppress)

    return {
        "suppress": suppress,
        "total": Row(_("New cases"), total, "<5" if suppress and total < SMALL else str(total)),
        "tables": [
            Table(_("New cases per week"), _counted(per_week, suppress)),
            Table(_("New cases by intake channel"), label_rows(IntakeChannel.choices, by_channel)),
            Table(_("New cases by life domain"), label_rows(LifeDomainCode.choices, by_domain)),
            Table(_("New cases by village"), _counted(by_village, suppress)),
            Table(_("Open cases per responsible professional"), _counted(caseload, suppress)),
            Table(
                _("Volunteer staff and consent"),
                _counted([(_("With volunteer staff"), with_volunteer), (_("Consent refused"), refusals)], suppress),
            ),
            Table(_("Home visits per volunteer"), _counted([(name, n) for name, n, _h in visits], suppress)),
            Table(
                _("Hours of home visits per volunteer"),
                [Row(name, hours, "<5" if suppress and n < SMALL else f"{hours:g}") for name, n, hours in visits],
                unit=_("hours"),
            ),
            Table(_("Closing outcomes"), label_rows(Outcome.choices, outcomes)),
            Table(_("Collective signals"), label_rows(SignalStatus.choices, signals)),
        ],
        "median_days_to_decision": median_days if not (suppress and len(days) < SMALL) else None,
        "decisions_counted": len(days),
    }
