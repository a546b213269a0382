"""The throughput sweep of the load test (scripts/loadtest): from locust's per-second history,
the throughput and p95 of every step of users, and the highest throughput at which p95 stays
under the target — the figure docs/performance.md compares between versions and with the floor."""

from __future__ import annotations

import csv
import itertools
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path

SETTLE_SECONDS = 20  # a step's first seconds: the new users log in, the 10-second window fills


@dataclass(frozen=True)
class Step:
    users: int
    seconds: int
    per_second: float  # requests a second over the settled part of the step
    p95_ms: float  # the median of locust's 10-second p95 over that part
    failures: int

    def as_dict(self) -> dict:
        return asdict(self)


def read_history(path: Path) -> list[dict]:
    """locust's ``*_stats_history.csv``: one row a second, the "Aggregated" rows only."""
    with path.open(newline="") as handle:
        return [row for row in csv.DictReader(handle) if row["Name"] == "Aggregated"]


def steps_from_history(rows: list[dict], *, settle: int = SETTLE_SECONDS) -> list[Step]:
    """One :class:`Step` per run of seconds at the same number of users (a ramp between steps is
    too short to count), measured after its first ``settle`` seconds."""
    steps = []
    for users, group in itertools.groupby(rows, key=lambda row: int(row["User Count"])):
        settled = list(group)[settle:]
        if users == 0 or len(settled) < 10:
            continue
        first, last = settled[0], settled[-1]
        seconds = int(last["Timestamp"]) - int(first["Timestamp"])
        if seconds <= 0:
            continue
        requests = int(last["Total Request Count"]) - int(first["Total Request Count"])
        failures = int(last["Total Failure Count"]) - int(first["Total Failure Count"])
        p95 = [float(row["95%"]) for row in settled if row["95%"] not in ("", "N/A")]
        steps.append(
            Step(
                users=users,
                seconds=seconds,
                per_second=round(requests / seconds, 1),
                p95_ms=round(statistics.median(p95), 0) if p95 else 0.0,
                failures=failures,
            )
        )
    return steps


def sustained(steps: list[Step], *, max_p95_ms: float) -> Step | None:
    """The step with the highest throughput whose p95 stays under the target, without errors."""
    good = [step for step in steps if step.p95_ms <= max_p95_ms and not step.failures]
    return max(good, key=lambda step: step.per_second, default=None)
