"""Reports: aggregates in the database, small counts suppressed for readers without access
to the files, CSV export, a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from cases import services as case_services
from cases.constants import ConsentAnswer, Outcome
from reports import selectors
from tests.factories import PASSWORD, CaseFactory, ResidentFactory, VillageFactory, make_coordinator, make_professional


@pytest.fixture
def team_cases():
    village = VillageFactory(name="Randwijk")
    professional = make_professional(village.team)
    cases = [
        CaseFactory(resident=ResidentFactory(village=village), responsible=professional, with_volunteer=True)
        for _ in range(6)
    ]
    CaseFactory(resident=ResidentFactory(village=village), responsible=professional, consent=ConsentAnswer.NO)
    case_services.case_close(actor=professional, case=cases[0], outcome=Outcome.REFERRED)
    return village.team, professional, cases


def _table(data, title_start):
    return next(t for t in data["tables"] if t.title.startswith(title_start))


def _period():
    today = timezone.localdate()
    return today - datetime.timedelta(days=30), today


def test_professional_of_the_team_sees_exact_counts(team_cases):
    team, professional, _cases = team_cases
    start, end = _period()

    with translation.override("en"):
        data = selectors.build_report(
            user=professional, teams=team.__class__.objects.filter(pk=team.pk), start=start, end=end
        )

    assert not data["suppress"]
    assert data["total"].shown == "7"
    volunteers = {row.label: row.shown for row in _table(data, "Volunteer staff and consent").rows}
    assert volunteers == {"With volunteer staff": "6", "Consent refused": "1"}
    outcomes = {row.label: row.shown for row in _table(data, "Closing outcomes").rows}
    with translation.override("en"):
        assert outcomes[str(Outcome.REFERRED.label)] == "1"


def test_coordinator_sees_small_counts_as_less_than_five(team_cases):
    team, _professional, _cases = team_cases
    coordinator = make_coordinator(team)
    start, end = _period()

    with translation.override("en"):
        data = selectors.build_report(user=coordinator, teams=selectors.report_teams(coordinator), start=start, end=end)

    assert data["suppress"]
    assert data["total"].shown == "7"
    volunteers = {row.label: row.shown for row in _table(data, "Volunteer staff and consent").rows}
    assert volunteers == {"With volunteer staff": "6", "Consent refused": "<5"}
    assert all(row.shown == "<5" for row in _table(data, "Closing outcomes").rows)
    assert all(not bar["width"] for bar in _table(data, "Closing outcomes").bars)


def test_report_page_renders_charts_and_csv(client, team_cases):
    _team, professional, _cases = team_cases
    client.login(username=professional.username, password=PASSWORD)

    page = client.get(reverse("reports")).content.decode()
    csv = client.get(reverse("reports"), {"formaat": "csv"})

    assert "<svg" in page and "<rect" in page
    assert csv["Content-Type"].startswith("text/csv")
    assert "Randwijk" in csv.content.decode()


def test_reports_are_404_for_volunteer_staff(client, team_cases):
    _team, _professional, cases = team_cases
    client.login(username=cases[1].volunteer.username, password=PASSWORD)

    assert client.get(reverse("reports")).status_code == 404


def test_bad_period_falls_back_without_an_error(client, team_cases):
    _team, professional, _cases = team_cases
    client.login(username=professional.username, password=PASSWORD)

    response = client.get(reverse("reports"), {"van": "2026-99-99", "tot": "1900-01-01", "team": "abc"})

    assert response.status_code == 200


def test_report_query_count_does_not_grow_with_the_data(client, team_cases, django_assert_max_num_queries):
    team, professional, _cases = team_cases
    client.login(username=professional.username, password=PASSWORD)
    with django_assert_max_num_queries(40) as few:
        client.get(reverse("reports"))
    village = team.villages.first()
    for _ in range(5):
        CaseFactory(resident=ResidentFactory(village=village), responsible=professional, with_volunteer=True)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("reports"))
