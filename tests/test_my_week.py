"""My week on the home page (issue [12]): follow-up appointments, agreements due, walk-in shifts
and open alarms of the next seven days and what is overdue, for professionals (cases they are
a member of) and volunteer staff (their own visits and tasks on the cases whose slice they hold,
R8); nothing for someone who is only a coordinator; a fixed number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases import services
from cases.constants import AgreementKind
from cases.models import Case, Resident
from tests.factories import (
    PASSWORD,
    CaseFactory,
    ResidentFactory,
    VillageFactory,
    make_coordinator,
    make_professional,
)
from volunteers.models import Location, RosterSlot, Shift

TODAY = timezone.localdate()


def _day(days: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=days)


def _at(days: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(_day(days), datetime.time(hour)))


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


def _visit(case, actor, *, follow_up_on, visited_on=None):
    return services.home_visit_log(
        actor=actor,
        case=case,
        visited_on=visited_on or TODAY,
        duration_minutes=30,
        summary="Bezoek",
        follow_up_on=follow_up_on,
    )


def _agreement(case, assignee, description, due_in, kind=AgreementKind.ADMINISTRATION):
    return services.agreement_add(
        actor=case.responsible, case=case, kind=kind, description=description, assignee=assignee, due_on=_day(due_in)
    )


def _shift(team, person, date, name="Dorpshuis"):
    location = Location.objects.create(team=team, name=name)
    slot = RosterSlot.objects.create(
        location=location,
        weekday=date.weekday(),
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        valid_from=date - datetime.timedelta(days=30),
    )
    return Shift.objects.create(slot=slot, date=date, person=person, role="volunteer")


def _items(response) -> list:
    return [item for day in response.context["week"].days for item in day.items]


def _section(body: str) -> str:
    return body.split('id="my-week"', 1)[1].split("</section>", 1)[0]


def _li(body: str, url: str) -> str:
    """The My week list item that links to ``url`` (the first one)."""
    section = _section(body)
    match = re.search(rf'<li class="my-week__item[^"]*"><a href="{re.escape(url)}">.*?</li>', section, re.S)
    assert match, f"no item links to {url}"
    return match.group(0)


@pytest.fixture
def world():
    """Case one: responsible professional and a volunteer, with follow-ups and agreements of
    both; a colleague's case in the same team and a case of another team, whose items nobody
    here may see."""
    case = CaseFactory(with_volunteer=True, resident=ResidentFactory(first_name="Wieke", last_name="Weekmans"))
    professional, volunteer = case.responsible, case.volunteer
    _visit(case, volunteer, follow_up_on=_at(1, 14))
    _visit(case, professional, follow_up_on=_at(3, 9))
    _agreement(case, volunteer, "Formulier huurtoeslag invullen", 2)
    _agreement(case, professional, "Budgetplan bespreken", -2)  # overdue
    done = _agreement(case, professional, "Al gedaan", 1)
    services.agreement_complete(actor=professional, agreement=done)
    _agreement(case, professional, "Pas over tien dagen", 10)

    colleague_case = CaseFactory(
        active=True,
        resident=ResidentFactory(village=case.resident.village, first_name="Collega", last_name="Anderszaak"),
    )
    _visit(colleague_case, colleague_case.responsible, follow_up_on=_at(2))
    _agreement(colleague_case, colleague_case.responsible, "Niet van jou", 1)
    other_team_case = CaseFactory(
        with_volunteer=True, resident=ResidentFactory(first_name="Verre", last_name="Anderteam")
    )
    _visit(other_team_case, other_team_case.volunteer, follow_up_on=_at(1))
    _shift(case.team, volunteer, _day(2))
    _shift(case.team, colleague_case.responsible, _day(2), name="Buurthuis")
    return {
        "case": case,
        "professional": professional,
        "volunteer": volunteer,
        "colleague": colleague_case.responsible,
        "colleague_case": colleague_case,
        "other_team_case": other_team_case,
    }


# --- who sees what -------------------------------------------------------------------------


def test_the_professional_sees_the_follow_ups_and_agreements_of_their_cases(client, world):
    case = world["case"]
    _login(client, world["professional"])

    response = client.get(reverse("home"))

    body = response.content.decode()
    items = _items(response)
    assert 'id="my-week"' in body
    assert [item.kind for item in items].count("follow_up") == 2  # the volunteer's and their own
    texts = " ".join(f"{item.label} {item.text}" for item in items)
    assert "Formulier huurtoeslag invullen" in texts  # the volunteer's task on their case (responsible)
    assert "Budgetplan bespreken" in texts
    assert "Al gedaan" not in texts and "Pas over tien dagen" not in texts
    assert "Anderszaak" not in _section(body) and "Niet van jou" not in body and "Anderteam" not in body
    assert {item.url for item in items if item.kind == "follow_up"} == {
        reverse("cases:detail", args=[case.pk]) + "#visits-h"
    }


def test_the_volunteer_sees_only_their_own_follow_ups_and_tasks_on_their_slices(client, world):
    case = world["case"]
    _login(client, world["volunteer"])

    response = client.get(reverse("home"))

    body = response.content.decode()
    items = _items(response)
    assert [(item.kind, item.day) for item in items] == [
        ("follow_up", _day(1)),
        ("agreement", _day(2)),
        ("shift", _day(2)),
    ]
    assert {item.url for item in items if item.kind != "shift"} == {reverse("volunteers:my_case", args=[case.pk])}
    assert "Budgetplan bespreken" not in body  # the professional's task
    assert "Buurthuis" not in body  # a colleague's shift
    assert "Anderteam" not in body and "Anderszaak" not in body
    assert escape("Weekmans") in _li(body, reverse("volunteers:my_case", args=[case.pk]))


def test_a_colleague_of_the_same_team_does_not_see_items_of_cases_they_are_not_on(client, world):
    _login(client, world["colleague"])

    response = client.get(reverse("home"))

    texts = " ".join(f"{item.label} {item.text}" for item in _items(response))
    assert "Weekmans" not in texts
    assert "Niet van jou" in texts
    assert {item.kind for item in _items(response)} == {"follow_up", "agreement", "shift"}


def test_someone_who_is_only_a_coordinator_has_no_my_week(client, world):
    coordinator = make_coordinator(world["case"].team)
    _login(client, coordinator)

    response = client.get(reverse("home"))

    assert "week" not in response.context
    assert 'id="my-week"' not in response.content.decode()


def test_a_volunteer_without_the_slice_sees_nothing_of_the_case(client, world):
    case = world["case"]
    services.consent_withdraw(actor=case.responsible, case=case)
    _login(client, world["volunteer"])

    response = client.get(reverse("home"))

    assert [item.kind for item in _items(response)] == ["shift"]


def test_nothing_planned_says_so(client):
    professional = make_professional(VillageFactory().team)
    _login(client, professional)

    body = client.get(reverse("home")).content.decode()

    assert 'id="my-week"' in body
    assert "Nothing planned for the coming seven days." in body or "zeven dagen" in body


# --- overdue, answered, links -------------------------------------------------------------


def test_overdue_items_are_marked_and_come_first(client, world):
    case = world["case"]
    late = CaseFactory(
        active=True, responsible=world["professional"], resident=ResidentFactory(village=case.resident.village)
    )
    _visit(late, world["professional"], visited_on=_day(-6), follow_up_on=_at(-3))
    _login(client, world["professional"])

    response = client.get(reverse("home"))

    body = response.content.decode()
    days = response.context["week"].days
    assert days[0].day == _day(-3)
    assert [item.overdue for item in days[0].items] == [True]
    assert "status--warning" in _li(body, reverse("cases:detail", args=[late.pk]) + "#visits-h")
    assert "status--warning" in _li(body, reverse("cases:detail", args=[case.pk]) + "#agreements-h")
    assert "status--warning" not in _li(body, reverse("cases:detail", args=[case.pk]) + "#visits-h")
    assert response.context["week"].overdue == 2


def test_a_follow_up_answered_by_a_later_visit_is_gone(client, world):
    case = CaseFactory(
        with_volunteer=True,
        volunteer=world["volunteer"],
        responsible=world["professional"],
        resident=ResidentFactory(village=world["case"].resident.village),
    )
    _visit(case, world["volunteer"], visited_on=_day(-5), follow_up_on=_at(-2))
    _login(client, world["volunteer"])
    assert any(item.overdue for item in _items(client.get(reverse("home"))))

    _visit(case, world["volunteer"], visited_on=_day(-1), follow_up_on=None)

    assert not any(item.overdue for item in _items(client.get(reverse("home"))))


def test_open_alarms_link_to_where_they_are_followed_up(client, world):
    case = world["case"]
    services.alarm_raise(actor=world["volunteer"], case=case, note="Te zwaar")
    _login(client, world["professional"])

    response = client.get(reverse("home"))

    alarms = [item for item in _items(response) if item.kind == "alarm"]
    assert [(a.day, a.url, a.overdue) for a in alarms] == [
        (TODAY, reverse("cases:detail", args=[case.pk]) + "#alarms-h", False)
    ]


def test_shifts_link_to_my_calendar(client, world):
    _login(client, world["volunteer"])

    response = client.get(reverse("home"))

    shift = next(item for item in _items(response) if item.kind == "shift")
    assert shift.url == reverse("my_calendar")
    assert shift.text == "09:00–11:00 · Dorpshuis"


def test_the_volunteers_week_holds_no_case_or_resident_instance(client, world):
    _login(client, world["volunteer"])

    response = client.get(reverse("home"))

    for item in _items(response):
        assert not any(isinstance(value, Case | Resident) for value in vars(item).values())


# --- a fixed number of queries ----------------------------------------------------------------


@pytest.mark.parametrize("who", ["professional", "volunteer"])
def test_the_home_page_costs_the_same_queries_however_many_items(client, world, who, django_assert_max_num_queries):
    case, user = world["case"], world[who]
    _login(client, user)
    client.get(reverse("home"))
    with django_assert_max_num_queries(40) as few:
        before = len(_items(client.get(reverse("home"))))
    queries = len(few.captured_queries)
    for n in range(4):
        more = CaseFactory(
            with_volunteer=True,
            volunteer=world["volunteer"],
            responsible=world["professional"],
            resident=ResidentFactory(village=case.resident.village),
        )
        _visit(more, world["volunteer"], follow_up_on=_at(n + 1))
        _agreement(more, world["volunteer"], f"Taak {n}", n)
        _shift(case.team, user, _day(n + 3), name=f"Locatie {n}")

    with django_assert_max_num_queries(queries):
        response = client.get(reverse("home"))

    assert len(_items(response)) >= before + 12
