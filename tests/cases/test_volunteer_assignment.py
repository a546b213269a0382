"""A volunteer joins a case only with the resident's consent (R6) and a valid VOG, and only
once they accepted the team's proposal (R7)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import selectors, services
from cases.constants import ConsentAnswer, MembershipRole
from cases.models import CaseMembership, CaseUserObjectPermission
from cases.permissions import CaseAction, can
from tests.factories import CaseFactory, make_volunteer


@pytest.mark.parametrize("answer", [None, ConsentAnswer.NOT_ASKED, ConsentAnswer.NO])
def test_no_assignment_without_consent(answer):
    case = CaseFactory(active=True, consent=answer)
    volunteer = make_volunteer(case.team)

    with pytest.raises(ValidationError):
        services.volunteer_assign(actor=case.responsible, case=case, volunteer=volunteer)

    assert not CaseMembership.objects.filter(case=case, role=MembershipRole.VOLUNTEER).exists()


def test_no_assignment_after_consent_was_withdrawn():
    case = CaseFactory(with_volunteer=True)
    services.consent_withdraw(actor=case.responsible, case=case)

    with pytest.raises(ValidationError):
        services.volunteer_assign(actor=case.responsible, case=case, volunteer=make_volunteer(case.team))


def test_no_assignment_with_an_expired_or_missing_vog():
    case = CaseFactory(consented=True, active=True)
    expired = make_volunteer(case.team, vog_issued_on=timezone.localdate() - datetime.timedelta(days=4 * 365))
    missing = make_volunteer(case.team)
    missing.volunteer_profile.vog_issued_on = None
    missing.volunteer_profile.save()

    for volunteer in (expired, missing):
        with pytest.raises(ValidationError):
            services.volunteer_assign(actor=case.responsible, case=case, volunteer=volunteer)


def test_volunteer_cannot_assign_themselves():
    case = CaseFactory(consented=True, active=True)
    volunteer = make_volunteer(case.team)

    with pytest.raises(Exception) as raised:
        services.volunteer_assign(actor=volunteer, case=case, volunteer=volunteer)

    assert raised.type.__name__ == "PermissionDenied"


def test_assignment_twice_is_refused():
    case = CaseFactory(with_volunteer=True)

    with pytest.raises(ValidationError):
        services.volunteer_assign(actor=case.responsible, case=case, volunteer=case.volunteer)


def test_assignment_is_a_proposal_without_slice_grants():
    case = CaseFactory(consented=True, active=True)
    volunteer = make_volunteer(case.team)

    membership = services.volunteer_assign(actor=case.responsible, case=case, volunteer=volunteer)

    assert membership.is_proposal and membership.created_by == case.responsible
    assert not CaseUserObjectPermission.objects.filter(content_object=case, user=volunteer).exists()
    assert not can(volunteer, CaseAction.VIEW_SLICE, case)


def test_professionals_are_on_the_case_at_once():
    case = CaseFactory(active=True)

    assert not CaseMembership.objects.filter(case=case, accepted_at__isnull=True).exists()


def test_proposing_twice_is_refused():
    case = CaseFactory(with_proposal=True)

    with pytest.raises(ValidationError):
        services.volunteer_assign(actor=case.responsible, case=case, volunteer=case.volunteer)


def test_no_agreement_for_a_proposed_volunteer_who_has_not_accepted():
    case = CaseFactory(with_proposal=True)

    with pytest.raises(ValidationError):
        services.agreement_add(
            actor=case.responsible, case=case, kind="administration", description="Post", assignee=case.volunteer
        )

    assert case.volunteer not in selectors.case_people(case)


def test_care_agreement_never_goes_to_volunteer_staff():
    case = CaseFactory(with_volunteer=True)

    for kind in ("care", "medical"):
        with pytest.raises(ValidationError):
            services.agreement_add(
                actor=case.responsible, case=case, kind=kind, description="Wondverzorging", assignee=case.volunteer
            )


def test_consent_history_is_kept():
    case = CaseFactory(with_volunteer=True)

    services.consent_withdraw(actor=case.responsible, case=case)
    services.consent_record(actor=case.responsible, case=case, answer=ConsentAnswer.YES)

    answers = list(case.consents.order_by("recorded_at", "pk").values_list("answer", "withdrawn_at"))
    assert [answer for answer, _ in answers] == ["not_asked", "yes", "yes"]
    assert answers[1][1] is not None and answers[2][1] is None
