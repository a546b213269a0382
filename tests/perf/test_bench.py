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
