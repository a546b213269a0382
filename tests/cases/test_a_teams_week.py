"""What a new user stumbled on in a team's week (issue [12]): each defect with the test that
failed before its fix."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import selectors, services
from cases.constants import ConsentAnswer, MembershipRole
from cases.models import Case, CaseMembership, LifeDomain, Resident, VolunteerConsent
from tests.factories import PASSWORD, CaseFactory, intake_post, make_coordinator
from volunteers.selectors import coordinated_volunteers


def _intake(client, professional, **resident):
    client.login(username=professional.username, password=PASSWORD)
    return client.post(reverse("cases:intake"), intake_post(professional.village, **resident))


def test_a_date_of_birth_in_the_future_is_refused_at_intake(client, professional):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = _intake(client, professional, date_of_birth=tomorrow.isoformat())

    assert response.status_code == 200
    assert Resident.objects.count() == 0 and Case.objects.count() == 0
    assert 'max="' in response.content.decode()  # the browser's date picker stops at today too


def test_a_date_of_birth_in_the_future_is_refused_when_the_resident_is_corrected():
    case = CaseFactory()
    resident = case.resident

    with pytest.raises(ValidationError) as refused:
        services.resident_update(
            actor=case.responsible,
            case=case,
            expected_version=resident.version,
            date_of_birth=timezone.localdate() + datetime.timedelta(days=400),
        )

    assert "date_of_birth" in refused.value.message_dict
    resident.refresh_from_db()
    assert resident.date_of_birth is None or resident.date_of_birth <= timezone.localdate()


def test_an_intake_records_one_consent_entry_the_answer_given(client, professional):
    _intake(client, professional)

    case = Case.objects.get()
    assert list(VolunteerConsent.objects.filter(case=case).values_list("answer", flat=True)) == [ConsentAnswer.YES]


def test_an_intake_without_asking_records_not_asked_once(professional):
    resident = Resident.objects.create(first_name="A", last_name="B", village=professional.village)

    case = services.intake_register(
        actor=professional,
        resident=resident,
        intake_channel="phone",
        domains=[LifeDomain.objects.get(code="money")],
        request_for_help="Vraag",
    )

    assert list(case.consents.values_list("answer", flat=True)) == [ConsentAnswer.NOT_ASKED]


@pytest.mark.parametrize("how", ["withdraw", "answer_no"])
def test_without_consent_the_volunteer_leaves_the_case(how):
    case = CaseFactory(with_volunteer=True)
    coordinator = make_coordinator(case.team)
    volunteer = case.volunteer
    before = coordinated_volunteers(coordinator).get(user=volunteer).open_assignments

    if how == "withdraw":
        services.consent_withdraw(actor=case.responsible, case=case, note="Wil het niet meer")
    else:
        services.consent_record(actor=case.responsible, case=case, answer=ConsentAnswer.NO)

    membership = CaseMembership.objects.get(case=case, user=volunteer, role=MembershipRole.VOLUNTEER)
    assert membership.ended_at is not None
    assert coordinated_volunteers(coordinator).get(user=volunteer).open_assignments == before - 1
    shown = selectors.case_file(user=case.responsible, case_id=case.pk).memberships
    assert not [m for m in shown if m.user_id == volunteer.pk and m.is_open]


def test_the_alarm_note_is_on_the_agenda_and_in_the_case_file(client):
    case = CaseFactory(with_volunteer=True, active=True)
    services.alarm_raise(actor=case.volunteer, case=case, note="Mevrouw is erg verward sinds gisteren")

    meeting = services.meeting_start(actor=case.responsible, team=case.team)
    [item] = [i for i in selectors.meeting_agenda(user=case.responsible, meeting=meeting).items if i.case.pk == case.pk]
    client.login(username=case.responsible.username, password=PASSWORD)
    agenda = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    file = client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert [alarm.note for alarm in item.alarms] == ["Mevrouw is erg verward sinds gisteren"]
    assert "Mevrouw is erg verward sinds gisteren" in agenda
    assert "Mevrouw is erg verward sinds gisteren" in file
