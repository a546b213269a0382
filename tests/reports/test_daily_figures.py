"""Reports from daily figures: a report summed from the daily figures (refreshed through
yesterday) plus the live days is exactly the report computed live over the whole period, for any
period and reader; refreshing again changes nothing and picks up late changes; the page needs
the same few queries for two weeks and for three years; the nightly command's options; and no
reader sees the figures of a team that is not theirs."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation

from accounts.models import Team, User
from cases.models import Case, HomeVisit, Meeting, MeetingDecision
from reports import selectors
from reports.models import DailyFigure, FigureKind, FiguresRefresh
from reports.services import first_day_with_data, refresh_daily_figures
from tests.factories import PASSWORD, TeamFactory, make_professional
from volunteers.models import VolunteerStaff

DAY = datetime.timedelta(days=1)


def plain(data: dict) -> dict:
    """Everything a report shows: every table's rows and shown values, total, median, decisions."""
    return {
        "suppress": data["suppress"],
        "total": (data["total"].label, data["total"].value, data["total"].shown),
        "tables": [
            (table.title, table.unit, [(row.label, row.value, row.shown) for row in table.rows])
            for table in data["tables"]
        ],
        "median": data["median_days_to_decision"],
        "decisions": data["decisions_counted"],
    }


def live_report(**kwargs) -> dict:
    """The report computed live over the whole period: as if nothing were summarised yet."""
    savepoint = transaction.savepoint()
    FiguresRefresh.objects.all().delete()
    data = selectors.build_report(**kwargs)
    transaction.savepoint_rollback(savepoint)
    assert data["summarised_through"] is None
    return data


def refresh_through_yesterday(since: datetime.date | None = None) -> FiguresRefresh:
    return refresh_daily_figures(since=since, until=timezone.localdate() - DAY)


def _periods(today: datetime.date) -> dict[str, tuple[datetime.date, datetime.date]]:
    return {
        "default 12 weeks, summarised and today": (today - datetime.timedelta(weeks=12), today),
        "inside the summarised days": (today - datetime.timedelta(days=60), today - datetime.timedelta(days=10)),
        "up to yesterday": (today - datetime.timedelta(days=30), today - DAY),
        "one past week": (today - datetime.timedelta(days=13), today - datetime.timedelta(days=7)),
        "only today": (today, today),
        "three years": (today - datetime.timedelta(days=3 * 366), today),
    }


@pytest.mark.both_databases
def test_report_from_daily_figures_is_exactly_the_live_report(world):
    team_a, team_b, team_c = world.teams
    readers = {
        "professional, own team (exact)": (world.professionals[team_a], [team_a]),
        "coordinator, two teams (<5)": (world.coordinator, [team_a, team_b]),
        "professional, three teams (<5)": (world.professionals[team_a], [team_a, team_b, team_c]),
    }
    periods = _periods(world.today)
    with translation.override("en"):
        expected = {
            (reader, period): plain(live_report(user=user, teams=teams, start=start, end=end))
            for reader, (user, teams) in readers.items()
            for period, (start, end) in periods.items()
        }

        refresh_through_yesterday()
        found = {}
        for reader, (user, teams) in readers.items():
            for period, (start, end) in periods.items():
                data = selectors.build_report(user=user, teams=teams, start=start, end=end)
                found[reader, period] = plain(data)
                assert data["summarised_through"] == (min(end, world.today - DAY) if start < world.today else None)

    assert found == expected
    # The data set exercises what it should: every kind of figure, exact and hidden small counts,
    # today's live cases, and another team's volunteer visiting team A's cases.
    assert set(DailyFigure.objects.values_list("kind", flat=True)) == set(FigureKind.values)
    default = "default 12 weeks, summarised and today"
    shown = [
        row[2] for _title, _unit, rows in expected["coordinator, two teams (<5)", default]["tables"] for row in rows
    ]
    assert "<5" in shown and any(value not in ("<5", "0") for value in shown)
    assert expected["professional, own team (exact)", "only today"]["total"][1] >= 3
    assert expected["professional, own team (exact)", default]["decisions"] >= 5
    own = {row[0] for row in expected["professional, own team (exact)", default]["tables"][6][2]}
    three = {row[0] for row in expected["professional, three teams (<5)", default]["tables"][6][2]}
    assert any(name.startswith("Cees") for name in three - own)


def test_build_report_reads_two_queries_for_any_period(small, django_assert_num_queries):
    """The refresh record, then one query: summed figures, live days and open cases together."""
    refresh_through_yesterday()
    selectors.suppress_for(small.professional, [small.team])  # the reader's facts, read once per request

    for start in (small.today - datetime.timedelta(weeks=2), small.today - datetime.timedelta(days=3 * 366)):
        with django_assert_num_queries(2):
            selectors.build_report(user=small.professional, teams=[small.team], start=start, end=small.today)


def test_the_page_needs_the_same_few_queries_for_two_weeks_and_three_years(
    small, client, django_assert_max_num_queries
):
    refresh_through_yesterday()
    client.login(username=small.professional.username, password=PASSWORD)
    client.get(reverse("reports"))
    counts = []

    for start in (small.today - datetime.timedelta(weeks=2), small.today - datetime.timedelta(days=3 * 366)):
        # The request's own statements (session, user, the reader's teams) + the refresh + one query.
        with django_assert_max_num_queries(8) as queries:
            assert client.get(reverse("reports"), {"van": start.isoformat()}).status_code == 200
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


def _rows() -> set[tuple]:
    return set(DailyFigure.objects.values_list("team", "day", "kind", "key", "count", "amount", "village", "person"))


def test_refreshing_again_changes_nothing(world):
    first = refresh_through_yesterday()
    rows = _rows()

    again = refresh_through_yesterday(since=world.today - datetime.timedelta(days=40))
    everything = refresh_through_yesterday(since=None)

    assert _rows() == rows
    assert first.through == again.through == everything.through == world.today - DAY
    assert everything.since == first_day_with_data()


def test_a_change_to_a_past_day_shows_after_the_next_refresh(world):
    team_a = world.teams[0]
    user, teams = world.professionals[team_a], [team_a]
    start, end = world.today - datetime.timedelta(weeks=12), world.today
    refresh_through_yesterday()
    before = plain(selectors.build_report(user=user, teams=teams, start=start, end=end))
    # Later facts about past days: a visit logged for last week, a first decision on a case
    # opened three weeks ago, a case of last month transferred to another team.
    case = next(c for c in world.cases if c.team == team_a and c.opened_at.date() < world.today - DAY * 20)
    HomeVisit.objects.create(
        case=case, visitor=world.volunteers[team_a][0], visited_on=world.today - DAY * 7, duration_minutes=600
    )
    undecided = next(
        c
        for c in world.cases
        if c.team == team_a
        and not c.decisions.exists()
        and world.today - DAY * 60 < c.opened_at.date() < world.today - DAY
    )
    meeting = Meeting.objects.create(team=team_a, week_start=world.today - DAY * 400, chair=user)
    MeetingDecision.objects.create(
        meeting=meeting, case=undecided, responsible=user, decided_by=user, next_step="Start", decided_at=timezone.now()
    )
    moved = next(
        c
        for c in world.cases
        if c.team == team_a and c.opened_at.date() < world.today - DAY and c.pk not in (case.pk, undecided.pk)
    )
    Case.objects.filter(pk=moved.pk).update(team=world.teams[2])

    stale = plain(selectors.build_report(user=user, teams=teams, start=start, end=end))
    refresh_through_yesterday(since=world.today - datetime.timedelta(weeks=13))
    fresh = plain(selectors.build_report(user=user, teams=teams, start=start, end=end))

    assert stale == before  # past days are as of the last refresh
    assert fresh != before
    assert fresh == plain(live_report(user=user, teams=teams, start=start, end=end))


def test_a_visitor_counts_for_the_team_they_are_with_now(world):
    """The volunteer's team is read when the report is read, as the live report reads it."""
    team_a, team_b, _team_c = world.teams
    user, teams = world.professionals[team_a], [team_a]
    start, end = world.today - datetime.timedelta(weeks=12), world.today
    refresh_through_yesterday()

    VolunteerStaff.objects.filter(user=world.volunteers[team_b][0]).update(team=team_a)
    data = plain(selectors.build_report(user=user, teams=teams, start=start, end=end))

    assert data == plain(live_report(user=user, teams=teams, start=start, end=end))
    assert any(row[0].startswith("Cees") for row in data["tables"][6][2])


# --- the nightly command ---------------------------------------------------------------------


def _command(*args) -> str:
    out = io.StringIO()
    call_command("refresh_report_figures", *args, stdout=out)
    return out.getvalue()


def test_the_command_refreshes_13_weeks_up_to_yesterday_after_a_first_full_run(small):
    yesterday = small.today - DAY
    old_day = small.today - datetime.timedelta(days=120)

    first = _command()
    after_first = FiguresRefresh.objects.get()
    DailyFigure.objects.create(team=small.team, day=old_day, kind=FigureKind.NEW, count=999)
    nightly = _command()
    after_nightly = FiguresRefresh.objects.get()

    assert after_first.since == first_day_with_data() == small.today - datetime.timedelta(days=40)
    assert after_first.through == after_nightly.through == yesterday
    assert after_nightly.since == yesterday - datetime.timedelta(weeks=13) + DAY
    assert DailyFigure.objects.filter(day=old_day, count=999).exists()  # older days: as last refreshed
    assert not DailyFigure.objects.filter(day__gte=small.today).exists()  # today is always live
    assert "recomputed" in first and "recomputed" in nightly


def test_the_command_rebuilds_from_a_date_or_everything(small):
    _command()
    rows = _rows()
    since = small.today - datetime.timedelta(days=200)
    old_day = small.today - datetime.timedelta(days=120)
    DailyFigure.objects.create(team=small.team, day=old_day, kind=FigureKind.NEW, count=999)

    _command("--since", since.isoformat())
    from_date = FiguresRefresh.objects.get().since
    DailyFigure.objects.create(team=small.team, day=old_day, kind=FigureKind.NEW, count=999)
    _command("--all")
    everything = FiguresRefresh.objects.get().since

    assert from_date == since
    assert everything == first_day_with_data()
    assert _rows() == rows


@pytest.mark.parametrize(
    "args",
    [("--since", "2026-13-01"), ("--since", "morgen"), ("--since", "2026-01-01", "--all"), ("--since", "TODAY")],
)
def test_the_command_refuses_bad_options(args):
    args = tuple(timezone.localdate().isoformat() if arg == "TODAY" else arg for arg in args)

    with pytest.raises(CommandError):
        _command(*args)

    assert not FiguresRefresh.objects.exists()


def test_the_service_never_summarises_today():
    with pytest.raises(ValueError):
        refresh_daily_figures(since=None, until=timezone.localdate())


# --- who sees what ---------------------------------------------------------------------------


def _csv(client, user, **params) -> str:
    client.login(username=user.username, password=PASSWORD)
    response = client.get(reverse("reports"), {"formaat": "csv", **params})
    client.logout()
    assert response.status_code == 200
    return response.content.decode()


def test_no_reader_sees_the_figures_of_a_team_that_is_not_theirs(world, client):
    team_a, _team_b, team_c = world.teams
    refresh_through_yesterday()
    professional_c = world.professionals[team_c]
    start = (world.today - datetime.timedelta(days=3 * 366)).isoformat()

    own = _csv(client, professional_c, van=start)
    asking_for_a = _csv(client, professional_c, van=start, team=str(team_a.pk))
    coordinator = _csv(client, world.coordinator, van=start)

    assert DailyFigure.objects.filter(team=team_a).exists()
    assert "Zetten" in own and "Door" in own
    assert asking_for_a == own  # another team's id falls back to the reader's own teams
    for name in ("Randwijk", "Heteren", "Elst", "Anna", "Bram", "Cees"):
        assert name not in own
    assert "Randwijk" in coordinator and "Elst" in coordinator and "Zetten" not in coordinator


def test_a_professional_of_a_team_without_cases_sees_zeros(small):
    newcomer = make_professional(TeamFactory(name="West"))
    refresh_through_yesterday()

    with translation.override("en"):
        data = plain(
            selectors.build_report(
                user=newcomer,
                teams=list(selectors.report_teams(newcomer)),
                start=small.today - datetime.timedelta(weeks=12),
                end=small.today,
            )
        )

    assert data["total"][1] == 0 and data["median"] is None


def test_the_page_says_until_when_the_figures_were_counted(small, client):
    client.login(username=small.professional.username, password=PASSWORD)
    live = client.get(reverse("reports"))
    refresh = refresh_through_yesterday()

    summarised = client.get(reverse("reports"))
    today_only = client.get(reverse("reports"), {"van": small.today.isoformat()})

    assert live.context["summarised_through"] is None and 'class="hint"' not in live.content.decode()
    assert summarised.context["summarised_through"] == small.today - DAY
    assert summarised.context["figures_refreshed_at"] == refresh.refreshed_at
    assert 'class="hint"' in summarised.content.decode()
    assert today_only.context["summarised_through"] is None


def test_scale_data_comes_with_its_figures_and_reports_from_them_as_live(settings):
    """``seed_scale`` refreshes the figures as the nightly job would; on that data too the report
    from the figures is the live one."""
    settings.SCALE_DATA_ALLOWED = True
    call_command("seed_scale", "--size", "XS", stdout=io.StringIO())
    today = timezone.localdate()
    professional = User.objects.get(username="p001")
    own = list(selectors.report_teams(professional))

    for teams in (own, list(Team.objects.all())):
        for start in (today - datetime.timedelta(weeks=12), today - datetime.timedelta(days=3 * 366)):
            report = {"user": professional, "teams": teams, "start": start, "end": today}
            assert plain(selectors.build_report(**report)) == plain(live_report(**report))
    assert FiguresRefresh.objects.get().through == today - DAY
