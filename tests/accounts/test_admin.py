"""The admin site is for functional administrators and shows no case content."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.models import Team
from cases.models import (
    Agreement,
    Case,
    CaseMembership,
    CaseUserObjectPermission,
    HomeVisit,
    JournalEntry,
    Resident,
    VolunteerConsent,
)
from cases.permissions import CaseAction, can
from tests.factories import (
    PASSWORD,
    CaseFactory,
    MunicipalityFactory,
    VillageFactory,
    make_administrator,
    make_coordinator,
    make_professional,
)


def test_no_case_file_model_is_in_the_admin():
    for model in (Resident, Case, CaseMembership, VolunteerConsent, JournalEntry, HomeVisit, Agreement):
        assert not admin.site.is_registered(model)


def test_functional_administrator_reaches_reference_data(client):
    client.login(username=make_administrator().username, password=PASSWORD)

    index = client.get(reverse("admin:index"))
    teams = client.get(reverse("admin:accounts_team_changelist"))

    assert index.status_code == 200
    assert teams.status_code == 200


@pytest.mark.parametrize("who", ["professional", "volunteer", "coordinator"])
def test_other_roles_are_not_let_into_the_admin(client, who):
    case = CaseFactory(with_volunteer=True)
    user = {"professional": case.responsible, "volunteer": case.volunteer}.get(who) or make_coordinator(case.team)
    client.login(username=user.username, password=PASSWORD)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_a_team_added_in_the_admin_gives_its_professionals_its_cases(client):
    municipality = MunicipalityFactory()
    client.login(username=make_administrator().username, password=PASSWORD)

    response = client.post(
        reverse("admin:accounts_team_add"),
        {
            "municipality": municipality.pk,
            "name": "Team Nieuw",
            "villages-TOTAL_FORMS": "0",
            "villages-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    team = Team.objects.get(name="Team Nieuw")
    assert not Group.objects.filter(name__startswith="team:").exists()  # no group carries the access
    professional = make_professional(team)
    case = CaseFactory(resident__village=VillageFactory(team=team), responsible=make_professional(team))
    assert can(professional, CaseAction.VIEW_FILE, case)
    assert not CaseUserObjectPermission.objects.filter(user=professional).exists()
