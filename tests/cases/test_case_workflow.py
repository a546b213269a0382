"""The status workflow is one transition table, checked by the services (R9: an active case
always has exactly one responsible professional)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cases import services
from cases.constants import TRANSITIONS, CaseStatus, MembershipRole, can_transition
from cases.models import CaseMembership
from tests.factories import CaseFactory, make_professional


def test_transition_table_matches_the_documented_workflow():
    assert {
        CaseStatus.NEW: {CaseStatus.IN_TRIAGE, CaseStatus.CLOSED},
        CaseStatus.IN_TRIAGE: {CaseStatus.ACTIVE, CaseStatus.CLOSED},
        CaseStatus.ACTIVE: {CaseStatus.ON_HOLD, CaseStatus.CLOSED},
        CaseStatus.ON_HOLD: {CaseStatus.ACTIVE, CaseStatus.CLOSED},
        CaseStatus.CLOSED: {CaseStatus.ACTIVE},
    } == TRANSITIONS


@pytest.mark.parametrize("current", CaseStatus.values)
@pytest.mark.parametrize("target", CaseStatus.values)
def test_can_transition_follows_the_table(current, target):
    assert can_transition(current, target) == (target in TRANSITIONS[current])


def test_new_case_cannot_jump_to_active():
    case = CaseFactory()

    with pytest.raises(ValidationError):
        services.case_activate(actor=case.responsible, case=case, responsible=case.responsible)

    case.refresh_from_db()
    assert case.status == CaseStatus.NEW


def test_activating_without_a_responsible_professional_is_refused():
    case = CaseFactory(status="in_triage")

    with pytest.raises(ValidationError):
        services.case_activate(actor=case.responsible, case=case)

    case.refresh_from_db()
    assert case.status == CaseStatus.IN_TRIAGE


def test_hold_and_resume():
    case = CaseFactory(active=True)

    held = services.case_hold(actor=case.responsible, case=case)
    resumed = services.case_resume(actor=case.responsible, case=held)

    assert held.status == CaseStatus.ON_HOLD
    assert resumed.status == CaseStatus.ACTIVE


def test_changing_responsible_keeps_exactly_one():
    case = CaseFactory(active=True)
    successor = make_professional(case.team)

    services.case_set_responsible(actor=case.responsible, case=case, professional=successor)

    open_responsible = CaseMembership.objects.filter(case=case, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True)
    assert list(open_responsible.values_list("user", flat=True)) == [successor.pk]
    assert CaseMembership.objects.filter(
        case=case, user=case.responsible, role=MembershipRole.PROFESSIONAL, ended_at__isnull=True
    ).exists()


def test_responsible_of_an_active_case_cannot_just_be_removed():
    case = CaseFactory(active=True)
    membership = CaseMembership.objects.get(case=case, role=MembershipRole.RESPONSIBLE)

    with pytest.raises(ValidationError):
        services.membership_end(actor=case.responsible, membership=membership)


def test_database_refuses_a_second_open_responsible():
    case = CaseFactory(active=True)
    other = make_professional(case.team)

    with pytest.raises(IntegrityError), transaction.atomic():
        CaseMembership.objects.create(case=case, user=other, role=MembershipRole.RESPONSIBLE)


def test_responsible_must_belong_to_the_case_team():
    case = CaseFactory(status="in_triage")
    outsider = make_professional(CaseFactory().team)

    with pytest.raises(ValidationError):
        services.case_activate(actor=case.responsible, case=case, responsible=outsider)


def test_team_follows_from_the_residents_village():
    case = CaseFactory()

    assert case.team == case.resident.village.team
