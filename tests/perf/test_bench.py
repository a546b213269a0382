"""The benchmark machinery: every scenario runs on scale data, and the report checks the targets."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from perf.bench import compare, format_table, run_all


@pytest.fixture
def bench_settings(settings):
    settings.SCALE_DATA_ALLOWED = True
    settings.BASELINE_ADMIN = True
    settings.ROOT_URLCONF = "perf.urls"
    call_command("seed_scale", "--size", "XS", stdout=io.StringIO())


def test_every_scenario_runs_and_answers_as_expected(bench_settings):
    results = {result.name: result for result in run_all(runs=2, warmup=1, log=lambda line: None)}
    assert set(results) == {
        "my_cases",
        "case_slice",
        "log_visit",
        "team_case_list",
        "case_file",
        "meeting_agenda",
        "triage_decision",
        "resident_search",
        "roster_week",
        "reports",
        "admin_list",
        "admin_search",
        "floor",  # the cheapest logged-in page: every page is measured against it
        "log_visit_batch",  # the writes again with the audit chain sealed by the timer
        "case_file_batch",
        "triage_decision_batch",
    }
    assert results["log_visit"].statuses == [302] and results["triage_decision"].statuses == [302]
    for result in results.values():
        assert result.queries >= result.queries_min > 0
        assert result.p95_ms >= result.p50_ms > 0


def _result(name, p95, queries, kind="page", baseline=None):
    return {
        "name": name,
        "title": name,
        "kind": kind,
        "baseline": baseline,
        "p50_ms": p95 / 2,
        "p95_ms": p95,
        "queries": queries,
        "queries_min": queries,
        "sql_p95_ms": 1.0,
    }


def test_compare_flags_each_missed_target():
    floor = _result("floor", 10, 3, "floor")
    small = [
        _result("list", 10, 8, "list", "admin"),
        _result("page", 10, 8),
        _result("admin", 100, 9, "baseline"),
        floor,
    ]
    large = [
        _result("list", 40, 8, "list", "admin"),  # grew 4x, and only 2.5x faster than the admin
        _result("page", 60, 13),  # 6x the floor, too many queries, count changed
        _result("admin", 100, 9, "baseline"),
        floor,
    ]
    rows, missed = compare({"S": small, "XL": large})
    assert any("list: p95 grew 4.00x" in text for text in missed)
    assert any("list: only 2.5x faster than the admin" in text for text in missed)
    assert any("page: p95 6.0x the floor's" in text for text in missed)
    assert not any(text.startswith(("floor", "admin")) for text in missed)
    assert any("page: 13 queries > 12" in text for text in missed)
    assert any("page: query count 8 at S, 13 at XL" in text for text in missed)
    assert "MISSED" in format_table(rows, ["S", "XL"])

    rows, missed = compare({"S": small, "XL": small})
    assert not [text for text in missed if text.startswith("page")]


def test_bench_report_writes_the_combined_json(tmp_path):
    for label in ("S", "XL"):
        data = {"label": label, "machine": {"cpu": "test"}, "results": [_result("page", 10, 8)]}
        (tmp_path / f"{label}.json").write_text(json.dumps(data))
    out = tmp_path / "bench.json"
    call_command(
        "bench_report",
        str(tmp_path / "S.json"),
        str(tmp_path / "XL.json"),
        "--json",
        str(out),
        stdout=io.StringIO(),
    )
    assert json.loads(out.read_text())["missed"] == []


def _locust_csv(path, failures, p95):
    columns = ["Type", "Name", "Request Count", "Failure Count", "Requests/s", "50%", "95%", "Max Response Time"]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerow(["GET", "my cases", 100, failures, 2.5, 20, p95, 300])
        writer.writerow(["", "Aggregated", 100, failures, 2.5, 20, p95, 300])


def test_load_report_checks_errors_and_p95(tmp_path):
    stats = tmp_path / "load_stats.csv"
    args = ["--users", "50", "--duration", "3m", "--size", "XL"]
    _locust_csv(stats, failures=0, p95=120)
    call_command("load_report", str(stats), *args, stdout=io.StringIO())
    _locust_csv(stats, failures=2, p95=400)
    with pytest.raises(CommandError, match="2 errors; p95 400 ms"):
        call_command("load_report", str(stats), *args, stdout=io.StringIO())


def test_load_report_leaves_out_names_without_requests(tmp_path):
    """The logins done before a sweep leave their names with no requests ("N/A" percentiles)."""
    stats = tmp_path / "load_stats.csv"
    _locust_csv(stats, failures=0, p95=120)
    with stats.open("a", newline="") as handle:
        csv.writer(handle).writerow(["POST", "login", 0, 0, 0.0, "N/A", "N/A", 0])
    out = tmp_path / "load.json"
    args = ["--users", "50", "--duration", "3m", "--size", "XL", "--json", str(out)]

    call_command("load_report", str(stats), *args, stdout=io.StringIO())

    assert [row["name"] for row in json.loads(out.read_text())["table"]] == ["GET my cases", "Aggregated"]


def test_the_floor_is_for_logged_in_staff_only(bench_settings, client):
    """The floor pays what every page pays (session, user, second step, roles) and no more."""
    from django.urls import reverse

    from tests.factories import PASSWORD, TeamFactory, UserFactory, make_professional

    professional = make_professional(TeamFactory())
    nobody = UserFactory()

    assert client.get(reverse("bench_floor")).status_code == 302  # to the login
    client.login(username=nobody.username, password=PASSWORD)
    assert client.get(reverse("bench_floor")).status_code == 404  # no role
    client.login(username=professional.username, password=PASSWORD)
    response = client.get(reverse("bench_floor"))
    assert response.status_code == 200 and professional.display_name in response.content.decode()
    assert response["Cache-Control"] == "no-store"


def test_load_report_gives_the_servers_cpu_per_request(tmp_path):
    stats = tmp_path / "load_stats.csv"
    _locust_csv(stats, failures=0, p95=120)  # 100 requests
    out = io.StringIO()

    call_command(
        "load_report",
        str(stats),
        "--users",
        "50",
        "--duration",
        "3m",
        "--size",
        "XL",
        "--cpu-seconds",
        "2.5",
        "--json",
        str(tmp_path / "load.json"),
        stdout=out,
    )

    assert "25.0 ms each" in out.getvalue()
    assert json.loads((tmp_path / "load.json").read_text())["cpu_ms_per_request"] == 25.0


def _history_csv(path, steps):
    """locust's per-second history of a sweep: ``steps`` as (users, seconds, requests a second,
    p95, failures a second)."""
    columns = ["Timestamp", "User Count", "Type", "Name", "95%", "Total Request Count", "Total Failure Count"]
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        now, total, failed = 1_000, 0, 0
        for users, seconds, per_second, p95, failures in steps:
            for _ in range(seconds):
                now, total, failed = now + 1, total + per_second, failed + failures
                writer.writerow([now, users, "GET", "my cases", p95, total, failed])  # not aggregated: ignored
                writer.writerow([now, users, "", "Aggregated", p95, total, failed])
            now += 1
            writer.writerow([now, users + 1, "", "Aggregated", p95, total, failed])  # a ramp second: too short


def test_the_sweep_finds_the_highest_throughput_under_the_p95_target(tmp_path):
    from perf.sweep import read_history, steps_from_history, sustained

    history = tmp_path / "load_stats_history.csv"
    _history_csv(history, [(10, 60, 4, 90, 0), (40, 60, 16, 180, 0), (90, 60, 30, 260, 0), (120, 60, 31, 900, 0)])

    steps = steps_from_history(read_history(history))

    assert [(step.users, step.per_second, step.p95_ms) for step in steps] == [
        (10, 4.0, 90),
        (40, 16.0, 180),
        (90, 30.0, 260),
        (120, 31.0, 900),
    ]
    assert sustained(steps, max_p95_ms=250).users == 40


def test_a_sweep_with_errors_or_without_a_good_step_misses_its_target(tmp_path):
    from perf.sweep import read_history, steps_from_history, sustained

    history = tmp_path / "load_stats_history.csv"
    _history_csv(history, [(10, 60, 4, 300, 0), (40, 60, 16, 180, 1)])

    assert sustained(steps_from_history(read_history(history)), max_p95_ms=250) is None


def test_load_report_of_a_sweep_compares_with_the_baseline(tmp_path):
    stats, history = tmp_path / "load_stats.csv", tmp_path / "load_stats_history.csv"
    _locust_csv(stats, failures=0, p95=400)  # the whole run's p95 includes the overloaded steps
    _history_csv(history, [(10, 60, 4, 90, 0), (40, 60, 16, 180, 0), (90, 60, 30, 600, 0)])
    args = ["--users", "90", "--duration", "sweep", "--size", "XL", "--history", str(history)]
    out = io.StringIO()

    call_command(
        "load_report", str(stats), *args, "--baseline-per-second", "5", "--json", str(tmp_path / "l.json"), stdout=out
    )

    assert "Sustained at p95 ≤ 250 ms: 16.0 requests a second (40 users)" in out.getvalue()
    result = json.loads((tmp_path / "l.json").read_text())
    assert result["sustained"]["per_second"] == 16.0 and result["times_baseline"] == 3.2
    with pytest.raises(CommandError, match=r"1\.6× the baseline's throughput, under 3×"):
        call_command("load_report", str(stats), *args, "--baseline-per-second", "10", stdout=io.StringIO())
