"""seed_demo: the demo world of the README; idempotent; refuses with DEBUG off."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Team, User, Village
from cases.constants import CaseStatus
from cases.models import Case
from cases.permissions import CaseAction, cases_for


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo")


def test_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError):
        call_command("seed_demo")

    assert not User.objects.filter(username="professional").exists()


def test_second_run_adds_nothing(seeded):
    counts = (User.objects.count(), Case.objects.count())

    call_command("seed_demo")

    assert (User.objects.count(), Case.objects.count()) == counts


def test_world_has_three_teams_over_eleven_villages_and_every_status(seeded):
    assert Team.objects.count() == 3
    assert Village.objects.count() == 11
    assert set(Case.objects.values_list("status", flat=True)) == set(CaseStatus.values)


def test_demo_volunteer_sees_some_team_cases_and_not_withdrawn_or_closed(seeded):
    volunteer = User.objects.get(username="volunteer")
    visible = cases_for(volunteer, CaseAction.VIEW_SLICE)
    assigned_ever = Case.objects.filter(memberships__user=volunteer).distinct()

    assert visible.exists()
    assert Case.objects.filter(team=volunteer.volunteer_profile.team).exclude(pk__in=visible).exists()
    assert assigned_ever.filter(status=CaseStatus.CLOSED).exclude(pk__in=visible).exists()
    withdrawn = assigned_ever.filter(consents__withdrawn_at__isnull=False)
    assert withdrawn.exists()
    assert not withdrawn.filter(pk__in=visible).exists()


def test_demo_logins_work(client, seeded):
    from wijkteam.demo import PASSWORD

    for username in ("professional", "volunteer", "coordinator"):
        assert client.login(username=username, password=PASSWORD)
