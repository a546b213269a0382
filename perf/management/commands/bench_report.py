"""Put the benchmark results of two or more sizes side by side and check the targets."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from perf.bench import TARGETS, compare, format_table


class Command(BaseCommand):
    help = "Print one table of benchmark results (smallest size first) and the targets met or missed."

    def add_arguments(self, parser):
        parser.add_argument("results", nargs="+", help="JSON files written by `bench --json`, smallest size first.")
        parser.add_argument("--json", dest="json_path", help="Write the combined table here.")
        parser.add_argument("--strict", action="store_true", help="Exit with an error when a target is missed.")

    def handle(self, *args, results, json_path, strict, **options):
        loaded = [json.loads(Path(path).read_text()) for path in results]
        runs = {data["label"]: data["results"] for data in loaded}
        rows, missed = compare(runs)
        self.stdout.write(format_table(rows, list(runs)))
        self.stdout.write(f"\nMachine: {loaded[-1]['machine']}")
        if missed:
            self.stdout.write(self.style.WARNING("Targets missed:\n  " + "\n  ".join(missed)))
        else:
            self.stdout.write(self.style.SUCCESS("Every target met."))
        if json_path:
            Path(json_path).write_text(
                json.dumps({"targets": TARGETS, "sizes": loaded, "table": rows, "missed": missed}, indent=2)
            )
            self.stdout.write(f"Written to {json_path}")
        if strict and missed:
            raise CommandError(f"{len(missed)} target(s) missed.")
