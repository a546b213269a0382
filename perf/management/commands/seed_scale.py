"""Build a whole municipality of scale data for the benchmark and the load test."""

import datetime
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from perf.scale import SIZES, AlreadySeeded, ScaleSeeder
from reports.services import refresh_daily_figures


class Command(BaseCommand):
    help = (
        "Load scale data (S, M, L or XL; XS for tests) into an empty database: teams, staff, residents, "
        "cases, journals, home visits, meetings and rosters, with the grants the services would derive. "
        "Accounts p001…, v001…, c01… and scale-privacy have the demo password and demo second step."
    )

    def add_arguments(self, parser):
        parser.add_argument("--size", choices=list(SIZES), default="S")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed; the same seed gives the same data.")
        parser.add_argument("--no-audit", action="store_true", help="Skip the audit entries of the records made.")

    def handle(self, *args, size: str, seed: int, no_audit: bool, **options):
        if not getattr(settings, "SCALE_DATA_ALLOWED", False):
            raise CommandError(
                "seed_scale only runs where SCALE_DATA_ALLOWED is on (development, test and benchmark settings): "
                "its accounts have a published password."
            )
        started = time.perf_counter()
        seeder = ScaleSeeder(size, seed=seed, audit=not no_audit, log=lambda line: self.stdout.write(f"  {line}"))
        try:
            counts = seeder.run()
        except AlreadySeeded as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale data {size} loaded in {time.perf_counter() - started:.0f} s: "
                + ", ".join(f"{label.split('.')[-1]} {count:,}" for label, count in sorted(counts.items()))
            )
        )
        # The reports' daily figures up to yesterday, as the nightly refresh_report_figures keeps them.
        refresh_daily_figures(since=None, until=timezone.localdate() - datetime.timedelta(days=1))
