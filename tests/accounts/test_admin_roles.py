"""The functional administrator gives roles and teams (the admin's roles page of a user): the
facts single sign-on reads, never makes. One service, audited, access following at once."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from accounts.models import ProfessionalProfile, User
from accounts.roles import Role, user_roles
from cases.permissions import CaseAction, can
from tests.factories import (
    PASSWORD,
    CaseFactory,
    MunicipalityFactory,
    TeamFactory,
    make_administrator,
    make_coordinator,
    make_volunteer,
)


@pytest.fixture
def administrator():
    return make_administrator()


@pytest.fixture
def admin_client(administrator):
    client = Client()
    client.login(username=administrator.username, password=PASSWORD)
    return client


def _url(user: User) -> str:
    return reverse("admin:accounts_user_roles", args=[user.pk])


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_a_new_colleague_becomes_a_professional_of_a_team_and_sees_its_cases(admin_client, administrator):
    case = CaseFactory()
    colleague = User.objects.create_user("nieuw", email="nieuw@gemeente.example")  # no password: SSO
    assert admin_client.get(_url(colleague)).status_code == 200

    response = admin_client.post(
        _url(colleague),
        {"roles": ["professional"], "team": case.team.pk, "discipline": "social_worker", "parent_organisation": "X"},
    )

    assert response.status_code == 302 and response.url == reverse("admin:accounts_user_change", args=[colleague.pk])
    colleague = _fresh(colleague)
    assert user_roles(colleague) == {"professional"}
    profile = ProfessionalProfile.objects.get(user=colleague)
    assert (profile.team, profile.discipline, profile.parent_organisation) == (case.team, "social_worker", "X")
    assert can(colleague, CaseAction.VIEW_FILE, case)
    # Audited with the administrator as actor: the role (the account's groups) and the team.
    entries = LogEntry.objects.filter(actor=administrator)
    assert entries.filter(content_type__model="user", object_pk=str(colleague.pk), changes__icontains="groups").exists()
    assert entries.filter(content_type__model="professionalprofile", object_pk=str(profile.pk)).exists()


def test_coordinator_privacy_officer_and_administrator_with_where_they_hold_it(admin_client):
    team, municipality = TeamFactory(), MunicipalityFactory()
    colleague = User.objects.create_user("veel-rollen", email="veel@gemeente.example")

    admin_client.post(
        _url(colleague),
        {
            "roles": ["coordinator", "privacy_officer", "functional_administrator"],
            "coordinated_teams": [team.pk],
            "privacy_municipalities": [municipality.pk],
        },
    )

    colleague = _fresh(colleague)
    assert user_roles(colleague) == {"coordinator", "privacy_officer", "functional_administrator"}
    assert list(colleague.coordinated_teams.all()) == [team]
    assert list(colleague.privacy_municipalities.all()) == [municipality]
    assert colleague.is_staff  # the admin site needs it beside the role


def test_taking_roles_away_ends_their_access_and_keeps_volunteer_staff(admin_client):
    case = CaseFactory()
    colleague = make_volunteer(case.team)
    admin_client.post(_url(colleague), {"roles": ["professional"], "team": case.team.pk, "discipline": "social_worker"})
    assert can(_fresh(colleague), CaseAction.VIEW_FILE, case)

    admin_client.post(_url(colleague), {"roles": []})

    colleague = _fresh(colleague)
    assert user_roles(colleague) == {"volunteer_staff"}
    assert not ProfessionalProfile.objects.filter(user=colleague).exists()
    assert not can(colleague, CaseAction.VIEW_FILE, case)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"roles": ["professional"]}, "team"),
        ({"roles": ["professional"], "team": "1"}, "team"),  # no discipline
        ({"roles": ["coordinator"]}, "coordinated_teams"),
        ({"roles": ["privacy_officer"]}, "privacy_municipalities"),
        ({"roles": ["volunteer_staff"]}, "roles"),  # not given here
        ({"roles": ["professional"], "team": str(2**63), "discipline": "social_worker"}, "team"),
    ],
)
def test_a_role_without_where_it_is_held_is_refused_and_changes_nothing(admin_client, data, field):
    colleague = User.objects.create_user("half", email="half@gemeente.example")

    response = admin_client.post(_url(colleague), data)

    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert user_roles(_fresh(colleague)) == frozenset()


def test_nobody_takes_the_administrator_role_from_themselves(admin_client, administrator):
    response = admin_client.post(_url(administrator), {"roles": []})

    assert response.status_code == 200
    assert "functional_administrator" in user_roles(_fresh(administrator))


def test_only_the_functional_administrator_opens_the_page():
    team = TeamFactory()
    colleague = User.objects.create_user("iemand")
    coordinator = make_coordinator(team, is_staff=True)  # a staff flag without the role opens nothing
    client = Client()
    client.login(username=coordinator.username, password=PASSWORD)

    response = client.post(_url(colleague), {"roles": ["functional_administrator"]})

    assert response.status_code == 302 and "/login/" in response.url
    assert user_roles(_fresh(colleague)) == frozenset()


def test_an_unknown_user_is_a_404(admin_client):
    assert admin_client.get(reverse("admin:accounts_user_roles", args=[2**31 - 1])).status_code == 404


def test_the_users_page_shows_the_roles_and_links_to_them(admin_client):
    colleague = make_coordinator(TeamFactory())

    page = admin_client.get(reverse("admin:accounts_user_change", args=[colleague.pk])).content.decode()

    assert _url(colleague) in page
    assert "Coördinator" in page


def test_an_api_clients_system_user_gets_no_role(admin_client, administrator):
    from accounts.api_clients import api_client_create
    from accounts.models import ApiClient
    from accounts.services import user_roles_set

    client = ApiClient(name="Open Formulieren", municipality=MunicipalityFactory())
    api_client_create(actor=administrator, client=client)

    assert admin_client.get(_url(client.user)).status_code == 404
    with pytest.raises(ValidationError):
        user_roles_set(actor=administrator, user=client.user, roles=[Role.ADMINISTRATOR])
    assert user_roles(_fresh(client.user)) == frozenset()
