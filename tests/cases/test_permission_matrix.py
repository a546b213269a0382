"""The permission matrix: role x relation to the case x action -> allowed or not.

``can`` (one case) and ``cases_for`` (the list filter) must give the same answer for every
cell, so the single check and the list cannot drift apart.
"""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from cases.constants import MembershipRole
from cases.models import Case, CaseMembership
from cases.permissions import CaseAction, can, cases_for
from tests.factories import (
    CaseFactory,
    ResidentFactory,
    TeamFactory,
    VillageFactory,
    make_administrator,
    make_coordinator,
    make_professional,
    make_volunteer,
)

A = CaseAction
FILE_OPEN = {A.VIEW_FILE, A.CHANGE_FILE, A.CLOSE}
FILE_CLOSED = {A.VIEW_FILE, A.REOPEN}
SLICE = {A.VIEW_SLICE, A.LOG_VISIT}
NOTHING: set[CaseAction] = set()

# relation -> (allowed on the open case, allowed on the closed case)
MATRIX = {
    "responsible professional": (FILE_OPEN, FILE_CLOSED),
    "professional of the team, not on the case": (FILE_OPEN, FILE_CLOSED),
    "professional of another team": (NOTHING, NOTHING),
    "professional of another team, added to the case": (FILE_OPEN, FILE_CLOSED),
    "volunteer assigned, consent given": (SLICE, NOTHING),
    "volunteer of the team, not assigned": (NOTHING, NOTHING),
    "volunteer assigned, VOG expired": (NOTHING, NOTHING),
    "volunteer assigned, account inactive": (NOTHING, NOTHING),
    "volunteer assigned, assignment ended": (NOTHING, NOTHING),
    "volunteer proposed, not answered yet": (NOTHING, NOTHING),
    "volunteer proposed, with a slice grant left behind": (NOTHING, NOTHING),
    "volunteer who declined the proposal": (NOTHING, NOTHING),
    "coordinator of the team": (NOTHING, NOTHING),
    "coordinator who is also a professional of the team": (FILE_OPEN, FILE_CLOSED),
    "functional administrator": (NOTHING, NOTHING),
    "superuser without a role": (NOTHING, NOTHING),
    "volunteer with a wrongly granted file permission": (SLICE, NOTHING),
}


def _build_world() -> dict:
    team = TeamFactory()
    other_team = TeamFactory()
    village = VillageFactory(team=team)
    responsible = make_professional(team)

    def new_case() -> Case:
        return CaseFactory(resident=ResidentFactory(village=village), responsible=responsible, with_volunteer=True)

    return {"team": team, "other_team": other_team, "responsible": responsible, "new_case": new_case}


def _user_for(relation: str, world: dict, case: Case) -> User:
    from django.contrib.auth.models import Permission

    from cases import services
    from cases.models import CaseUserObjectPermission

    team, other_team, responsible = world["team"], world["other_team"], world["responsible"]
    if relation == "responsible professional":
        return responsible
    if relation == "professional of the team, not on the case":
        return make_professional(team)
    if relation == "professional of another team":
        return make_professional(other_team)
    if relation == "professional of another team, added to the case":
        user = make_professional(other_team)
        services.case_add_professional(actor=responsible, case=case, professional=user)
        return user
    if relation == "volunteer assigned, consent given":
        return case.volunteer
    if relation == "volunteer of the team, not assigned":
        return make_volunteer(team)
    if relation == "volunteer assigned, VOG expired":
        user = case.volunteer
        user.volunteer_profile.vog_issued_on = timezone.localdate() - datetime.timedelta(days=4 * 365)
        user.volunteer_profile.save()
        return User.objects.get(pk=user.pk)
    if relation == "volunteer assigned, account inactive":
        user = case.volunteer
        user.is_active = False
        user.save()
        return User.objects.get(pk=user.pk)
    if relation == "volunteer assigned, assignment ended":
        membership = CaseMembership.objects.get(case=case, user=case.volunteer, role=MembershipRole.VOLUNTEER)
        services.membership_end(actor=responsible, membership=membership)
        return case.volunteer
    if relation.startswith("volunteer proposed") or relation == "volunteer who declined the proposal":
        user = make_volunteer(team)
        membership = services.volunteer_assign(actor=responsible, case=case, volunteer=user)
        if relation == "volunteer who declined the proposal":
            services.proposal_decline(actor=user, membership=membership, reason="knows_resident")
        if relation == "volunteer proposed, with a slice grant left behind":
            for codename in ("view_case_slice", "log_home_visit"):
                CaseUserObjectPermission.objects.create(
                    user=user, content_object=case, permission=Permission.objects.get(codename=codename)
                )
        return user
    if relation == "coordinator of the team":
        return make_coordinator(team)
    if relation == "coordinator who is also a professional of the team":
        user = make_coordinator(team)
        from accounts.services import professional_set_team, system_actor

        professional_set_team(actor=system_actor(), user=user, team=team, discipline="social_worker")
        return User.objects.get(pk=user.pk)
    if relation == "functional administrator":
        return make_administrator()
    if relation == "superuser without a role":
        from tests.factories import UserFactory

        return UserFactory(is_superuser=True, is_staff=True)
    if relation == "volunteer with a wrongly granted file permission":
        user = case.volunteer
        for codename in ("view_case", "change_case", "close_case", "reopen_case"):
            CaseUserObjectPermission.objects.create(
                user=user, content_object=case, permission=Permission.objects.get(codename=codename)
            )
        return user
    raise AssertionError(relation)


@pytest.mark.parametrize("closed", [False, True], ids=["open case", "closed case"])
@pytest.mark.parametrize("relation", list(MATRIX))
def test_matrix_cell_allows_exactly_the_expected_actions(relation, closed):
    world = _build_world()
    case = world["new_case"]()
    user = _user_for(relation, world, case)
    if closed:
        from cases import services

        case = services.case_close(actor=world["responsible"], case=case, outcome="resolved")
    user = User.objects.get(pk=user.pk)  # a fresh request: no cached roles or profile

    allowed = {action for action in CaseAction if can(user, action, case)}
    listed = {action for action in CaseAction if cases_for(user, action).filter(pk=case.pk).exists()}

    assert allowed == MATRIX[relation][1 if closed else 0]
    assert listed == allowed


def test_matrix_covers_every_action():
    covered = set().union(*(open_ | closed for open_, closed in MATRIX.values()))

    assert covered == set(CaseAction)


def test_cases_for_lists_only_the_users_cases():
    world = _build_world()
    mine = world["new_case"]()
    other_team_case = CaseFactory(resident=ResidentFactory(village=VillageFactory(team=world["other_team"])))

    file_ids = set(cases_for(world["responsible"], CaseAction.VIEW_FILE).values_list("pk", flat=True))
    slice_ids = set(cases_for(mine.volunteer, CaseAction.VIEW_SLICE).values_list("pk", flat=True))

    assert file_ids == {mine.pk}
    assert slice_ids == {mine.pk}
    assert other_team_case.pk not in file_ids | slice_ids
