"""Recompute the reports' daily figures (``reports.services.refresh_daily_figures``); meant for a
nightly timer.

Facts about a past day can still change (a volunteer joins a case opened weeks ago, a first
decision is taken, a visit is logged late, a case is transferred or anonymised), so every night
recomputes a window: by default the last 13 weeks (one more than the report's default period),
up to yesterday. Older days keep the figures of the last refresh that covered them; ``--since``
rebuilds from a date, ``--all`` from the first day with data.
"""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.models import DailyFigure
from reports.services import refresh_daily_figures

WINDOW = datetime.timedelta(weeks=13)


def _day(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--since wants a date as YYYY-MM-DD, not {value!r}.") from error


class Command(BaseCommand):
    help = (
        "Recompute the daily figures of the reports up to yesterday: the last 13 weeks by default, "
        "from --since, or --all from the first day with data."
    )

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group()
        which.add_argument("--since", type=str, help="Recompute from this day (YYYY-MM-DD) up to yesterday.")
        which.add_argument(
            "--all", dest="everything", action="store_true", help="Recompute every day from the first day with data."
        )

    def handle(self, *args, since: str | None = None, everything: bool = False, **options):
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        first = None if everything else _day(since) if since else yesterday - WINDOW + datetime.timedelta(days=1)
        if first is not None and first > yesterday:
            raise CommandError(f"--since must be before today ({timezone.localdate()}); today is counted live.")
        started = time.perf_counter()
        refresh = refresh_daily_figures(since=first, until=yesterday)
        rows = DailyFigure.objects.filter(day__gte=refresh.since, day__lte=yesterday).count()
        self.stdout.write(
            f"Daily figures of {refresh.since} to {yesterday} recomputed ({rows} rows) in "
            f"{time.perf_counter() - started:.1f} s; reports read them up to {refresh.through}, later days live."
        )
