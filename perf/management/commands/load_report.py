"""Summarise locust's statistics (scripts/loadtest) and check the load-test targets: a steady
run (errors, p95), or a sweep (``--history``: throughput per step of users, the highest one at
which p95 stays under 250 ms, and, given a baseline's, how many times that is)."""

import csv
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from perf.sweep import read_history, steps_from_history, sustained

MAX_P95_MS = 250
MIN_TIMES_BASELINE = 3.0


class Command(BaseCommand):
    help = "Print throughput, p95 and errors per request of a locust run; fail when a target is missed."

    def add_arguments(self, parser):
        parser.add_argument("stats", help="locust's *_stats.csv")
        parser.add_argument("--users", type=int, required=True)
        parser.add_argument("--duration", required=True)
        parser.add_argument("--size", required=True)
        parser.add_argument("--json", dest="json_path")
        parser.add_argument("--history", help="locust's *_stats_history.csv of a sweep (LOAD_STEPS)")
        parser.add_argument("--label", default="app", help="what was swept: app or floor")
        parser.add_argument(
            "--baseline-per-second",
            type=float,
            help="the sustained throughput of the version compared with, measured on this machine",
        )
        parser.add_argument(
            "--cpu-seconds",
            type=float,
            help="CPU seconds the app server's processes used during the run (scripts/loadtest measures them)",
        )

    def handle(
        self,
        *args,
        stats,
        users,
        duration,
        size,
        json_path,
        cpu_seconds=None,
        history=None,
        label="app",
        baseline_per_second=None,
        **options,
    ):
        with Path(stats).open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        if not rows:
            raise CommandError(f"{stats} holds no requests: did the load test run?")
        table = [
            {
                "name": f"{row['Type']} {row['Name']}".strip(),
                "requests": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "per_second": round(float(row["Requests/s"]), 1),
                "p50_ms": float(row["50%"] or 0),
                "p95_ms": float(row["95%"] or 0),
                "max_ms": round(float(row["Max Response Time"] or 0)),
            }
            for row in rows
            if int(row["Request Count"])  # a name with no requests (the logins before a sweep): "N/A"
        ]
        self.stdout.write(f"Load test: {users} users for {duration} on {size} data")
        self.stdout.write(f"{'request':<30} {'count':>7} {'errors':>6} {'req/s':>6} {'p50':>6} {'p95':>6} {'max':>6}")
        for row in table:
            self.stdout.write(
                f"{row['name']:<30} {row['requests']:>7} {row['failures']:>6} {row['per_second']:>6} "
                f"{row['p50_ms']:>6.0f} {row['p95_ms']:>6.0f} {row['max_ms']:>6}"
            )
        total = next(row for row in table if row["name"] == "Aggregated")
        cpu_ms = round(1000 * cpu_seconds / total["requests"], 1) if cpu_seconds and total["requests"] else None
        if cpu_ms is not None:
            # What a request costs the server whatever the machine's load: the figure to compare
            # with the floor's (docs/performance.md).
            self.stdout.write(f"App server CPU: {cpu_seconds:.1f} s for {total['requests']} requests, {cpu_ms} ms each")
        missed = []
        if total["failures"]:
            missed.append(f"{total['failures']} errors")
        result = {"users": users, "duration": duration, "size": size, "label": label, "table": table}
        if history:
            missed += self._sweep(Path(history), label, baseline_per_second, result)
        elif total["p95_ms"] > MAX_P95_MS:
            missed.append(f"p95 {total['p95_ms']:.0f} ms over {MAX_P95_MS} ms")
        result |= {"cpu_ms_per_request": cpu_ms, "missed": missed}
        if json_path:
            Path(json_path).write_text(json.dumps(result, indent=2))
        if missed:
            raise CommandError("Load-test target missed: " + "; ".join(missed))
        self.stdout.write(self.style.SUCCESS("Targets met."))

    def _sweep(self, history: Path, label: str, baseline: float | None, result: dict) -> list[str]:
        """The steps of a sweep, the sustained throughput, and what is missed."""
        steps = steps_from_history(read_history(history))
        self.stdout.write(f"Sweep ({label}): {'users':>6} {'req/s':>7} {'p95':>6} {'errors':>6}")
        for step in steps:
            self.stdout.write(f"{'':<14}{step.users:>6} {step.per_second:>7} {step.p95_ms:>6.0f} {step.failures:>6}")
        best = sustained(steps, max_p95_ms=MAX_P95_MS)
        result |= {"sweep": [step.as_dict() for step in steps], "sustained": best.as_dict() if best else None}
        if best is None:
            return [f"no step of the sweep kept p95 under {MAX_P95_MS} ms"]
        saturated = best is not steps[-1]
        self.stdout.write(
            f"Sustained at p95 ≤ {MAX_P95_MS} ms: {best.per_second} requests a second ({best.users} users)"
            + ("" if saturated else ", the sweep's last step: the limit lies higher")
        )
        if baseline is None:
            return []
        times = round(best.per_second / baseline, 1)
        result["times_baseline"] = times
        self.stdout.write(f"{times}× the baseline's {baseline} requests a second")
        if times < MIN_TIMES_BASELINE:
            return [f"{times}× the baseline's throughput, under {MIN_TIMES_BASELINE:g}×"]
        return []
