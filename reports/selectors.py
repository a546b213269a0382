"""Reports: aggregates computed in the database, never rows of personal data. Past days come
from the daily figures (``reports.figures``), the days since the last refresh live.

Counts below 5 are shown as "<5" to readers without access to the underlying files
(coordinators), so no resident can be singled out from a small number.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.formats import date_format

from accounts.models import Team, User
from cases.constants import IntakeChannel, LifeDomainCode, Outcome
from socialmap.models import SignalStatus

from . import figures
from .models import FigureKind, FiguresRefresh
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


def figures_refresh() -> FiguresRefresh | None:
    """The last refresh of the daily figures: every day up to its ``through`` is summarised."""
    return FiguresRefresh.objects.filter(pk=1).first()


def build_report(*, user: User, teams: list[Team], start: datetime.date, end: datetime.date) -> dict:
    """The report of ``teams`` over the local days [start, end].

    Days up to the last refresh are summed from the daily figures, the days after it (usually
    just today) are computed live by the same aggregates (``reports.figures``), and the open
    cases per professional are read as they are now: one query for all of it, plus one for the
    refresh, whatever the period. Past days show what was true at the last refresh
    (``refresh_report_figures``). Small counts are hidden after adding up."""
    from django.utils.translation import gettext as _

    suppress = suppress_for(user, teams)
    refreshed = figures_refresh()
    summarised_through = min(end, refreshed.through) if refreshed else start - datetime.timedelta(days=1)
    parts = [figures.caseload(teams=teams)]
    if summarised_through >= start:
        parts += figures.summed_figures(teams=teams, start=start, end=summarised_through)
    if summarised_through < end:
        live_from = max(start, summarised_through + datetime.timedelta(days=1))
        parts += figures.case_figures(teams=teams, start=live_from, end=end, per_day=False)
    found = figures.tally(parts)

    per_week = [(date_format(monday, "j M"), n) for monday, n in sorted(found.new_per_week.items()) if n]
    total = sum(found.new_per_week.values())
    decisions, median_days = found.decisions, found.median_days
    by_village = [(name, n) for (name,), n in found.of(FigureKind.VILLAGE).items()]
    caseload = [(f"{first} {last}", n) for (first, last), n in found.of(figures.CASELOAD).items()]
    with_volunteer = found.total(FigureKind.WITH_VOLUNTEER)
    refusals = found.total(FigureKind.CONSENT_REFUSED)
    visits = [
        (f"{first} {last}", n, round(found.minutes[first, last] / 60, 1))
        for (first, last), n in found.of(FigureKind.VISITS).items()
    ]

    def label_rows(choices, kind):
        counts = found.of(kind)
        return _counted([(str(label), counts.get(value, 0)) for value, label in choices], suppress)

    return {
        "suppress": suppress,
        "total": Row(_("New cases"), total, "<5" if suppress and total < SMALL else str(total)),
        "tables": [
            Table(_("New cases per week"), _counted(per_week, suppress)),
            Table(_("New cases by intake channel"), label_rows(IntakeChannel.choices, FigureKind.CHANNEL)),
            Table(_("New cases by life domain"), label_rows(LifeDomainCode.choices, FigureKind.DOMAIN)),
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
            Table(_("Closing outcomes"), label_rows(Outcome.choices, FigureKind.OUTCOME)),
            Table(_("Collective signals"), label_rows(SignalStatus.choices, FigureKind.SIGNAL)),
        ],
        "median_days_to_decision": median_days if not (suppress and decisions < SMALL) else None,
        "decisions_counted": decisions,
        # Which days came from the daily figures, and when those were computed (for the page).
        "summarised_through": summarised_through if summarised_through >= start else None,
        "figures_refreshed_at": refreshed.refreshed_at if refreshed and summarised_through >= start else None,
    }
