"""The roles every page reads, kept in the session (issue [13], fixed costs per request): one
query fewer per request, and a changed role still takes effect on the very next request, on
any app server (the version is on the user row every request loads)."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from accounts.services import role_revoke, system_actor
from tests.factories import PASSWORD, TeamFactory, make_coordinator, make_professional


def _role_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, sum('"auth_group"' in q["sql"] and '"accounts_user_groups"' in q["sql"] for q in queries)


def test_the_second_request_reads_the_roles_from_the_session(client):
    professional = make_professional(TeamFactory())
    client.login(username=professional.username, password=PASSWORD)
    client.get(reverse("cases:list"))

    status, role_reads = _role_queries(client, reverse("cases:list"))

    assert (status, role_reads) == (200, 0)


def _revoke_with_the_service(user):
    role_revoke(actor=system_actor(), user=user, role=Role.PROFESSIONAL)


def _remove_from_the_groups_side(user):
    Group.objects.get(name=Role.PROFESSIONAL.value).user_set.remove(user)


def _clear_the_users_groups(user):
    user.groups.clear()


def _clear_the_groups_users(user):
    Group.objects.get(name=Role.PROFESSIONAL.value).user_set.clear()


@pytest.mark.parametrize(
    "take_away",
    [_revoke_with_the_service, _remove_from_the_groups_side, _clear_the_users_groups, _clear_the_groups_users],
)
def test_a_role_taken_away_takes_effect_on_the_very_next_request(client, take_away):
    professional = make_professional(TeamFactory())
    client.login(username=professional.username, password=PASSWORD)
    assert client.get(reverse("cases:list")).status_code == 200
    assert client.get(reverse("cases:list")).status_code == 200  # now from the session

    take_away(professional)

    assert client.get(reverse("cases:list")).status_code == 404


def test_a_role_given_takes_effect_on_the_very_next_request(client):
    team = TeamFactory()
    professional = make_professional(team)
    client.login(username=professional.username, password=PASSWORD)
    client.get(reverse("cases:list"))
    assert client.get(reverse("coordination:dashboard")).status_code == 404

    professional.groups.add(Group.objects.get(name=Role.COORDINATOR.value))

    assert client.get(reverse("coordination:dashboard")).status_code == 200


def test_another_user_in_the_same_browser_gets_their_own_roles(client):
    team = TeamFactory()
    professional, coordinator = make_professional(team), make_coordinator(team)
    client.login(username=professional.username, password=PASSWORD)
    client.get(reverse("cases:list"))

    client.login(username=coordinator.username, password=PASSWORD)

    assert client.get(reverse("cases:list")).status_code == 404
