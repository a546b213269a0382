"""The report's figures and the one set of queries that computes them from the case files.

Every figure of the report is a count (sometimes with a sum) by *kind* and *key* over local days
(Europe/Amsterdam): new cases by opening day, by intake channel, life domain and village; the
cases a volunteer joined, where the resident refused one, and the days from opening to the first
meeting decision (all by the case's opening day); home visits per visitor (by visit day), closing
outcomes (by closing day) and collective signals (by recording day).

:func:`case_figures` builds those aggregates for a range of days. The same queries serve twice:

* grouped by team and day over all teams, they fill the daily figures
  (``reports.services.refresh_daily_figures``, the nightly ``refresh_report_figures``);
* summed over the chosen teams, they are the live part of a report: the days after the last
  refresh (usually just today), or the whole period when nothing is summarised yet.

:func:`summed_figures` reads the summarised days back from ``DailyFigure``, and :func:`tally`
runs everything a report needs as one ``UNION ALL`` query and adds the rows up. Every part has
the same columns (:data:`COLUMNS`), so the database does the grouping, joins the names of
villages and staff at read time, and sorts the names as its collation does.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Case as CaseWhen
from django.db.models import (
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from accounts.models import Team
from cases.constants import ConsentAnswer, MembershipRole
from cases.models import Case, CaseMembership, HomeVisit, MeetingDecision, VolunteerConsent
from socialmap.models import CollectiveSignal

from .models import DailyFigure, FigureKind

# Rows that exist only in a report, never in the table: one per case with a decision (its
# opening and first decision, turned into days in Python, as the median has always been), and
# the open cases per responsible professional (a current state, not a figure of a day).
DECISION_CASE = "decision_case"
CASELOAD = "caseload"

# The columns of every part, in this order (``f_`` keeps them clear of the models' own fields).
COLUMNS = ("f_team", "f_day", "f_kind", "f_key", "f_name", "f_name2", "f_n", "f_amount", "f_opened", "f_first")


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _null(output_field) -> Cast:
    # Typed, so PostgreSQL can match the UNION's columns part by part.
    return Cast(Value(None), output_field=output_field)


def _part(
    queryset: QuerySet,
    kind,
    *,
    n,
    team=None,
    day=None,
    key=None,
    name=None,
    name2=None,
    amount=None,
    opened=None,
    first=None,
) -> QuerySet:
    """One aggregate with the common columns: grouped by the first six, summed in the rest."""
    return (
        queryset.order_by()
        .values(
            f_team=team if team is not None else _null(IntegerField()),
            f_day=day if day is not None else _null(DateField()),
            f_kind=Value(kind, output_field=CharField()) if isinstance(kind, str) else kind,
            f_key=key if key is not None else Value("", output_field=CharField()),
            f_name=name if name is not None else _null(CharField()),
            f_name2=name2 if name2 is not None else _null(CharField()),
        )
        .annotate(
            f_n=n,
            f_amount=amount if amount is not None else _null(IntegerField()),
            f_opened=opened if opened is not None else _null(DateTimeField()),
            f_first=first if first is not None else _null(DateTimeField()),
        )
    )


def case_figures(
    *, teams: Iterable[Team] | None, start: datetime.date, end: datetime.date, per_day: bool
) -> list[QuerySet]:
    """The report's aggregates over the local days [start, end], as parts for :func:`tally`.

    ``per_day``: grouped by team and day, with villages and visitors as ids (for the daily
    figures; ``teams`` None means all). Otherwise summed over ``teams`` with the names the
    report shows; only new cases keep their day (for the weeks).

    The selection is the report's own: cases of the teams opened in the period (half-open
    ranges of local midnights, so the ``(team, opened_at)`` and ``(team, closed_at)`` indexes
    apply); a volunteer counts once they accepted (R7); home visits by the team's volunteer
    staff on the team's cases (for the daily figures every visitor is kept, and the volunteer's
    team is checked when they are read, as it is then).
    """
    since, until = local_midnight(start), local_midnight(end + datetime.timedelta(days=1))
    zone = timezone.get_current_timezone()

    def team(path: str):
        return F(path) if per_day else None

    def day(expression):
        return expression if per_day else None

    cases = Case.objects.all() if teams is None else Case.objects.filter(team__in=teams)
    opened = cases.filter(opened_at__gte=since, opened_at__lt=until)
    opening_day = TruncDate("opened_at", tzinfo=zone)
    volunteer_joined = Exists(  # a proposal the volunteer declined is not a volunteer joining (R7)
        CaseMembership.objects.filter(case=OuterRef("pk"), role=MembershipRole.VOLUNTEER, accepted_at__isnull=False)
    )
    refused = Exists(VolunteerConsent.objects.filter(case=OuterRef("pk"), answer=ConsentAnswer.NO))

    # The team's volunteer staff and their visits on the team's cases. For the report, starting
    # from them (the (visitor, visited_on) index) reads the visits of the period
    # (docs/performance.md); the daily figures keep every visitor's and check the team when read.
    visits = HomeVisit.objects.filter(visited_on__range=(start, end))
    if teams is not None:
        visits = visits.filter(case__team__in=teams)
    if not per_day:
        visits = visits.filter(visitor__volunteer_profile__team__in=teams)
    closed = cases.filter(closed_at__gte=since, closed_at__lt=until)
    signals = CollectiveSignal.objects.filter(recorded_at__gte=since, recorded_at__lt=until)
    if teams is not None:
        signals = signals.filter(village__team__in=teams)

    return [
        _part(opened, FigureKind.NEW, team=team("team"), day=opening_day, n=Count("pk")),
        _part(
            opened, FigureKind.CHANNEL, team=team("team"), day=day(opening_day), key=F("intake_channel"), n=Count("pk")
        ),
        _part(
            opened,
            FigureKind.DOMAIN,
            team=team("team"),
            day=day(opening_day),
            key=F("domains__code"),
            n=Count("pk", distinct=True),
        ),
        _part(
            opened,
            FigureKind.VILLAGE,
            team=team("team"),
            day=day(opening_day),
            key=Cast("resident__village", CharField()) if per_day else None,
            name=None if per_day else F("resident__village__name"),
            n=Count("pk"),
        ),
        _part(
            opened.filter(volunteer_joined),
            FigureKind.WITH_VOLUNTEER,
            team=team("team"),
            day=day(opening_day),
            n=Count("pk"),
        ),
        _part(
            opened.filter(refused), FigureKind.CONSENT_REFUSED, team=team("team"), day=day(opening_day), n=Count("pk")
        ),
        _part(  # one row per case: its opening and its first decision (of any meeting, ever)
            MeetingDecision.objects.filter(case__in=opened),
            DECISION_CASE,
            team=team("case__team"),
            day=day(TruncDate("case__opened_at", tzinfo=zone)),
            key=Cast("case", CharField()),
            n=Count("pk"),
            opened=Min("case__opened_at"),
            first=Min("decided_at"),
        ),
        _part(
            visits,
            FigureKind.VISITS,
            team=team("case__team"),
            day=day(F("visited_on")),
            key=Cast("visitor", CharField()) if per_day else None,
            name=None if per_day else F("visitor__first_name"),
            name2=None if per_day else F("visitor__last_name"),
            n=Count("pk"),
            amount=Sum("duration_minutes"),
        ),
        _part(
            closed,
            FigureKind.OUTCOME,
            team=team("team"),
            day=day(TruncDate("closed_at", tzinfo=zone)),
            key=F("outcome"),
            n=Count("pk"),
        ),
        _part(
            signals,
            FigureKind.SIGNAL,
            team=team("village__team"),
            day=day(TruncDate("recorded_at", tzinfo=zone)),
            key=F("status"),
            n=Count("pk"),
        ),
    ]


def summed_figures(*, teams: Iterable[Team], start: datetime.date, end: datetime.date) -> list[QuerySet]:
    """The daily figures of [start, end] summed over ``teams``, as parts for :func:`tally`,
    with the names of villages and visitors joined now. A visitor counts for the report while
    their volunteer profile is with one of its teams, as in :func:`case_figures`."""
    rows = DailyFigure.objects.filter(team__in=teams, day__gte=start, day__lte=end)
    new_day = CaseWhen(When(kind=FigureKind.NEW, then=F("day")), default=_null(DateField()), output_field=DateField())
    return [
        _part(
            rows.exclude(kind=FigureKind.VISITS),
            F("kind"),
            day=new_day,
            key=F("key"),
            name=F("village__name"),
            n=Sum("count"),
            amount=Sum("amount"),
        ),
        _part(
            rows.filter(kind=FigureKind.VISITS, person__volunteer_profile__team__in=teams),
            FigureKind.VISITS,
            key=F("key"),
            name=F("person__first_name"),
            name2=F("person__last_name"),
            n=Sum("count"),
            amount=Sum("amount"),
        ),
    ]


def caseload(*, teams: Iterable[Team]) -> QuerySet:
    """Open cases per responsible professional: the state now, whatever the period."""
    return _part(
        CaseMembership.objects.filter(
            case__team__in=teams, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True, case__closed_at__isnull=True
        ),
        CASELOAD,
        name=F("user__first_name"),
        name2=F("user__last_name"),
        n=Count("case"),
    )


def union(parts: list[QuerySet], *, ordered: bool = True) -> QuerySet:
    """The parts as one query; ``ordered`` in the report's order: names as the database sorts
    them (its collation, as the report always had)."""
    combined = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return combined.order_by("f_kind", "f_name", "f_name2", "f_day", "f_key") if ordered else combined


# --- adding up -------------------------------------------------------------------------------


@dataclass
class Tally:
    """The figures of a report, added up over summarised and live days."""

    new_per_week: Counter = field(default_factory=Counter)  # Monday -> cases
    by_kind: dict[str, dict] = field(default_factory=dict)  # kind -> {key or name: count}
    minutes: dict[tuple, int] = field(default_factory=dict)  # visitor name -> minutes
    days_to_decision: Counter = field(default_factory=Counter)  # days -> cases

    def of(self, kind: str) -> dict:
        return self.by_kind.get(kind, {})

    def total(self, kind: str) -> int:
        return sum(self.of(kind).values())

    @property
    def decisions(self) -> int:
        """The cases with a meeting decision."""
        return sum(self.days_to_decision.values())

    @property
    def median_days(self) -> int | None:
        """``days[len(days) // 2]`` of every case's days to its first decision, sorted: the
        report's median, read from the histogram."""
        position = self.decisions // 2
        for days in sorted(self.days_to_decision):
            position -= self.days_to_decision[days]
            if position < 0:
                return days
        return None


NAMED = {FigureKind.VILLAGE: 1, FigureKind.VISITS: 2, CASELOAD: 2}  # kinds keyed by their name(s)


def tally(parts: list[QuerySet]) -> Tally:
    """Run the parts as one query and add up their rows (one query, whatever the period)."""
    result = Tally()
    for row in union(parts):
        _team, day, kind, key, name, name2, n, amount, opened, first = (row[column] for column in COLUMNS)
        if kind == FigureKind.NEW:
            result.new_per_week[day - datetime.timedelta(days=day.weekday())] += n
        elif kind == DECISION_CASE:
            result.days_to_decision[(first - opened).days] += 1
        elif kind == FigureKind.DAYS_TO_DECISION:
            result.days_to_decision[int(key)] += n
        elif kind in NAMED:
            label = (name,) if NAMED[kind] == 1 else (name, name2)
            counts = result.by_kind.setdefault(kind, {})
            counts[label] = counts.get(label, 0) + n
            if kind == FigureKind.VISITS:
                result.minutes[label] = result.minutes.get(label, 0) + (amount or 0)
        elif key is not None:
            counts = result.by_kind.setdefault(kind, {})
            counts[key] = counts.get(key, 0) + n
    return result


def figure_rows(parts: list[QuerySet]) -> list[DailyFigure]:
    """The daily figures (unsaved) from the per-day parts of :func:`case_figures`."""
    figures: dict[tuple, DailyFigure] = {}
    for row in union(parts, ordered=False):
        team_id, day, kind, key, _name, _name2, n, amount, opened, first = (row[column] for column in COLUMNS)
        if kind == DECISION_CASE:
            kind, key, n, amount = FigureKind.DAYS_TO_DECISION, str((first - opened).days), 1, None
        if key is None or not n:
            continue
        figure = figures.get((team_id, day, kind, key))
        if figure is None:
            figure = figures[team_id, day, kind, key] = DailyFigure(
                team_id=team_id,
                day=day,
                kind=kind,
                key=key,
                count=0,
                amount=None,
                village_id=int(key) if kind == FigureKind.VILLAGE else None,
                person_id=int(key) if kind == FigureKind.VISITS else None,
            )
        figure.count += n
        if amount is not None:
            figure.amount = (figure.amount or 0) + amount
    return list(figures.values())
