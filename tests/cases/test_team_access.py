"""A professional's access to their own team's cases is read from the facts in the query (their
profile's team, the case's team, status and resident), not from per-case group rows; personal
rows stay for case members. One rule (``professional_codenames``) for both."""

import itertools

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from accounts.services import professional_set_team, role_revoke, system_actor, user_deactivate
from cases import services
from cases.constants import CaseStatus
from cases.models import Case, CaseGroupObjectPermission, CaseUserObjectPermission, Resident
from cases.permissions import (
    CaseAction,
    allowed_actions,
    can,
    cases_for,
    professional_codenames,
    sync_case_permissions,
)
from tests.factories import CaseFactory, TeamFactory, VillageFactory, make_coordinator, make_professional

PROFESSIONAL_ACTIONS = [action for action in CaseAction if action.role is Role.PROFESSIONAL]


@pytest.fixture
def case():
    return CaseFactory(with_volunteer=True)


@pytest.fixture
def colleague(case):
    """A professional of the case's team who is not on the case."""
    return make_professional(case.team)


def test_team_access_needs_no_rows(case, colleague):
    assert not CaseGroupObjectPermission.objects.exists()
    assert not CaseUserObjectPermission.objects.filter(user=colleague).exists()

    assert allowed_actions(colleague, case, PROFESSIONAL_ACTIONS) == {
        CaseAction.VIEW_FILE,
        CaseAction.CHANGE_FILE,
        CaseAction.CLOSE,
    }
    assert list(cases_for(colleague, CaseAction.VIEW_FILE)) == [case]


@pytest.mark.parametrize(("closed", "restricted"), list(itertools.product([False, True], repeat=2)))
def test_every_state_gives_the_team_what_the_rule_gives_a_member(case, colleague, closed, restricted):
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED if closed else CaseStatus.ACTIVE)
    Resident.objects.filter(pk=case.resident_id).update(restricted_at=timezone.now() if restricted else None)
    case.refresh_from_db()
    sync_case_permissions(case)  # the member's personal rows follow the same facts

    expected = {
        action for action in PROFESSIONAL_ACTIONS if action.codename in professional_codenames(closed, restricted)
    }
    assert allowed_actions(colleague, case, PROFESSIONAL_ACTIONS) == expected
    assert allowed_actions(case.responsible, case, PROFESSIONAL_ACTIONS) == expected
    for action in PROFESSIONAL_ACTIONS:  # the list and the single question agree
        assert (case in cases_for(colleague, action)) is can(colleague, action, case) is (action in expected)


def test_a_transfer_moves_access_without_writing_team_grants(case, colleague):
    other_team = TeamFactory(municipality=case.team.municipality)
    VillageFactory(team=other_team, municipality=case.team.municipality)
    newcomer = make_professional(other_team)

    with CaptureQueriesContext(connection) as queries:
        services.case_transfer(actor=case.responsible, case=case, team=other_team, responsible=newcomer)

    assert not any("casegroupobjectpermission" in query["sql"].lower() for query in queries.captured_queries)
    assert not can(colleague, CaseAction.VIEW_FILE, case)
    assert can(make_professional(other_team), CaseAction.VIEW_FILE, case)
    assert can(newcomer, CaseAction.CHANGE_FILE, case)


def test_a_professional_who_moves_team_sees_the_new_teams_cases_on_the_next_question(case, colleague):
    other_team = TeamFactory(municipality=case.team.municipality)

    professional_set_team(actor=system_actor(), user=colleague, team=other_team, discipline="social_worker")

    assert not can(colleague, CaseAction.VIEW_FILE, case)
    other_case = CaseFactory(
        resident__village=VillageFactory(team=other_team), responsible=make_professional(other_team)
    )
    assert can(colleague, CaseAction.VIEW_FILE, other_case)


def test_a_professional_added_to_another_teams_case_keeps_a_personal_grant(case):
    outsider = make_professional(TeamFactory(municipality=case.team.municipality))
    assert not can(outsider, CaseAction.VIEW_FILE, case)

    services.case_add_professional(actor=case.responsible, case=case, professional=outsider)

    assert can(outsider, CaseAction.CHANGE_FILE, case)
    assert CaseUserObjectPermission.objects.filter(user=outsider, content_object=case).exists()


@pytest.mark.parametrize("cut", ["role revoked", "account deactivated"])
def test_losing_the_role_or_the_account_ends_team_access(case, colleague, cut):
    if cut == "role revoked":
        role_revoke(actor=system_actor(), user=colleague, role=Role.PROFESSIONAL)
    else:
        user_deactivate(actor=system_actor(), user=colleague)
    colleague.refresh_from_db()

    assert not cases_for(colleague, CaseAction.VIEW_FILE).exists()
    assert not can(colleague, CaseAction.VIEW_FILE, case)


def test_other_roles_of_the_team_get_no_team_access(case):
    coordinator = make_coordinator(case.team)

    assert not can(coordinator, CaseAction.VIEW_FILE, case)
    assert not can(case.volunteer, CaseAction.VIEW_FILE, case)  # the slice only
    assert can(case.volunteer, CaseAction.VIEW_SLICE, case)


def test_the_drift_check_reports_a_stray_group_row_and_removes_it(case, capsys):
    from django.contrib.auth.models import Group, Permission

    CaseGroupObjectPermission.objects.create(
        group=Group.objects.create(name="hand-made"),
        content_object=case,
        permission=Permission.objects.get(codename="view_case"),
    )

    with pytest.raises(CommandError):
        call_command("sync_case_permissions", "--check")
    assert "stale view_case for group" in capsys.readouterr().out
    assert CaseGroupObjectPermission.objects.exists()  # --check changes nothing

    call_command("sync_case_permissions")
    call_command("sync_case_permissions", "--check")
    assert not CaseGroupObjectPermission.objects.exists()
