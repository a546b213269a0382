"""The benchmark: each main page and action, measured in-process through the whole middleware
stack (sessions, second step, CSRF-free test client, access logging), on the data in the
database (``seed_scale``), beside the Django admin change list of cases as the baseline.

Per scenario: p50 and p95 of server time, the query count (and whether it stayed the same on
every request) and the time spent in SQL. ``bench_report`` compares the results of two sizes
against the targets in docs/performance.md.
"""

from __future__ import annotations

import dataclasses
import datetime
import statistics
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db import connection
from django.db.models import Count
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Team, User
from base.chain import seal_pending
from cases import services
from cases.constants import CaseStatus, ConsentAnswer, LifeDomainCode, MembershipRole, Urgency
from cases.models import Case, CaseMembership, CaseUserObjectPermission, LifeDomain, Resident

# Request = (method, path, form data or None, expected status codes)
Request = tuple[str, str, dict | None, tuple[int, ...]]


@dataclass
class Scenario:
    name: str
    title: str
    kind: str  # "list", "page", "action", "baseline" (the admin) or "floor" (the cheapest page)
    user: User
    requests: Callable[[int], Request]
    prepare: Callable[[int], None] | None = None  # untimed set-up before request n
    baseline: str | None = None  # for lists: the admin scenario it is compared with
    sealing: str | None = None  # AUDIT_CHAIN_SEALING during the scenario (None: the setting as it is)


@dataclass
class Result:
    name: str
    title: str
    kind: str
    baseline: str | None
    runs: int
    p50_ms: float
    p95_ms: float
    mean_ms: float
    sql_p50_ms: float
    sql_p95_ms: float
    queries: int  # the most a request needed
    queries_min: int
    statuses: list[int] = field(default_factory=list)


class QueryMeter:
    """Counts and times every SQL statement on the default connection."""

    def __init__(self) -> None:
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - started
            self.count += 1


def log_in_verified(client: Client, user: User, *, device_name: str) -> None:
    """Log ``client`` in as ``user`` with a verified second step, as after a real login
    (a confirmed static device of that name marked verified in the session). The benchmark
    and the tests' ``client.login`` both use it."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_static.models import StaticDevice

    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    device, _created = StaticDevice.objects.get_or_create(user=user, name=device_name, defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def verified_client(user: User) -> Client:
    client = Client()
    log_in_verified(client, user, device_name="bench")
    return client


def run_scenario(scenario: Scenario, *, runs: int, warmup: int) -> Result:
    if scenario.sealing is None:
        return _run(scenario, runs=runs, warmup=warmup)
    with override_settings(AUDIT_CHAIN_SEALING=scenario.sealing):
        result = _run(scenario, runs=runs, warmup=warmup)
    seal_pending()  # what the batch left, before the next scenario (untimed)
    return result


def _run(scenario: Scenario, *, runs: int, warmup: int) -> Result:
    client = verified_client(scenario.user)
    times, sql_times, counts, statuses = [], [], [], []
    for n in range(warmup + runs):
        if scenario.prepare:
            scenario.prepare(n)
        method, path, data, expected = scenario.requests(n)
        meter = QueryMeter()
        with connection.execute_wrapper(meter):
            started = time.perf_counter()
            response = client.post(path, data) if method == "POST" else client.get(path)
            elapsed = time.perf_counter() - started
        if response.status_code not in expected:
            raise AssertionError(f"{scenario.name}: {method} {path} answered {response.status_code}, not {expected}")
        if n < warmup:
            continue
        times.append(elapsed * 1000)
        sql_times.append(meter.seconds * 1000)
        counts.append(meter.count)
        statuses.append(response.status_code)
    return Result(
        name=scenario.name,
        title=scenario.title,
        kind=scenario.kind,
        baseline=scenario.baseline,
        runs=runs,
        p50_ms=round(_percentile(times, 50), 2),
        p95_ms=round(_percentile(times, 95), 2),
        mean_ms=round(statistics.fmean(times), 2),
        sql_p50_ms=round(_percentile(sql_times, 50), 2),
        sql_p95_ms=round(_percentile(sql_times, 95), 2),
        queries=max(counts),
        queries_min=min(counts),
        statuses=sorted(set(statuses)),
    )


def _percentile(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    return statistics.quantiles(ordered, n=100, method="inclusive")[percent - 1]


# --- the scenarios ---------------------------------------------------------------------------


def _cycle(items: list):
    if not items:
        raise LookupError("The benchmark found no data to work on: load scale data with seed_scale first.")
    return lambda n: items[n % len(items)]


def build_scenarios() -> list[Scenario]:
    """The pages and actions of docs/performance.md, on the busiest accounts of the first team."""
    team = Team.objects.filter(municipality__name="Schaalstad").order_by("pk").first()
    if team is None:
        raise LookupError("No scale data here: run seed_scale first.")
    volunteer = User.objects.get(
        pk=CaseUserObjectPermission.objects.filter(permission__codename="view_case_slice", content_object__team=team)
        .values("user")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values("user")[:1]
    )
    professional = User.objects.get(
        pk=CaseMembership.objects.filter(
            case__team=team, role=MembershipRole.RESPONSIBLE, ended_at=None, case__closed_at=None
        )
        .values("user")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values("user")[:1]
    )
    coordinator = team.coordinators.order_by("pk").first()
    admin, _created = User.objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True, "first_name": "Bench"}
    )

    slice_ids = list(
        CaseUserObjectPermission.objects.filter(user=volunteer, permission__codename="view_case_slice")
        .order_by("content_object_id")
        .values_list("content_object_id", flat=True)
    )
    slice_case = _cycle(slice_ids)
    # case files: the professional's own and the team's, open and closed, small and large
    file_ids = list(Case.objects.filter(team=team).order_by("?").values_list("pk", flat=True)[:200])
    file_case = _cycle(file_ids)
    villages = list(team.villages.values_list("pk", flat=True))
    surnames = list(Resident.objects.filter(village__team=team).values_list("last_name", flat=True)[:50])
    resident = Resident.objects.filter(village__team=team).order_by("pk").first()
    searches = [
        surnames[0],
        surnames[1].split()[-1][:5],
        resident.postcode[:4],
        f"{resident.street} {resident.house_number}",
    ]
    case_filters = [
        "",
        "?status=active",
        f"?domain={LifeDomainCode.MONEY}",
        f"?urgency={Urgency.HIGH}&sort=quiet",
        f"?village={villages[0]}",
        f"?q={surnames[2]}",
        "?quiet_weeks=4",
        f"?status={CaseStatus.CLOSED}&sort=recent",
    ]
    meeting = services.meeting_start(actor=professional, team=team)
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    domains = list(LifeDomain.objects.filter(code=LifeDomainCode.PARTICIPATION))

    triage_cases: list[Case] = []

    def new_case(n: int) -> None:
        """A fresh intake to decide on, so every decision is a first decision (untimed)."""
        triage_cases.append(
            services.intake_register(
                actor=professional,
                intake_channel="phone",
                domains=domains,
                request_for_help="Benchmark: vraag om hulp bij de administratie.",
                resident=Resident.objects.filter(village__team=team).order_by("pk")[n % 500],
                consent_answer=ConsentAnswer.NO,
            )
        )

    admin_list = reverse("baseline_admin:cases_case_changelist")
    scenarios = [
        Scenario(
            "my_cases",
            "Volunteer: my cases",
            "list",
            volunteer,
            lambda n: ("GET", reverse("volunteers:my_cases"), None, (200,)),
            baseline="admin_list",
        ),
        Scenario(
            "case_slice",
            "Volunteer: a case (slice)",
            "page",
            volunteer,
            lambda n: ("GET", reverse("volunteers:my_case", args=[slice_case(n)]), None, (200,)),
        ),
        Scenario(
            "log_visit",
            "Volunteer: log a home visit",
            "action",
            volunteer,
            lambda n: (
                "POST",
                reverse("volunteers:visit_new", args=[slice_case(n)]),
                {
                    "visited_on": today.isoformat(),
                    "start_time": "10:00",
                    "duration_minutes": "60",
                    "company": "alone",
                    "activities": ["conversation"],
                    "summary": "Samen de post doorgenomen.",
                    "submission_key": str(uuid.uuid4()),
                },
                (302,),
            ),
        ),
        Scenario(
            "team_case_list",
            "Professional: team case list with filters",
            "list",
            professional,
            lambda n: ("GET", reverse("cases:list") + case_filters[n % len(case_filters)], None, (200,)),
            baseline="admin_list",
        ),
        Scenario(
            "case_file",
            "Professional: a case file",
            "page",
            professional,
            lambda n: ("GET", reverse("cases:detail", args=[file_case(n)]), None, (200,)),
        ),
        Scenario(
            "meeting_agenda",
            "Professional: weekly-meeting agenda",
            "list",
            professional,
            lambda n: ("GET", reverse("meetings:detail", args=[meeting.pk]), None, (200,)),
            baseline="admin_list",
        ),
        Scenario(
            "triage_decision",
            "Professional: a triage decision",
            "action",
            professional,
            lambda n: (
                "POST",
                reverse("meetings:decide", args=[meeting.pk, triage_cases[-1].pk]),
                {"responsible": str(professional.pk), "next_step": "Huisbezoek binnen twee weken.", "reasons": ["new"]},
                (302,),
            ),
            prepare=new_case,
        ),
        Scenario(
            "resident_search",
            "Professional: resident search",
            "list",
            professional,
            lambda n: ("GET", reverse("cases:resident_search") + f"?q={searches[n % len(searches)]}", None, (200,)),
            baseline="admin_search",
        ),
        Scenario(
            "roster_week",
            "Coordinator: roster week",
            "page",
            coordinator,
            lambda n: (
                "GET",
                reverse("coordination:roster") + f"?datum={monday - datetime.timedelta(weeks=n % 8)}",
                None,
                (200,),
            ),
        ),
        Scenario(
            "reports",
            "Professional: reports, 12 weeks, own team",
            "page",
            professional,
            lambda n: ("GET", reverse("reports") + f"?team={team.pk}", None, (200,)),
        ),
        Scenario(
            "floor",
            "Floor: the cheapest logged-in page through the whole stack",
            "floor",
            professional,
            lambda n: ("GET", reverse("bench_floor"), None, (200,)),
        ),
        Scenario(
            "admin_list",
            "Baseline: admin change list of cases, team and status filter",
            "baseline",
            admin,
            lambda n: ("GET", admin_list + f"?team__id__exact={team.pk}&status__exact=active", None, (200,)),
        ),
        Scenario(
            "admin_search",
            "Baseline: admin change list of cases, resident search",
            "baseline",
            admin,
            lambda n: ("GET", admin_list + f"?q={searches[n % 2]}", None, (200,)),
        ),
    ]
    return scenarios + _without_sealing(scenarios, ("log_visit", "case_file", "triage_decision"))


def _without_sealing(scenarios: list[Scenario], names: tuple[str, ...]) -> list[Scenario]:
    """The same writes with the audit chain sealed by the timer (``AUDIT_CHAIN_SEALING=batch``)
    instead of after each commit: the difference is what sealing costs a page."""
    return [
        dataclasses.replace(
            scenario,
            name=f"{scenario.name}_batch",
            title=f"{scenario.title} (chain sealed by the timer)",
            sealing="batch",
        )
        for scenario in scenarios
        if scenario.name in names
    ]


def run_all(*, runs: int, warmup: int, only: list[str] | None = None, log=print) -> list[Result]:
    results = []
    for scenario in build_scenarios():
        if only and scenario.name not in only:
            continue
        result = run_scenario(scenario, runs=runs, warmup=warmup)
        log(
            f"  {result.name:<16} p50 {result.p50_ms:7.1f} ms  p95 {result.p95_ms:7.1f} ms  {result.queries:3d} queries"
        )
        results.append(result)
    return results


# --- comparing sizes against the targets ------------------------------------------------------

TARGETS = {
    # Ratios, not milliseconds: machines differ, the floor and the admin run on the same one.
    "max_ratio_to_floor": 4.0,  # every page's p95 over the floor's p95, at the largest size
    "max_queries": 12,
    "max_growth": 1.5,  # p95 at the largest size over p95 at the smallest
    "min_speedup_vs_admin": 3.0,  # list pages against the admin baseline
}


def compare(runs: dict[str, list[dict]]) -> tuple[list[dict], list[str]]:
    """Rows of the combined table and the targets missed (empty when all are met).

    ``runs`` maps a size label to its results, smallest first."""
    labels = list(runs)
    small, large = labels[0], labels[-1]
    by_size = {label: {row["name"]: row for row in rows} for label, rows in runs.items()}
    rows, missed = [], []
    floor = next((row for row in by_size[large].values() if row["kind"] == "floor"), None)
    for name, big in by_size[large].items():
        row = {"name": name, "title": big["title"], "kind": big["kind"]}
        for label in labels:
            result = by_size[label].get(name)
            if result:
                row[label] = {key: result[key] for key in ("p50_ms", "p95_ms", "queries", "queries_min", "sql_p95_ms")}
        base = by_size[large].get(big["baseline"] or "")
        if base:
            row["speedup_vs_admin"] = round(base["p95_ms"] / big["p95_ms"], 1)
        if floor and big["kind"] != "floor":
            row["ratio_to_floor"] = round(big["p95_ms"] / floor["p95_ms"], 1)
        if big["kind"] not in ("baseline", "floor"):
            tiny = by_size[small].get(name)
            checks = {f"{big['queries']} queries > {TARGETS['max_queries']}": big["queries"] > TARGETS["max_queries"]}
            if floor:
                checks[f"p95 {row['ratio_to_floor']}x the floor's at {large}"] = (
                    row["ratio_to_floor"] > TARGETS["max_ratio_to_floor"]
                )
            if tiny:
                growth = big["p95_ms"] / tiny["p95_ms"]
                row["growth"] = round(growth, 2)
                checks[f"p95 grew {growth:.2f}x from {small} to {large}"] = growth > TARGETS["max_growth"]
                checks[f"query count {tiny['queries']} at {small}, {big['queries']} at {large}"] = (
                    tiny["queries"] != big["queries"]
                )
            if base:
                checks[f"only {row['speedup_vs_admin']}x faster than the admin"] = (
                    row["speedup_vs_admin"] < TARGETS["min_speedup_vs_admin"]
                )
            row["missed"] = [text for text, failed in checks.items() if failed]
            missed.extend(f"{name}: {text}" for text in row["missed"])
        rows.append(row)
    return rows, missed


def format_table(rows: list[dict], labels: list[str]) -> str:
    head = f"{'page or action':<17}" + "".join(
        f"| {label + ' p50':>9} {label + ' p95':>9} {'q':>3} {'sql p95':>8} " for label in labels
    )
    head += f"| {'growth':>6} | {'vs floor':>8} | {'vs admin':>8} | target"
    lines = [head, "-" * len(head)]
    for row in rows:
        line = f"{row['name']:<17}"
        for label in labels:
            cell = row.get(label)
            if cell:
                queries = f"{cell['queries']}" if cell["queries"] == cell["queries_min"] else f"~{cell['queries']}"
                line += f"| {cell['p50_ms']:9.1f} {cell['p95_ms']:9.1f} {queries:>3} {cell['sql_p95_ms']:8.1f} "
            else:
                line += "| " + " " * 33
        growth = f"{row['growth']:.2f}" if "growth" in row else ""
        speedup = f"{row['speedup_vs_admin']:.1f}x" if "speedup_vs_admin" in row else ""
        over_floor = f"{row['ratio_to_floor']:.1f}x" if "ratio_to_floor" in row else ""
        verdict = "" if row["kind"] in ("baseline", "floor") else ("met" if not row.get("missed") else "MISSED")
        lines.append(line + f"| {growth:>6} | {over_floor:>8} | {speedup:>8} | {verdict}")
    return "\n".join(lines)


def results_as_dicts(results: list[Result]) -> list[dict]:
    return [asdict(result) for result in results]


def machine() -> dict:
    import os
    import platform

    with connection.cursor() as cursor:
        cursor.execute("select version()" if connection.vendor == "postgresql" else "select sqlite_version()")
        database = cursor.fetchone()[0]
    cpu = ""
    try:
        with open("/proc/cpuinfo") as info:
            cpu = next((line.split(":", 1)[1].strip() for line in info if line.startswith("model name")), "")
    except OSError:
        pass
    return {
        "python": platform.python_version(),
        "database": database.split(" on ")[0],
        "cpu": cpu,
        "cores": os.cpu_count(),
        "when": timezone.now().isoformat(timespec="seconds"),
    }
