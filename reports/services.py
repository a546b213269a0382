"""Writes of the reports: keeping the daily figures (``reports.models``) in step with the files."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from cases.models import Case, HomeVisit
from socialmap.models import CollectiveSignal

from . import figures
from .models import DailyFigure, FiguresRefresh

CHUNK = datetime.timedelta(weeks=13)


def first_day_with_data() -> datetime.date | None:
    """The first local day any figure can fall on: the earliest opening, visit or signal."""
    opened = Case.objects.aggregate(first=Min("opened_at"))["first"]
    visited = HomeVisit.objects.aggregate(first=Min("visited_on"))["first"]
    recorded = CollectiveSignal.objects.aggregate(first=Min("recorded_at"))["first"]
    days = [
        *(timezone.localdate(moment) for moment in (opened, recorded) if moment is not None),
        *([visited] if visited else []),
    ]
    return min(days, default=None)


@transaction.atomic
def refresh_daily_figures(*, since: datetime.date | None, until: datetime.date) -> FiguresRefresh:
    """Recompute the daily figures of the local days [since, until] for every team: delete
    those days and insert them again, from a few aggregate queries over the whole range grouped
    by team and day, in one transaction (running it twice changes nothing).

    ``since`` None rebuilds every day up to ``until``, from the first day with data (figures of
    days whose data is gone go too). The summarised days stay one unbroken run up to
    ``FiguresRefresh.through``, which is what a report trusts: the first refresh always rebuilds
    everything, and a later one starts no later than the day after the last one (a missed night
    is caught up). ``until`` must be before today: today is always counted live.

    Facts about a past day can change later (a volunteer joins, a first decision is taken, a
    visit is logged late, a case is transferred); a day's figures are as of the last refresh
    that covered it. Erasure and the retention purge change none of the counted fields (the
    village is kept), and the figures hold nothing of a resident."""
    today = timezone.localdate()
    if until >= today:
        raise ValueError("The daily figures go up to yesterday at the latest; today is counted live.")
    # One refresh at a time: the row is the lock (a second one waits, then recomputes).
    previous = FiguresRefresh.objects.select_for_update().filter(pk=1).first()
    stale = DailyFigure.objects.filter(day__lte=until)
    if since is None or previous is None:  # everything: also days whose data is gone
        since = first_day_with_data() or until
    else:
        since = min(since, previous.through + datetime.timedelta(days=1))
        stale = stale.filter(day__gte=since)
    stale.delete()
    first = since
    while first <= until:  # 13 weeks a query, so a rebuild of years holds only that in memory
        last = min(until, first + CHUNK - datetime.timedelta(days=1))
        rows = figures.figure_rows(figures.case_figures(teams=None, start=first, end=last, per_day=True))
        DailyFigure.objects.bulk_create(rows, batch_size=2000)
        first = last + datetime.timedelta(days=1)
    through = max(until, previous.through) if previous else until
    refresh, _created = FiguresRefresh.objects.update_or_create(
        pk=1, defaults={"through": through, "since": since, "refreshed_at": timezone.now()}
    )
    return refresh
