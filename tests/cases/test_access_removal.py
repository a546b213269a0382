"""Withdrawing consent, ending an assignment, closing the case, an expired VOG and a
deactivated account each remove a volunteer's access on the very next request (R6, R9)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import system_actor, user_deactivate
from cases import services
from cases.constants import ConsentAnswer, MembershipRole, Outcome
from cases.models import CaseMembership
from tests.factories import PASSWORD, CaseFactory


def _slice_status(client, case) -> int:
    return client.get(reverse("volunteers:my_case", args=[case.pk])).status_code


@pytest.fixture
def assigned(client):
    case = CaseFactory(with_volunteer=True)
    client.login(username=case.volunteer.username, password=PASSWORD)
    assert _slice_status(client, case) == 200
    return case


def test_consent_withdrawal_removes_access_at_once(client, assigned):
    services.consent_withdraw(actor=assigned.responsible, case=assigned)

    assert _slice_status(client, assigned) == 404
    assert assigned.volunteer.username not in client.get(reverse("volunteers:my_cases")).content.decode()


def test_consent_answer_no_removes_access_at_once(client, assigned):
    services.consent_record(actor=assigned.responsible, case=assigned, answer=ConsentAnswer.NO)

    assert _slice_status(client, assigned) == 404


def test_ending_the_assignment_removes_access_at_once(client, assigned):
    membership = CaseMembership.objects.get(case=assigned, user=assigned.volunteer, role=MembershipRole.VOLUNTEER)

    services.membership_end(actor=assigned.responsible, membership=membership)

    assert _slice_status(client, assigned) == 404


def test_closing_the_case_removes_access_at_once(client, assigned):
    services.case_close(actor=assigned.responsible, case=assigned, outcome=Outcome.RESOLVED)

    assert _slice_status(client, assigned) == 404


def test_expired_vog_removes_access_without_any_service_call(client, assigned):
    profile = assigned.volunteer.volunteer_profile
    profile.vog_issued_on = timezone.localdate() - datetime.timedelta(days=3 * 366)
    profile.save()

    assert _slice_status(client, assigned) == 404


def test_deactivated_account_is_logged_out_and_loses_grants(client, assigned):
    user_deactivate(actor=system_actor(), user=assigned.volunteer)

    response = client.get(reverse("volunteers:my_case", args=[assigned.pk]))

    assert response.status_code == 302  # the session no longer authenticates
    assert not assigned.caseuserobjectpermission_set.filter(user=assigned.volunteer).exists()


def test_case_list_no_longer_shows_the_case_after_withdrawal(client, assigned):
    services.consent_withdraw(actor=assigned.responsible, case=assigned)

    response = client.get(reverse("volunteers:my_cases"))

    assert assigned.resident.last_name not in response.content.decode()
