"""The object policies' matrices: role x relation to the object x action -> allowed or not.

Covers every policy in the shape of ``base.policy.Policy`` outside the case itself (that one is
``tests/cases/test_permission_matrix.py``): alarms, meetings, the open-questions board and
proposals (``cases.policies``), the social map, signals and referrals (``socialmap.policies``), the
coordinator's scope (``volunteers.policies``), the privacy officer's (``privacy.policies``) and
reports (``reports.policies``); and the pickers that read the same facts:
``cases.permissions.eligible_volunteers``, ``cases.policies.professionals_for``,
``volunteers.policies.team_staff`` and ``may_record_absence``.

For every policy cell three answers must agree: ``can`` (one object), ``scope`` narrowed to the
object (the list), and ``get`` (loads it, or 404). The rules that cut access are rows of their
own: a restricted resident, withdrawn consent, an expired VOG, a deactivated account, a lost
role, another team in the same municipality and a team in another municipality.

The places every world is built on: "own" is a team of Overbetuwe, "neighbour" another team of
Overbetuwe, "far" a team of Lingewaard.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import professional_set_team, role_grant, role_revoke, system_actor, user_deactivate
from cases import services as case_services
from cases.constants import ConsentAnswer
from cases.models import Alarm, Meeting
from cases.permissions import eligible_volunteers
from cases.policies import alarms, meetings, open_questions, professionals_for, proposals
from privacy.policies import residents
from privacy.services import resident_restrict
from reports.policies import reports
from socialmap import services as map_services
from socialmap.models import Offer
from socialmap.policies import offers, referrals, signals
from tests.factories import (
    CaseFactory,
    MunicipalityFactory,
    ResidentFactory,
    TeamFactory,
    UserFactory,
    VillageFactory,
    make_administrator,
    make_coordinator,
    make_privacy_officer,
    make_professional,
    make_volunteer,
)
from volunteers.models import Location, RosterSlot, Shift, VolunteerStaff
from volunteers.policies import may_record_absence, profiles, shifts, slots, team_staff
from volunteers.services import volunteer_update

TODAY = timezone.localdate()
LONG_AGO = TODAY - datetime.timedelta(days=10 * 365)  # far beyond any municipality's VOG validity
NOTHING: frozenset[tuple[str, str]] = frozenset()


def grants(**by_action: set[str]) -> frozenset[tuple[str, str]]:
    """The (action, object) cells a row allows: ``grants(HOLD={"own"})``."""
    return frozenset((action, name) for action, names in by_action.items() for name in names)


def answers(policy, user, objects: dict) -> tuple[set, set, set]:
    """(allowed by ``can``, listed by ``scope``, loaded by ``get``) for every action x object."""
    single, listed, loaded = set(), set(), set()
    for action in policy.Action:
        for name, obj in objects.items():
            cell = (action.name, name)
            if policy.can(user, action, obj):
                single.add(cell)
            if policy.scope(user, action).filter(pk=obj.pk).exists():
                listed.add(cell)
            try:
                policy.get(user, action, obj.pk)
            except Http404:
                pass
            else:
                loaded.add(cell)
    return single, listed, loaded


def fresh(user: User) -> User:
    """The user as a new request loads it: no cached roles, facts or volunteer profile."""
    return User.objects.get(pk=user.pk)


# --- the places and the people ---------------------------------------------------------------


def places() -> SimpleNamespace:
    overbetuwe = MunicipalityFactory()
    lingewaard = MunicipalityFactory(name="Lingewaard")
    team = TeamFactory(municipality=overbetuwe)
    near_team = TeamFactory(municipality=overbetuwe)
    far_team = TeamFactory(municipality=lingewaard)
    return SimpleNamespace(
        overbetuwe=overbetuwe,
        lingewaard=lingewaard,
        team=team,
        village=VillageFactory(team=team),
        near_team=near_team,
        near_village=VillageFactory(team=near_team),
        far_team=far_team,
        far_village=VillageFactory(team=far_team),
    )


def deactivated(user: User) -> User:
    user_deactivate(actor=system_actor(), user=user)
    return user


def without_role(user: User, role: Role) -> User:
    role_revoke(actor=system_actor(), user=user, role=role)
    return user


def with_profile(user: User, **fields) -> User:
    VolunteerStaff.objects.filter(user=user).update(**fields)
    return user


def also_coordinating(user: User, team) -> User:
    role_grant(actor=system_actor(), user=user, role=Role.COORDINATOR)
    team.coordinators.add(user)
    return user


# Who someone is, in any world built on ``places()``; each matrix adds the relations to its objects.
PEOPLE = {
    "professional of the team": lambda w: make_professional(w.team),
    "professional of the team, account deactivated": lambda w: deactivated(make_professional(w.team)),
    "professional of another team, same municipality": lambda w: make_professional(w.near_team),
    "professional of a team in another municipality": lambda w: make_professional(w.far_team),
    "screened volunteer of the team": lambda w: make_volunteer(w.team),
    "volunteer of the team, VOG expired": lambda w: make_volunteer(w.team, vog_issued_on=LONG_AGO),
    "volunteer of the team, no VOG recorded": lambda w: with_profile(make_volunteer(w.team), vog_issued_on=None),
    "volunteer of the team, account deactivated": lambda w: deactivated(make_volunteer(w.team)),
    "volunteer of the team, profile ended": lambda w: with_profile(make_volunteer(w.team), ended_on=TODAY),
    "volunteer of the team, profile ends tomorrow": lambda w: with_profile(
        make_volunteer(w.team), ended_on=TODAY + datetime.timedelta(days=1)
    ),
    "volunteer of the team, role revoked": lambda w: without_role(make_volunteer(w.team), Role.VOLUNTEER_STAFF),
    "volunteer of another team, same municipality": lambda w: make_volunteer(w.near_team),
    "volunteer of a team in another municipality": lambda w: make_volunteer(w.far_team),
    "coordinator of the team": lambda w: make_coordinator(w.team),
    "coordinator of the team, account deactivated": lambda w: deactivated(make_coordinator(w.team)),
    "coordinator of the team, role revoked": lambda w: without_role(make_coordinator(w.team), Role.COORDINATOR),
    "coordinator of another team, same municipality": lambda w: make_coordinator(w.near_team),
    "coordinator of a team in another municipality": lambda w: make_coordinator(w.far_team),
    "coordinator of the team and of a team in another municipality": lambda w: also_coordinating(
        make_coordinator(w.team), w.far_team
    ),
    "professional of the team who coordinates another team": lambda w: also_coordinating(
        make_professional(w.team), w.near_team
    ),
    "privacy officer of the municipality": lambda w: make_privacy_officer(w.overbetuwe),
    "privacy officer of another municipality": lambda w: make_privacy_officer(w.lingewaard),
    "functional administrator": lambda w: make_administrator(),
    "superuser without a role": lambda w: UserFactory(is_superuser=True, is_staff=True),
}


def rows(matrix: dict) -> list:
    """The matrix's relations as parameters, named by the relation."""
    return [pytest.param(relation, id=relation) for relation in matrix]


def person(relation: str, world: SimpleNamespace, own: dict | None = None) -> User:
    """The user in ``relation``, made in ``world``, loaded as a fresh request would."""
    builder = (own or {}).get(relation) or PEOPLE[relation]
    return fresh(builder(world))


# --- alarms (R11) ----------------------------------------------------------------------------


def alarm_world() -> SimpleNamespace:
    w = places()
    w.responsible = make_professional(w.team)
    w.supervisor = make_professional(w.team)
    w.case = CaseFactory(resident=ResidentFactory(village=w.village), responsible=w.responsible, with_volunteer=True)
    w.volunteer = w.case.volunteer
    with_profile(w.volunteer, supervisor=w.supervisor)
    other_volunteer = make_volunteer(w.team)
    w.objects = {
        "alarm on the case": case_services.alarm_raise(actor=w.volunteer, case=w.case, note="Zwaar."),
        "alarm without a case": case_services.alarm_raise(actor=w.volunteer, note="Te veel."),
        "another volunteer's alarm": case_services.alarm_raise(actor=other_volunteer, note="Moe."),
    }
    return w


def _former_responsible(w):
    case_services.case_set_responsible(actor=w.responsible, case=w.case, professional=make_professional(w.team))
    return w.responsible


def _added_professional(w):
    user = make_professional(w.team)
    case_services.case_add_professional(actor=w.responsible, case=w.case, professional=user)
    return user


def _moved_supervisor(w):
    professional_set_team(actor=system_actor(), user=w.supervisor, team=w.far_team, discipline="social_worker")
    return w.supervisor


ALARM_PEOPLE = {
    "supervising professional": lambda w: w.supervisor,
    "responsible professional of the case": lambda w: w.responsible,
    "professional added to the case": _added_professional,
    "former responsible professional, still on the case": _former_responsible,
    "supervising professional, account deactivated": lambda w: deactivated(w.supervisor),
    "supervising professional, professional role revoked": lambda w: without_role(w.supervisor, Role.PROFESSIONAL),
    "supervising professional who moved to a team in another municipality": _moved_supervisor,
    "the volunteer who raised the alarm": lambda w: w.volunteer,
}
ALARM_MATRIX = {
    "supervising professional": grants(FOLLOW_UP={"alarm on the case", "alarm without a case"}),
    "responsible professional of the case": grants(FOLLOW_UP={"alarm on the case"}),
    "professional of the team": NOTHING,
    "professional added to the case": NOTHING,
    "former responsible professional, still on the case": NOTHING,
    "supervising professional, account deactivated": NOTHING,
    "supervising professional, professional role revoked": NOTHING,
    "supervising professional who moved to a team in another municipality": NOTHING,
    "professional of another team, same municipality": NOTHING,
    "professional of a team in another municipality": NOTHING,
    "the volunteer who raised the alarm": NOTHING,
    "screened volunteer of the team": NOTHING,
    "coordinator of the team": NOTHING,
    "privacy officer of the municipality": NOTHING,
    "superuser without a role": NOTHING,
}


@pytest.mark.parametrize("relation", rows(ALARM_MATRIX))
def test_alarm_is_followed_up_by_exactly_the_supervisor_and_the_responsible_professional(relation):
    world = alarm_world()
    user = person(relation, world, ALARM_PEOPLE)

    single, listed, loaded = answers(alarms, user, world.objects)

    assert listed == single
    assert loaded == single
    assert single == ALARM_MATRIX[relation]


def test_followed_up_alarm_leaves_the_home_page_but_stays_in_scope():
    world = alarm_world()
    alarm = world.objects["alarm without a case"]

    case_services.alarm_resolve(actor=world.supervisor, alarm=alarm)

    supervisor = fresh(world.supervisor)
    assert alarm not in alarms.open_for(supervisor)
    assert world.objects["alarm on the case"] in alarms.open_for(supervisor)
    assert alarms.can(supervisor, alarms.Action.FOLLOW_UP, alarm)


def test_alarm_loads_through_a_narrowing_queryset():
    world = alarm_world()
    alarm = world.objects["alarm on the case"]

    found = alarms.get(fresh(world.supervisor), alarms.Action.FOLLOW_UP, alarm.pk, queryset=Alarm.objects.all())

    assert found == alarm


# --- meetings (R4) ---------------------------------------------------------------------------


def meeting_world() -> SimpleNamespace:
    w = places()
    for team in (w.team, w.far_team):  # the neighbour team keeps volunteer staff out
        team.volunteers_join_meeting = True
        team.save(update_fields=["volunteers_join_meeting"])
    w.objects = {
        name: case_services.meeting_start(actor=make_professional(team), team=team)
        for name, team in (("own", w.team), ("neighbour", w.near_team), ("far", w.far_team))
    }
    return w


MEETING_MATRIX = {
    "professional of the team": grants(HOLD={"own"}),
    "professional of another team, same municipality": grants(HOLD={"neighbour"}),
    "professional of a team in another municipality": grants(HOLD={"far"}),
    "professional of the team, account deactivated": NOTHING,
    "screened volunteer of the team": grants(JOIN={"own"}),
    "volunteer of the team, profile ends tomorrow": grants(JOIN={"own"}),
    "volunteer of another team, same municipality": NOTHING,  # that team keeps volunteers out
    "volunteer of a team in another municipality": grants(JOIN={"far"}),
    "volunteer of the team, VOG expired": NOTHING,
    "volunteer of the team, no VOG recorded": NOTHING,
    "volunteer of the team, account deactivated": NOTHING,
    "volunteer of the team, profile ended": NOTHING,
    "volunteer of the team, role revoked": NOTHING,
    "coordinator of the team": NOTHING,
    "privacy officer of the municipality": NOTHING,
    "functional administrator": NOTHING,
    "superuser without a role": NOTHING,
}


@pytest.mark.parametrize("relation", list(MEETING_MATRIX))
def test_meeting_is_held_by_its_team_and_joined_by_screened_volunteers_only_where_the_team_allows(relation):
    world = meeting_world()
    user = person(relation, world)

    single, listed, loaded = answers(meetings, user, world.objects)

    assert listed == single
    assert loaded == single
    assert single == MEETING_MATRIX[relation]


def test_volunteer_can_no_longer_join_once_the_team_keeps_volunteers_out():
    world = meeting_world()
    volunteer = make_volunteer(world.team)

    world.team.volunteers_join_meeting = False
    world.team.save(update_fields=["volunteers_join_meeting"])

    assert not meetings.can(fresh(volunteer), meetings.Action.JOIN, world.objects["own"])


def test_meeting_loaded_through_a_narrowing_queryset_is_still_404_outside_the_scope():
    world = meeting_world()
    volunteer = fresh(make_volunteer(world.team))
    narrowed = Meeting.objects.select_related("team")

    found = meetings.get(volunteer, meetings.Action.JOIN, world.objects["own"].pk, queryset=narrowed)

    assert found == world.objects["own"]
    with pytest.raises(Http404):
        meetings.get(volunteer, meetings.Action.JOIN, world.objects["neighbour"].pk, queryset=narrowed)
    with pytest.raises(Http404):
        meetings.get(volunteer, meetings.Action.JOIN, world.objects["own"].pk, queryset=narrowed.none())


# --- the open-questions board (R5, R6, R8) ---------------------------------------------------


def board_world() -> SimpleNamespace:
    """A new case whose resident consented, in each of the three teams."""
    w = places()
    w.objects = {
        name: CaseFactory(resident=ResidentFactory(village=village), consented=True)
        for name, village in (("own", w.village), ("neighbour", w.near_village), ("far", w.far_village))
    }
    return w


def _declined_own_case(w):
    user = make_volunteer(w.team)
    case_services.interest_record(actor=user, case=w.objects["own"], answer="declined", reason="other")
    return user


BOARD_PEOPLE = {"volunteer of the team who declined the case": _declined_own_case}
BOARD_MATRIX = {
    "screened volunteer of the team": grants(ANSWER={"own"}),
    "volunteer of the team, profile ends tomorrow": grants(ANSWER={"own"}),
    "volunteer of the team who declined the case": grants(ANSWER={"own"}),  # may still change the answer
    "volunteer of another team, same municipality": grants(ANSWER={"neighbour"}),
    "volunteer of a team in another municipality": grants(ANSWER={"far"}),
    "volunteer of the team, VOG expired": NOTHING,
    "volunteer of the team, no VOG recorded": NOTHING,
    "volunteer of the team, account deactivated": NOTHING,
    "volunteer of the team, profile ended": NOTHING,
    "volunteer of the team, role revoked": NOTHING,
    "professional of the team": NOTHING,
    "coordinator of the team": NOTHING,
    "privacy officer of the municipality": NOTHING,
    "superuser without a role": NOTHING,
}


@pytest.mark.parametrize("relation", list(BOARD_MATRIX))
def test_open_question_reaches_exactly_the_screened_volunteers_of_the_cases_team(relation):
    world = board_world()
    user = person(relation, world, BOARD_PEOPLE)

    single, listed, loaded = answers(open_questions, user, world.objects)

    assert listed == single
    assert loaded == single
    assert single == BOARD_MATRIX[relation]


def _restricted(w, case):
    resident_restrict(actor=make_privacy_officer(w.overbetuwe), resident=case.resident, reason="Art. 18")
    return case


def _restriction_lifted(w, case):
    officer = make_privacy_officer(w.overbetuwe)
    resident_restrict(actor=officer, resident=case.resident, reason="Art. 18")
    resident_restrict(actor=officer, resident=case.resident, reason="", restricted=False)
    return case


def _consent_withdrawn(w, case):
    case_services.consent_withdraw(actor=case.responsible, case=case)
    return case


def _answer_after(answer: str):
    def record(w, case):
        case_services.consent_record(actor=case.responsible, case=case, answer=answer)
        return case

    return record


def _unchanged(w, case):
    return case


# case state -> (how the case is opened, what happens to it next)
CASE_STATES = {
    "new, consent yes": ({"consented": True}, _unchanged),
    "in triage, consent yes": ({"consented": True, "status": "in_triage"}, _unchanged),
    "active, consent yes": ({"consented": True, "active": True}, _unchanged),
    "closed, consent yes": ({"consented": True, "closed": True}, _unchanged),
    "new, consent not asked": ({}, _unchanged),
    "new, consent no": ({"consent": ConsentAnswer.NO}, _unchanged),
    "new, consent yes then withdrawn": ({"consented": True}, _consent_withdrawn),
    "new, consent yes then no": ({"consented": True}, _answer_after(ConsentAnswer.NO)),
    "new, consent no then yes": ({"consent": ConsentAnswer.NO}, _answer_after(ConsentAnswer.YES)),
    "new, consent yes, resident restricted": ({"consented": True}, _restricted),
    "new, consent yes, restriction lifted": ({"consented": True}, _restriction_lifted),
}
# case state -> (on the screened volunteer's board, the volunteer is eligible for it)
CASE_STATE_MATRIX = {
    "new, consent yes": (True, True),
    "in triage, consent yes": (True, True),
    "active, consent yes": (False, True),
    "closed, consent yes": (False, False),
    "new, consent not asked": (False, False),
    "new, consent no": (False, False),
    "new, consent yes then withdrawn": (False, False),
    "new, consent yes then no": (False, False),
    "new, consent no then yes": (True, True),
    "new, consent yes, resident restricted": (False, False),
    "new, consent yes, restriction lifted": (True, True),
}


def case_in_state(state: str) -> tuple[SimpleNamespace, object]:
    w = places()
    opened, then = CASE_STATES[state]
    case = then(w, CaseFactory(resident=ResidentFactory(village=w.village), **opened))
    return w, case


@pytest.mark.parametrize("state", list(CASE_STATE_MATRIX))
def test_open_question_is_on_the_board_only_while_new_consented_and_unrestricted(state):
    world, case = case_in_state(state)
    volunteer = fresh(make_volunteer(world.team))

    single, listed, loaded = answers(open_questions, volunteer, {"case": case})

    assert listed == single
    assert loaded == single
    assert single == (grants(ANSWER={"case"}) if CASE_STATE_MATRIX[state][0] else NOTHING)


# --- who may join a case as volunteer staff (R5-R7) ------------------------------------------


@pytest.mark.parametrize("state", list(CASE_STATE_MATRIX))
def test_volunteer_is_eligible_only_for_an_open_consented_unrestricted_case(state):
    world, case = case_in_state(state)
    volunteer = make_volunteer(world.team)

    eligible = eligible_volunteers(case).filter(user=volunteer).exists()

    assert eligible is CASE_STATE_MATRIX[state][1]


def eligible_world() -> SimpleNamespace:
    w = places()
    w.responsible = make_professional(w.team)
    w.case = CaseFactory(resident=ResidentFactory(village=w.village), responsible=w.responsible, consented=True)
    w.other_case = CaseFactory(resident=ResidentFactory(village=w.village), responsible=w.responsible, consented=True)
    return w


def _on_case(w, case, user):
    return case_services.volunteer_assign(actor=w.responsible, case=case, volunteer=user)


def _already_on_case(w):
    user = make_volunteer(w.team)
    case_services.proposal_accept(actor=user, membership=_on_case(w, w.case, user))
    return user


def _assignment_ended(w):
    user = make_volunteer(w.team)
    case_services.membership_end(actor=w.responsible, membership=_on_case(w, w.case, user))
    return user


def _interested(w):
    user = make_volunteer(w.team)
    case_services.interest_record(actor=user, case=w.case, answer="interested")
    return user


def _declined(w):
    user = make_volunteer(w.team)
    case_services.interest_record(actor=user, case=w.case, answer="declined", reason="outside_expertise")
    return user


def _declined_other_interested_here(w):
    user = make_volunteer(w.team)
    case_services.interest_record(actor=user, case=w.other_case, answer="declined", reason="other")
    case_services.interest_record(actor=user, case=w.case, answer="interested")
    return user


def _ended_here_on_other_case(w):
    user = make_volunteer(w.team)
    case_services.membership_end(actor=w.responsible, membership=_on_case(w, w.case, user))
    _on_case(w, w.other_case, user)
    return user


def _proposed_here(w):
    user = make_volunteer(w.team)
    _on_case(w, w.case, user)  # volunteer_assign proposes; not answered yet
    return user


def _declined_the_proposal(w):
    user = make_volunteer(w.team)
    case_services.proposal_decline(actor=user, membership=_on_case(w, w.case, user), reason="knows_resident")
    return user


ELIGIBLE_PEOPLE = {
    "volunteer proposed for the case, no answer yet": _proposed_here,
    "volunteer who declined the proposal (knows the resident)": _declined_the_proposal,
    "volunteer already on the case": _already_on_case,
    "volunteer whose assignment on the case ended": _assignment_ended,
    "volunteer who would like to join the case": _interested,
    "volunteer who declined the case": _declined,
    "volunteer who declined another case and would like to join this one": _declined_other_interested_here,
    "volunteer on another case whose earlier assignment on this case ended": _ended_here_on_other_case,
}
ELIGIBLE_MATRIX = {
    "screened volunteer of the team": True,
    "volunteer of the team, profile ends tomorrow": True,
    "volunteer who would like to join the case": True,
    "volunteer whose assignment on the case ended": True,
    "volunteer who declined another case and would like to join this one": True,
    "volunteer on another case whose earlier assignment on this case ended": True,
    "volunteer who declined the case": False,
    "volunteer proposed for the case, no answer yet": False,
    "volunteer who declined the proposal (knows the resident)": False,
    "volunteer already on the case": False,
    "volunteer of the team, VOG expired": False,
    "volunteer of the team, no VOG recorded": False,
    "volunteer of the team, account deactivated": False,
    "volunteer of the team, profile ended": False,
    "volunteer of the team, role revoked": False,
    "volunteer of another team, same municipality": False,
    "volunteer of a team in another municipality": False,
}


@pytest.mark.parametrize("relation", rows(ELIGIBLE_MATRIX))
def test_eligible_volunteers_are_the_screened_volunteers_of_the_team_not_yet_involved(relation):
    world = eligible_world()
    volunteer = person(relation, world, ELIGIBLE_PEOPLE)

    eligible = eligible_volunteers(world.case).filter(user=volunteer).exists()

    assert eligible is ELIGIBLE_MATRIX[relation]


def test_restricting_the_resident_takes_the_case_off_the_board_and_out_of_the_volunteer_picker():
    world = places()
    case = CaseFactory(resident=ResidentFactory(village=world.village), consented=True)
    volunteer = make_volunteer(world.team)
    assert open_questions.can(fresh(volunteer), open_questions.Action.ANSWER, case)
    assert eligible_volunteers(case).filter(user=volunteer).exists()

    resident_restrict(actor=make_privacy_officer(world.overbetuwe), resident=case.resident, reason="Art. 18")

    volunteer = fresh(volunteer)
    assert not open_questions.can(volunteer, open_questions.Action.ANSWER, case)
    assert case not in open_questions.scope(volunteer)
    assert not eligible_volunteers(case).exists()


def test_withdrawing_consent_takes_the_case_off_the_board_and_out_of_the_volunteer_picker():
    world = places()
    case = CaseFactory(resident=ResidentFactory(village=world.village), consented=True)
    volunteer = make_volunteer(world.team)
    assert open_questions.can(fresh(volunteer), open_questions.Action.ANSWER, case)

    case_services.consent_withdraw(actor=case.responsible, case=case)

    volunteer = fresh(volunteer)
    assert case not in open_questions.scope(volunteer)
    assert not eligible_volunteers(case).exists()


# --- a proposal: the proposed volunteer sees who the resident is and answers (R7) ---------------


def proposal_world() -> SimpleNamespace:
    """The same screened volunteer proposed for a case of their team, and accepted on another."""
    w = places()
    w.volunteer = make_volunteer(w.team)
    w.responsible = make_professional(w.team)
    w.case = CaseFactory(
        resident=ResidentFactory(village=w.village),
        responsible=w.responsible,
        with_proposal=True,
        volunteer=w.volunteer,
    )
    accepted = CaseFactory(
        resident=ResidentFactory(village=w.village),
        responsible=w.responsible,
        with_volunteer=True,
        volunteer=w.volunteer,
    )
    w.objects = {"proposal": w.case.volunteer_membership, "accepted membership": accepted.volunteer_membership}
    return w


def _proposed_case_closed(w):
    case_services.case_close(actor=w.responsible, case=w.case, outcome="resolved")
    return w.volunteer


def _proposed_consent_withdrawn(w):
    case_services.consent_withdraw(actor=w.responsible, case=w.case)
    return w.volunteer


def _proposed_resident_restricted(w):
    resident_restrict(actor=make_privacy_officer(w.overbetuwe), resident=w.case.resident, reason="Art. 18")
    return w.volunteer


def _proposed_vog_expired(w):
    return with_profile(w.volunteer, vog_issued_on=LONG_AGO)


def _proposal_declined(w):
    case_services.proposal_decline(actor=w.volunteer, membership=w.objects["proposal"], reason="knows_resident")
    return w.volunteer


def _proposal_ended_by_the_team(w):
    case_services.membership_end(actor=w.responsible, membership=w.objects["proposal"])
    return w.volunteer


PROPOSAL_PEOPLE = {
    "the proposed volunteer": lambda w: w.volunteer,
    "the proposed volunteer, case closed": _proposed_case_closed,
    "the proposed volunteer, consent withdrawn": _proposed_consent_withdrawn,
    "the proposed volunteer, resident restricted": _proposed_resident_restricted,
    "the proposed volunteer, VOG expired": _proposed_vog_expired,
    "the proposed volunteer, account deactivated": lambda w: deactivated(w.volunteer),
    "the proposed volunteer, role revoked": lambda w: without_role(w.volunteer, Role.VOLUNTEER_STAFF),
    "the proposed volunteer, who declined": _proposal_declined,
    "the proposed volunteer, proposal ended by the team": _proposal_ended_by_the_team,
    "responsible professional of the case": lambda w: w.responsible,
}
PROPOSAL_MATRIX = {
    "the proposed volunteer": grants(ANSWER={"proposal"}),  # never the membership they accepted
    "the proposed volunteer, case closed": NOTHING,
    "the proposed volunteer, consent withdrawn": NOTHING,
    "the proposed volunteer, resident restricted": NOTHING,
    "the proposed volunteer, VOG expired": NOTHING,
    "the proposed volunteer, account deactivated": NOTHING,
    "the proposed volunteer, role revoked": NOTHING,
    "the proposed volunteer, who declined": NOTHING,
    "the proposed volunteer, proposal ended by the team": NOTHING,
    "screened volunteer of the team": NOTHING,
    "volunteer of another team, same municipality": NOTHING,
    "responsible professional of the case": NOTHING,
    "professional of the team": NOTHING,
    "coordinator of the team": NOTHING,
    "privacy officer of the municipality": NOTHING,
    "functional administrator": NOTHING,
    "superuser without a role": NOTHING,
}


@pytest.mark.parametrize("relation", rows(PROPOSAL_MATRIX))
def test_a_proposal_is_seen_and_answered_by_the_proposed_volunteer_only_while_it_is_open(relation):
    world = proposal_world()
    user = person(relation, world, PROPOSAL_PEOPLE)

    single, listed, loaded = answers(proposals, user, world.objects)

    assert listed == single
    assert loaded == single
    assert single == PROPOSAL_MATRIX[relation]


# --- who may be made responsible for, or added to, a case (R9) --------------------------------

# relation -> (may be made responsible, may be added as a professional)
PROFESSIONALS_MATRIX = {
    "professional of the team": (True, True),
    "professional of the team who coordinates another team": (True, True),
    "professional of another team, same municipality": (False, True),
    "professional of a team in another municipality": (False, False),
    "professional of the team, account deactivated": (False, False),
    "former professional of the team (role revoked)": (False, False),
    "screened volunteer of the team": (False, False),
    "coordinator of the team": (False, False),
    "privacy officer of the municipality": (False, False),
    "superuser without a role": (False, False),
}
PROFESSIONALS_PEOPLE = {
    "former professional of the team (role revoked)": lambda w: without_role(
        make_professional(w.team), Role.PROFESSIONAL
    )
}


@pytest.mark.parametrize("relation", list(PROFESSIONALS_MATRIX))
def test_professionals_for_offers_the_team_as_responsible_and_the_municipality_as_added(relation):
    world = places()
    case = CaseFactory(resident=ResidentFactory(village=world.village))
    user = person(relation, world, PROFESSIONALS_PEOPLE)

    answer = (
        professionals_for(case, responsible=True).filter(pk=user.pk).exists(),
        professionals_for(case, responsible=False).filter(pk=user.pk).exists(),
    )

    assert answer == PROFESSIONALS_MATRIX[relation]


# --- the social map and collective signals (R12, R13) ----------------------------------------


def map_world() -> SimpleNamespace:
    w = places()
    own_staff, far_staff = make_professional(w.team), make_professional(w.far_team)
    # offer_save takes only villages of the actor's own municipalities, so this one is made directly
    shared = Offer.objects.create(name="Repair café", kind="activity")
    shared.villages.set([w.village, w.far_village])
    w.offers = {
        "own": map_services.offer_save(actor=own_staff, villages=[w.village], name="Koffie", kind="activity"),
        "neighbour": map_services.offer_save(actor=own_staff, villages=[w.near_village], name="Soos", kind="club"),
        "far": map_services.offer_save(actor=far_staff, villages=[w.far_village], name="Eettafel", kind="activity"),
        "shared with another municipality": shared,
    }
    w.signals = {
        name: map_services.signal_record(actor=actor, village=village, theme="Eenzaamheid", description="Veel alleen.")
        for name, actor, village in (
            ("own", own_staff, w.village),
            ("neighbour", own_staff, w.near_village),
            ("far", far_staff, w.far_village),
        )
    }
    return w


OVERBETUWE_OFFERS = {"own", "neighbour", "shared with another municipality"}
LINGEWAARD_OFFERS = {"far", "shared with another municipality"}
OFFER_MATRIX = {
    "professional of the team": grants(VIEW=OVERBETUWE_OFFERS, EDIT=OVERBETUWE_OFFERS),
    "professional of another team, same municipality": grants(VIEW=OVERBETUWE_OFFERS, EDIT=OVERBETUWE_OFFERS),
    "professional of a team in another municipality": grants(VIEW=LINGEWAARD_OFFERS, EDIT=LINGEWAARD_OFFERS),
    "screened volunteer of the team": grants(VIEW=OVERBETUWE_OFFERS, EDIT=OVERBETUWE_OFFERS),
    "volunteer of a team in another municipality": grants(VIEW=LINGEWAARD_OFFERS, EDIT=LINGEWAARD_OFFERS),
    "professional of the team, account deactivated": NOTHING,
    "volunteer of the team, VOG expired": NOTHING,
    "volunteer of the team, account deactivated": NOTHING,
    "volunteer of the team, profile ended": NOTHING,
    "volunteer of the team, role revoked": NOTHING,
    "coordinator of the team": NOTHING,
    "privacy officer of the municipality": NOTHING,
    "functional administrator": NOTHING,
    "superuser without a role": NOTHING,
}


@pytest.mark.parametrize("relation", list(OFFER_MATRIX))
def test_offers_are_seen_and_kept_by_the_staff_of_the_offers_municipality(relation):
    world = map_world()
    user = person(relation, world)

    single, listed, loaded = answers(offers, user, world.offers)

    assert listed == single
    assert loaded == single
    assert single == OFFER_MATRIX[relation]


OVERBETUWE_SIGNALS = {"own", "neighbour"}
SIGNAL_MATRIX = {
    "professional of the team": grants(VIEW=OVERBETUWE_SIGNALS, ADVANCE=OVERBETUWE_SIGNALS),
    "professional of another team, same municipality": grants(VIEW=OVERBETUWE_SIGNALS, ADVANCE=OVERBETUWE_SIGNALS),
    "professional of a team in another municipality": grants(VIEW={"far"}, ADVANCE={"far"}),
    "screened volunteer of the team": grants(VIEW=OVERBETUWE_SIGNALS),
    "volunteer of a team in another municipality": grants(VIEW={"far"}),
    "professional of the team, account deactivated": NOTHING,
    "volunteer of the team, VOG expired": NOTHING,
    "volunteer of the team, account deactivated": NOTHING,
    "volunteer of the team, profile ended": NOTHING,
    "coordinator of the team": NOTHING,
    "privacy officer of the municipality": NOTHING,
    "functional administrator": NOTHING,
    "superuser without a role": NOTHING,
}


@pytest.mark.parametrize("relation", list(SIGNAL_MATRIX))
def test_signals_are_seen_by_the_municipalitys_staff_and_moved_on_by_its_professionals(relation):
    world = map_world()
    user = person(relation, world)

    single, listed, loaded = answers(signals, user, world.signals)

    assert listed == single
    assert loaded == single
    assert single == SIGNAL_MATRIX[relation]


# --- referrals ---------------------------------------------------------------------------------


def referral_world() -> SimpleNamespace:
    w = places()
    w.responsible = make_professional(w.team)
    w.officer = make_privacy_officer(w.overbetuwe)
    offer = map_services.offer_save(actor=w.responsible, villages=[w.village], name="Koffie", kind="activity")

    def case(**traits):
        return CaseFactory(resident=ResidentFactory(village=w.village), responsible=w.responsible, **traits)

    w.case = case(with_volunteer=True)
    w.volunteer = w.case.volunteer
    cases = {
        "on the case with a volunteer": w.case,
        "on another case of the team": case(active=True),
        "on a closed case": case(active=True),
        "on a restricted resident's case (same volunteer)": case(with_volunteer=True, volunteer=w.volunteer),
        "on a neighbour team's case": CaseFactory(resident=ResidentFactory(village=w.near_village), active=True),
    }
    w.objects = {
        name: map_services.referral_make(actor=c.responsible, case=c, offer=offer) for name, c in cases.items()
    }
    w.cases = cases
    case_services.case_close(actor=w.responsible, case=cases["on a closed case"], outcome="resolved")
    resident = cases["on a restricted resident's case (same volunteer)"].resident
    resident_restrict(actor=w.officer, resident=resident, reason="Art. 18")
    return w


def _near_professional_added(w):
    user = make_professional(w.near_team)
    case_services.case_add_professional(actor=w.responsible, case=w.case, professional=user)
    return user


def _volunteer_consent_withdrawn(w):
    case_services.consent_withdraw(actor=w.responsible, case=w.case)
    return w.volunteer


REFERRAL_PEOPLE = {
    "responsible professional": lambda w: w.responsible,
    "professional of another team, added to the case": _near_professional_added,
    "assigned volunteer": lambda w: w.volunteer,
    "assigned volunteer, consent withdrawn": _volunteer_consent_withdrawn,
    "assigned volunteer, VOG expired": lambda w: with_profile(w.volunteer, vog_issued_on=LONG_AGO),
    "assigned volunteer, account deactivated": lambda w: deactivated(w.volunteer),
    "privacy officer who restricted the resident": lambda w: w.officer,
}
TEAM_REFERRALS = {"on the case with a volunteer", "on another case of the team"}
REFERRAL_MATRIX = {
    "responsible professional": grants(RECORD_OUTCOME=TEAM_REFERRALS),
    "professional of the team": grants(RECORD_OUTCOME=TEAM_REFERRALS),
    "professional of another team, same municipality": grants(RECORD_OUTCOME={"on a neighbour team's case"}),
    "professional of another team, added to the case": grants(
        RECORD_OUTCOME={"on the case with a volunteer", "on a neighbour team's case"}
    ),
    "professional of a team in another municipality": NOTHING,
    "professional of the team, account deactivated": NOTHING,
    "assigned volunteer": grants(RECORD_OUTCOME={"on the case with a volunteer"}),
    "assigned volunteer, consent withdrawn": NOTHING,
    "assigned volunteer, VOG expired": NOTHING,
    "assigned volunteer, account deactivated": NOTHING,
    "screened volunteer of the team": NOTHING,
    "coordinator of the team": NOTHING,
    "privacy officer who restricted the resident": NOTHING,
    "superuser without a role": NOTHING,
}


@pytest.mark.parametrize("relation", list(REFERRAL_MATRIX))
def test_referral_outcome_is_recorded_by_exactly_who_may_work_on_the_case(relation):
    world = referral_world()
    user = person(relation, world, REFERRAL_PEOPLE)

    single, listed, loaded = answers(referrals, user, world.objects)
    referable = {name for name, case in world.cases.items() if referrals.cases(user).filter(pk=case.pk).exists()}

    assert listed == single
    assert loaded == single
    assert single == REFERRAL_MATRIX[relation]
    assert referable == {name for _action, name in single}


# --- the coordinator's scope: profiles, rosters, absences, team staff (R11, R14) --------------


def profile_world() -> SimpleNamespace:
    w = places()
    w.supervisor = make_professional(w.team)
    w.volunteer = with_profile(make_volunteer(w.team), supervisor=w.supervisor)
    w.objects = {
        "own": w.volunteer.volunteer_profile,
        "neighbour": make_volunteer(w.near_team).volunteer_profile,
        "far": make_volunteer(w.far_team).volunteer_profile,
    }
    return w


def _moved_supervisor_near(w):
    professional_set_team(actor=system_actor(), user=w.supervisor, team=w.near_team, discipline="social_worker")
    return w.supervisor


PROFILE_PEOPLE = {
    "supervising professional": lambda w: w.supervisor,
    "supervising professional, account deactivated": lambda w: deactivated(w.supervisor),
    "supervising professional, professional role revoked": lambda w: without_role(w.supervisor, Role.PROFESSIONAL),
    "supervising professional who moved to another team, same municipality": _moved_supervisor_near,
    "the volunteer themselves": lambda w: w.volunteer,
}
PROFILE_MATRIX = {
    "coordinator of the team": grants(MANAGE={"own"}, CHECK_IN={"own"}),
    "coordinator of another team, same municipality": grants(MANAGE={"neighbour"}, CHECK_IN={"neighbour"}),
    "coordinator of a team in another municipality": grants(MANAGE={"far"}, CHECK_IN={"far"}),
    "coordinator of the team and of a team in another municipality": grants(
        MANAGE={"own", "far"}, CHECK_IN={"own", "far"}
    ),
    "coordinator of the team, account deactivated": NOTHING,
    "coordinator of the team, role revoked": NOTHING,
    "supervising professional": grants(CHECK_IN={"own"}),
    "supervising professional, account deactivated": NOTHING,
    "supervising professional, professional role revoked": NOTHING,
    "supervising professional who moved to another team, same municipality": NOTHING,
    "professional of the team": NOTHING,
    "the volunteer themselves": NOTHING,
    "screened volunteer of the team": NOTHING,
    "privacy officer of the municipality": NOTHING,
    "functional administrator": NOTHING,
    "superuser without a role": NOTHING,
}


@pytest.mark.parametrize("relation", list(PROFILE_MATRIX))
def test_volunteer_profile_is_managed_by_its_teams_coordinators_and_checked_in_on_by_its_supervisor(relation):
    world = profile_world()
    user = person(relation, world, PROFILE_PEOPLE)

    single, listed, loaded = answers(profiles, user, world.objects)

    assert listed == single
    assert loaded == single
    assert single == PROFILE_MATRIX[relation]


def roster_world() -> SimpleNamespace:
    w = places()
    w.slots, w.shifts = {}, {}
    monday = TODAY + datetime.timedelta(days=7 - TODAY.weekday())
    for name, team in (("own", w.team), ("neighbour", w.near_team), ("far", w.far_team)):
        location = Location.objects.create(team=team, name=f"Dorpshuis {name}")
        slot = RosterSlot.objects.create(
            location=location, weekday=0, start_time=datetime.time(10), end_time=datetime.time(12)
        )
        w.slots[name] = slot
        w.shifts[name] = Shift.objects.create(slot=slot, date=monday, person=make_volunteer(team), role="volunteer")
    w.on_duty = w.shifts["own"].person
    return w


ROSTER_PEOPLE = {"volunteer on duty at the team's walk-in hour": lambda w: w.on_duty}
# relation -> the teams whose walk-in hours (slots and shifts alike) the user manages
ROSTER_MATRIX = {
    "coordinator of the team": {"own"},
    "coordinator of another team, same municipality": {"neighbour"},
    "coordinator of a team in another municipality": {"far"},
    "coordinator of the team and of a team in another municipality": {"own", "far"},
    "coordinator of the team, account deactivated": set(),
    "coordinator of the team, role revoked": set(),
    "professional of the team": set(),
    "professional of the team who coordinates another team": {"neighbour"},
    "volunteer on duty at the team's walk-in hour": set(),
    "privacy officer of the municipality": set(),
    "functional administrator": set(),
    "superuser without a role": set(),
}


@pytest.mark.parametrize("relation", list(ROSTER_MATRIX))
def test_walk_in_rosters_are_managed_by_the_coordinators_of_their_team(relation):
    world = roster_world()
    user = person(relation, world, ROSTER_PEOPLE)

    slot_answers = answers(slots, user, world.slots)
    shift_answers = answers(shifts, user, world.shifts)

    expected = grants(MANAGE=ROSTER_MATRIX[relation])
    for single, listed, loaded in (slot_answers, shift_answers):
        assert listed == single
        assert loaded == single
        assert single == expected


def absence_world() -> SimpleNamespace:
    w = places()
    w.people = {
        "coordinator of the team": make_coordinator(w.team),
        "coordinator of the team, account deactivated": deactivated(make_coordinator(w.team)),
        "coordinator of the team, role revoked": without_role(make_coordinator(w.team), Role.COORDINATOR),
        "another coordinator of the team": make_coordinator(w.team),
        "professional of the team": make_professional(w.team),
        "volunteer of the team": make_volunteer(w.team),
        "another volunteer of the team": make_volunteer(w.team),
        "volunteer of the team, profile ended": with_profile(make_volunteer(w.team), ended_on=TODAY),
        "volunteer of the team, account deactivated": deactivated(make_volunteer(w.team)),
        "volunteer of another team, same municipality": make_volunteer(w.near_team),
    }
    return w


ABSENCE_MATRIX = [
    ("volunteer of the team", "volunteer of the team", True),
    ("professional of the team", "professional of the team", True),
    ("coordinator of the team", "volunteer of the team", True),
    ("coordinator of the team", "professional of the team", True),
    ("coordinator of the team", "volunteer of another team, same municipality", False),
    ("coordinator of the team", "volunteer of the team, profile ended", False),
    ("coordinator of the team", "volunteer of the team, account deactivated", False),
    ("coordinator of the team", "another coordinator of the team", False),
    ("coordinator of the team, account deactivated", "volunteer of the team", False),
    ("coordinator of the team, role revoked", "volunteer of the team", False),
    ("professional of the team", "volunteer of the team", False),
    ("volunteer of the team", "another volunteer of the team", False),
]


@pytest.mark.parametrize(("actor", "subject", "expected"), ABSENCE_MATRIX)
def test_absence_is_recorded_by_the_person_or_a_coordinator_of_their_team(actor, subject, expected):
    world = absence_world()

    allowed = may_record_absence(fresh(world.people[actor]), fresh(world.people[subject]))

    assert allowed is expected


TEAM_STAFF_MATRIX = {
    "professional of the team": True,
    "screened volunteer of the team": True,
    "professional of the team, account deactivated": False,
    "volunteer of the team, account deactivated": False,
    "volunteer of the team, profile ended": False,
    "volunteer of another team, same municipality": False,
    "professional of another team, same municipality": False,
    "coordinator of the team": False,
}


@pytest.mark.parametrize("relation", list(TEAM_STAFF_MATRIX))
def test_team_staff_are_the_active_volunteers_and_professionals_of_the_team(relation):
    world = places()
    user = person(relation, world)

    listed = team_staff([world.team.pk]).filter(pk=user.pk).exists()

    assert listed is TEAM_STAFF_MATRIX[relation]


# --- the privacy officer (GDPR requests) -------------------------------------------------------


def resident_world() -> SimpleNamespace:
    w = places()
    restricted = ResidentFactory(village=w.village)
    resident_restrict(actor=make_privacy_officer(w.overbetuwe), resident=restricted, reason="Art. 18")
    w.objects = {
        "own": ResidentFactory(village=w.village),
        "neighbour": ResidentFactory(village=w.near_village),
        "far": ResidentFactory(village=w.far_village),
        "restricted, own": restricted,
    }
    return w


def _officer_of_both(w):
    user = make_privacy_officer(w.overbetuwe)
    w.lingewaard.privacy_officers.add(user)
    return user


def _listed_without_role(w):
    user = UserFactory()
    w.overbetuwe.privacy_officers.add(user)
    return user


RESIDENT_PEOPLE = {
    "privacy officer of both municipalities": _officer_of_both,
    "privacy officer, account deactivated": lambda w: deactivated(make_privacy_officer(w.overbetuwe)),
    "privacy officer, role revoked": lambda w: without_role(make_privacy_officer(w.overbetuwe), Role.PRIVACY_OFFICER),
    "listed as the municipality's privacy officer without the role": _listed_without_role,
}
RESIDENT_MATRIX = {
    "privacy officer of the municipality": grants(HANDLE={"own", "neighbour", "restricted, own"}),
    "privacy officer of another municipality": grants(HANDLE={"far"}),
    "privacy officer of both municipalities": grants(HANDLE={"own", "neighbour", "far", "restricted, own"}),
    "privacy officer, account deactivated": NOTHING,
    "privacy officer, role revoked": NOTHING,
    "listed as the municipality's privacy officer without the role": NOTHING,
    "professional of the team": NOTHING,
    "coordinator of the team": NOTHING,
    "screened volunteer of the team": NOTHING,
    "functional administrator": NOTHING,
    "superuser without a role": NOTHING,
}


@pytest.mark.parametrize("relation", list(RESIDENT_MATRIX))
def test_resident_requests_are_handled_by_the_privacy_officers_of_the_residents_municipality(relation):
    world = resident_world()
    user = person(relation, world, RESIDENT_PEOPLE)

    single, listed, loaded = answers(residents, user, world.objects)

    assert listed == single
    assert loaded == single
    assert single == RESIDENT_MATRIX[relation]


# --- reports ----------------------------------------------------------------------------------


def report_world() -> SimpleNamespace:
    w = places()
    w.objects = {"own": w.team, "neighbour": w.near_team, "far": w.far_team}
    return w


REPORT_MATRIX = {
    "professional of the team": grants(VIEW={"own"}),
    "professional of a team in another municipality": grants(VIEW={"far"}),
    "professional of the team who coordinates another team": grants(VIEW={"own", "neighbour"}),
    "coordinator of the team": grants(VIEW={"own"}),
    "coordinator of the team and of a team in another municipality": grants(VIEW={"own", "far"}),
    "professional of the team, account deactivated": NOTHING,
    "coordinator of the team, account deactivated": NOTHING,
    "coordinator of the team, role revoked": NOTHING,
    "screened volunteer of the team": NOTHING,
    "privacy officer of the municipality": NOTHING,
    "functional administrator": NOTHING,
    "superuser without a role": NOTHING,
}


@pytest.mark.parametrize("relation", list(REPORT_MATRIX))
def test_reports_cover_exactly_the_teams_one_works_in_or_coordinates(relation):
    world = report_world()
    user = person(relation, world)

    single, listed, loaded = answers(reports, user, world.objects)

    assert listed == single
    assert loaded == single
    assert single == REPORT_MATRIX[relation]


# (reader, teams in the report, small counts hidden)
SUPPRESSION_MATRIX = [
    ("professional of the team", "own", False),
    ("professional of the team", "own+neighbour", True),
    ("professional of the team who coordinates another team", "own", False),
    ("professional of the team who coordinates another team", "own+neighbour", True),
    ("coordinator of the team", "own", True),
    ("professional of the team, account deactivated", "own", True),
    ("screened volunteer of the team", "own", True),
]


@pytest.mark.parametrize(("relation", "teams", "expected"), SUPPRESSION_MATRIX)
def test_small_counts_are_hidden_unless_the_reader_is_a_professional_of_every_team(relation, teams, expected):
    world = report_world()
    user = person(relation, world)

    suppressed = reports.suppress_small_counts(user, [world.objects[name] for name in teams.split("+")])

    assert suppressed is expected


# --- across the policies ------------------------------------------------------------------------


def test_a_volunteer_whose_vog_runs_out_loses_every_volunteer_answer_at_once():
    world = map_world()
    world.team.volunteers_join_meeting = True
    world.team.save(update_fields=["volunteers_join_meeting"])
    meeting = case_services.meeting_start(actor=make_professional(world.team), team=world.team)
    case = CaseFactory(resident=ResidentFactory(village=world.village), consented=True)
    volunteer = make_volunteer(world.team)
    coordinator = make_coordinator(world.team)

    volunteer_update(
        actor=coordinator,
        profile=volunteer.volunteer_profile,
        expected_version=volunteer.volunteer_profile.version,
        vog_issued_on=LONG_AGO,
    )

    volunteer = fresh(volunteer)
    assert not meetings.scope(volunteer, meetings.Action.JOIN).filter(pk=meeting.pk).exists()
    assert not open_questions.scope(volunteer).filter(pk=case.pk).exists()
    assert not offers.scope(volunteer, offers.Action.VIEW).exists()
    assert not signals.scope(volunteer, signals.Action.VIEW).exists()
    assert not eligible_volunteers(case).filter(user=volunteer).exists()


def test_a_deactivated_professional_loses_every_answer_at_once():
    world = referral_world()
    with_profile(world.volunteer, supervisor=world.responsible)
    case_services.alarm_raise(actor=world.volunteer, case=world.case)
    meeting = case_services.meeting_start(actor=world.responsible, team=world.team)

    user_deactivate(actor=system_actor(), user=world.responsible)

    user = fresh(world.responsible)
    assert not alarms.scope(user).exists()
    assert not meetings.scope(user, meetings.Action.HOLD).filter(pk=meeting.pk).exists()
    assert not referrals.scope(user).exists()
    assert not referrals.cases(user).exists()
    assert not offers.scope(user, offers.Action.EDIT).exists()
    assert not signals.scope(user, signals.Action.ADVANCE).exists()
    assert not profiles.scope(user, profiles.Action.CHECK_IN).exists()
    assert not reports.scope(user).exists()
    assert not professionals_for(world.case, responsible=False).filter(pk=user.pk).exists()


MATRICES = {
    "alarms": (alarms, ALARM_MATRIX),
    "meetings": (meetings, MEETING_MATRIX),
    "open questions": (open_questions, BOARD_MATRIX),
    "proposals": (proposals, PROPOSAL_MATRIX),
    "offers": (offers, OFFER_MATRIX),
    "signals": (signals, SIGNAL_MATRIX),
    "referrals": (referrals, REFERRAL_MATRIX),
    "profiles": (profiles, PROFILE_MATRIX),
    "residents": (residents, RESIDENT_MATRIX),
    "reports": (reports, REPORT_MATRIX),
}


@pytest.mark.parametrize("name", list(MATRICES))
def test_every_matrix_grants_and_refuses_every_action_somewhere(name):
    policy, matrix = MATRICES[name]

    granted = {action for cells in matrix.values() for action, _object in cells}
    refused_everything = [relation for relation, cells in matrix.items() if not cells]

    assert granted == {action.name for action in policy.Action}
    assert refused_everything
