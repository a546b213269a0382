"""Only a professional can close a case (R9): at the service and over HTTP."""

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from cases import services
from cases.constants import CaseStatus, MembershipRole, Outcome
from cases.models import Case, CaseMembership, CaseUserObjectPermission
from tests.factories import PASSWORD, CaseFactory, make_coordinator, make_professional


def test_responsible_professional_closes_case_and_ends_volunteer_access():
    case = CaseFactory(with_volunteer=True)

    closed = services.case_close(actor=case.responsible, case=case, outcome=Outcome.RESOLVED, closing_note="Klaar.")

    assert closed.status == CaseStatus.CLOSED
    assert closed.closed_at is not None
    assert not CaseMembership.objects.filter(case=case, role=MembershipRole.VOLUNTEER, ended_at__isnull=True).exists()
    entry = LogEntry.objects.get_for_object(case).filter(action=LogEntry.Action.UPDATE).first()
    assert entry.actor == case.responsible
    assert {"status", "outcome", "closing_note", "closed_at"} <= set(entry.changes_dict)


def test_volunteer_cannot_close_even_with_a_wrong_grant():
    case = CaseFactory(with_volunteer=True)
    CaseUserObjectPermission.objects.create(
        user=case.volunteer, content_object=case, permission=Permission.objects.get(codename="close_case")
    )

    with pytest.raises(PermissionDenied):
        services.case_close(actor=case.volunteer, case=case, outcome=Outcome.RESOLVED)

    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACTIVE


def test_coordinator_cannot_close():
    case = CaseFactory(active=True)
    coordinator = make_coordinator(case.team)

    with pytest.raises(PermissionDenied):
        services.case_close(actor=coordinator, case=case, outcome=Outcome.RESOLVED)

    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACTIVE


def test_professional_of_another_team_cannot_close():
    case = CaseFactory(active=True)
    outsider = make_professional(CaseFactory().team)

    with pytest.raises(PermissionDenied):
        services.case_close(actor=outsider, case=case, outcome=Outcome.RESOLVED)

    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACTIVE


def test_closing_needs_a_valid_outcome():
    case = CaseFactory(active=True)

    with pytest.raises(ValidationError):
        services.case_close(actor=case.responsible, case=case, outcome="nonsense")

    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACTIVE


def test_closed_case_cannot_be_closed_again():
    case = CaseFactory(closed=True)

    with pytest.raises(PermissionDenied):
        services.case_close(actor=case.responsible, case=case, outcome=Outcome.RESOLVED)


def test_professional_closes_over_http(client):
    case = CaseFactory(with_volunteer=True)
    client.login(username=case.responsible.username, password=PASSWORD)

    response = client.post(reverse("cases:close", args=[case.pk]), {"outcome": Outcome.REFERRED, "closing_note": "x"})

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == CaseStatus.CLOSED


def test_close_form_keeps_what_was_typed_on_error(client):
    case = CaseFactory(active=True)
    client.login(username=case.responsible.username, password=PASSWORD)

    response = client.post(reverse("cases:close", args=[case.pk]), {"outcome": "", "closing_note": "Mijn notitie"})

    assert response.status_code == 200
    assert "Mijn notitie" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACTIVE


@pytest.mark.parametrize("who", ["volunteer", "coordinator"])
def test_volunteer_and_coordinator_get_404_on_close_over_http(client, who):
    case = CaseFactory(with_volunteer=True)
    user = case.volunteer if who == "volunteer" else make_coordinator(case.team)
    client.login(username=user.username, password=PASSWORD)

    get = client.get(reverse("cases:close", args=[case.pk]))
    post = client.post(reverse("cases:close", args=[case.pk]), {"outcome": Outcome.RESOLVED})

    assert get.status_code == 404
    assert post.status_code == 404
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACTIVE


def test_reopen_returns_case_to_active_without_volunteers():
    case = CaseFactory(with_volunteer=True, closed=True)

    reopened = services.case_reopen(actor=case.responsible, case=case)

    assert reopened.status == CaseStatus.ACTIVE
    assert reopened.closed_at is None
    assert not CaseMembership.objects.filter(case=case, role=MembershipRole.VOLUNTEER, ended_at__isnull=True).exists()
