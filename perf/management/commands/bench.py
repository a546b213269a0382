"""Measure the main pages and actions on the scale data in this database."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from perf.bench import machine, results_as_dicts, run_all
from perf.scale import MUNICIPALITY


class Command(BaseCommand):
    help = "Benchmark the main pages and actions (p50/p95, queries, SQL time) beside the admin baseline."

    def add_arguments(self, parser):
        parser.add_argument("--label", required=True, help="The size of the data here, e.g. S or XL.")
        parser.add_argument("--runs", type=int, default=60, help="Measured requests per scenario.")
        parser.add_argument(
            "--warmup", type=int, default=10, help="Unmeasured requests first (a round of every filter variant)."
        )
        parser.add_argument("--only", nargs="*", help="Only these scenarios.")
        parser.add_argument("--json", dest="json_path", help="Write the results here.")

    def handle(self, *args, label, runs, warmup, only, json_path, **options):
        from django.conf import settings

        if not getattr(settings, "BASELINE_ADMIN", False):
            raise CommandError("Run the benchmark with DJANGO_SETTINGS_MODULE=wijkteam.settings.bench.")
        self.stdout.write(f"Benchmark on {label} ({connection.vendor}), {runs} runs per scenario:")
        try:
            results = run_all(runs=runs, warmup=warmup, only=only, log=self.stdout.write)
        except LookupError as error:
            raise CommandError(f"{error} (expected the {MUNICIPALITY} scale data)") from error
        if json_path:
            path = Path(json_path)
            path.parent.mkdir(parents=True, exist_ok=True)
            data = {"label": label, "machine": machine(), "runs": runs, "results": results_as_dicts(results)}
            path.write_text(json.dumps(data, indent=2))
            self.stdout.write(f"Written to {path}")
