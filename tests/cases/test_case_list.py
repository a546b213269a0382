"""The team case list: filters, search, sort, keyset pages, and a fixed number of queries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import selectors, services
from cases.models import Case, LifeDomain, Topic
from tests.factories import PASSWORD, CaseFactory, ResidentFactory, VillageFactory, make_professional


@pytest.fixture
def team_world():
    village = VillageFactory(name="Driel")
    other_village = VillageFactory(team=village.team, name="Heteren")
    professional = make_professional(village.team)
    colleague = make_professional(village.team)

    def case(**kwargs) -> Case:
        resident_kwargs = kwargs.pop("resident_kwargs", {})
        resident = ResidentFactory(village=kwargs.pop("village", village), **resident_kwargs)
        return CaseFactory(resident=resident, responsible=kwargs.pop("responsible", professional), **kwargs)

    return {
        "village": village,
        "other_village": other_village,
        "professional": professional,
        "colleague": colleague,
        "case": case,
    }


def _ids(page) -> list[int]:
    return [case.pk for case in page.cases]


def test_filters_each_narrow_the_list(team_world):
    make = team_world["case"]
    plain = make()
    urgent = make(urgency="high")
    in_heteren = make(village=team_world["other_village"])
    active_by_colleague = make(active=True, responsible=team_world["colleague"])
    housing = make()
    services.case_update(
        actor=team_world["professional"],
        case=housing,
        expected_version=housing.version,
        domains=LifeDomain.objects.filter(code="housing"),
        topics=Topic.objects.filter(code="housing"),
    )
    user = team_world["professional"]

    assert set(_ids(selectors.team_case_list(user=user, urgency="high"))) == {urgent.pk}
    assert set(_ids(selectors.team_case_list(user=user, village=team_world["other_village"].pk))) == {in_heteren.pk}
    assert set(_ids(selectors.team_case_list(user=user, status="active"))) == {active_by_colleague.pk}
    assert set(_ids(selectors.team_case_list(user=user, responsible=team_world["colleague"].pk))) == {
        active_by_colleague.pk
    }
    assert set(_ids(selectors.team_case_list(user=user, domain="housing"))) == {housing.pk}
    assert set(_ids(selectors.team_case_list(user=user, topic="housing"))) == {housing.pk}
    assert plain.pk in _ids(selectors.team_case_list(user=user))


def test_quiet_cases_filter(team_world):
    quiet = team_world["case"]()
    busy = team_world["case"]()
    Case.objects.filter(pk=quiet.pk).update(last_activity_at=timezone.now() - datetime.timedelta(weeks=9))

    ids = _ids(selectors.team_case_list(user=team_world["professional"], quiet_weeks=8))

    assert quiet.pk in ids and busy.pk not in ids


def test_closed_cases_only_when_asked_for(team_world):
    closed = team_world["case"](closed=True)

    assert closed.pk not in _ids(selectors.team_case_list(user=team_world["professional"]))
    assert closed.pk in _ids(selectors.team_case_list(user=team_world["professional"], status="closed"))


def test_search_by_resident_name_address_postcode(team_world):
    found = team_world["case"](resident_kwargs={"last_name": "Vlasblom", "street": "Lingewal", "postcode": "6669 ZZ"})
    team_world["case"]()

    for query in ("vlasblom", "Lingewal", "6669ZZ"):
        assert _ids(selectors.team_case_list(user=team_world["professional"], query=query)) == [found.pk], query


def test_keyset_pages_cover_every_case_once(team_world):
    made = [team_world["case"]().pk for _ in range(7)]

    seen, cursor = [], ""
    for _ in range(5):
        page = selectors.team_case_list(user=team_world["professional"], page_size=3, cursor=cursor, sort="oldest")
        seen += _ids(page)
        cursor = page.next_cursor
        if not cursor:
            break

    assert seen == sorted(made)


def test_broken_cursor_shows_the_first_page(client, team_world):
    team_world["case"]()
    client.login(username=team_world["professional"].username, password=PASSWORD)

    response = client.get(reverse("cases:list"), {"after": "garbage|x", "quiet_weeks": "nonsense"})

    assert response.status_code == 200


def test_other_teams_cases_never_listed(team_world):
    other = CaseFactory()

    assert other.pk not in _ids(selectors.team_case_list(user=team_world["professional"], status=""))


def test_list_page_query_count_is_fixed(client, team_world, django_assert_max_num_queries):
    team_world["case"](active=True)
    client.login(username=team_world["professional"].username, password=PASSWORD)
    url = reverse("cases:list") + "?sort=quiet&q=a"
    with django_assert_max_num_queries(30) as few:
        client.get(url)
    for _ in range(10):
        team_world["case"](active=True, resident_kwargs={"first_name": "Ada"})

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert response.status_code == 200
    assert len(few.captured_queries) <= 12
