"""The open-questions board (R5, R7), the alarm bell (R11) and my hours."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import selectors, services
from cases.constants import ConsentAnswer
from cases.models import AgendaReason, Alarm, CaseInterest, InterestAnswer
from tests.factories import PASSWORD, CaseFactory, ResidentFactory, VillageFactory, make_professional, make_volunteer
from volunteers.matching import volunteer_suggestions
from volunteers.selectors import my_hours


@pytest.fixture
def team():
    village = VillageFactory(name="Andelst")
    professional = make_professional(village.team, email="sanne@example.org")
    volunteer = make_volunteer(village.team)
    volunteer.volunteer_profile.supervisor = professional
    volunteer.volunteer_profile.save()
    return {"village": village, "professional": professional, "volunteer": volunteer}


def _new_case(team, **kwargs):
    return CaseFactory(resident=ResidentFactory(village=team["village"]), responsible=team["professional"], **kwargs)


def test_board_shows_consented_new_cases_of_my_team_only(client, team):
    consented = _new_case(team, consent=ConsentAnswer.YES, volunteer_summary="Zoekt een wandelmaatje")
    refused = _new_case(team, consent=ConsentAnswer.NO, volunteer_summary="Niet tonen A")
    elsewhere = CaseFactory(consented=True, volunteer_summary="Niet tonen B")
    running = _new_case(team, consented=True, active=True, volunteer_summary="Niet tonen C")
    client.login(username=team["volunteer"].username, password=PASSWORD)

    body = client.get(reverse("volunteers:board")).content.decode()

    assert "Zoekt een wandelmaatje" in body and "Andelst" in body
    for hidden in ("Niet tonen A", "Niet tonen B", "Niet tonen C"):
        assert hidden not in body
    assert consented.resident.last_name not in body
    assert consented.resident.street not in body
    assert refused.pk and elsewhere.pk and running.pk


def test_decline_needs_a_reason_and_keeps_the_volunteer_out_of_suggestions(client, team):
    case = _new_case(team, consent=ConsentAnswer.YES)
    client.login(username=team["volunteer"].username, password=PASSWORD)

    without = client.post(reverse("volunteers:board_answer", args=[case.pk]), {"answer": "declined", "note": "x"})
    client.post(
        reverse("volunteers:board_answer", args=[case.pk]), {"answer": "declined", "reason": "outside_expertise"}
    )

    assert without.status_code == 200 and "x" in without.content.decode()
    assert CaseInterest.objects.get().reason == "outside_expertise"
    assert team["volunteer"].pk not in [s.user_id for s in volunteer_suggestions(case)]


def test_the_board_does_not_offer_i_know_this_resident_because_it_hides_who_it_is(client, team):
    """R7: knowing the resident is a reason for a proposal, which shows the name; the board
    does not say who the resident is, so the form and the service refuse it there."""
    case = _new_case(team, consent=ConsentAnswer.YES)
    client.login(username=team["volunteer"].username, password=PASSWORD)
    url = reverse("volunteers:board_answer", args=[case.pk])

    form = client.get(url).content.decode()
    refused = client.post(url, {"answer": "declined", "reason": "knows_resident"})

    assert 'value="knows_resident"' not in form and 'value="outside_expertise"' in form
    assert refused.status_code == 200
    assert not CaseInterest.objects.exists()
    with pytest.raises(ValidationError):
        services.interest_record(actor=team["volunteer"], case=case, answer="declined", reason="knows_resident")


def test_interest_lifts_the_volunteer_in_the_suggestions(client, team):
    case = _new_case(team, consent=ConsentAnswer.YES)
    make_volunteer(team["village"].team, first_name="Aaaa")
    client.login(username=team["volunteer"].username, password=PASSWORD)

    client.post(reverse("volunteers:board_answer", args=[case.pk]), {"answer": "interested"})

    assert volunteer_suggestions(case)[0].user_id == team["volunteer"].pk
    assert CaseInterest.objects.get().answer == InterestAnswer.INTERESTED


def test_decline_is_shown_to_professionals_only(client, team):
    case = _new_case(team, consent=ConsentAnswer.YES)
    services.interest_record(actor=team["volunteer"], case=case, answer="declined", reason="outside_expertise")
    other_volunteer = make_volunteer(team["village"].team)
    client.login(username=other_volunteer.username, password=PASSWORD)

    body = client.get(reverse("volunteers:board")).content.decode()

    assert team["volunteer"].last_name not in body


def test_board_answer_for_a_case_not_on_my_board_is_404(client, team):
    case = CaseFactory(consented=True)
    client.login(username=team["volunteer"].username, password=PASSWORD)

    assert client.get(reverse("volunteers:board_answer", args=[case.pk])).status_code == 404


def test_alarm_on_a_case_reaches_the_supervisor_and_the_agenda(client, team, django_capture_on_commit_callbacks):
    case = _new_case(team, with_volunteer=True, volunteer=team["volunteer"])
    client.login(username=team["volunteer"].username, password=PASSWORD)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("volunteers:alarm"), {"casus": case.pk, "note": "Ik slaap er slecht van"})

    assert response.status_code == 302
    assert Alarm.objects.get().case_id == case.pk
    assert mail.outbox and "sanne@example.org" in mail.outbox[0].to
    assert "Ik slaap er slecht van" not in mail.outbox[0].body  # no content by e-mail
    meeting = services.meeting_start(actor=team["professional"], team=team["village"].team)
    items = {i.case.pk: i for i in selectors.meeting_agenda(user=team["professional"], meeting=meeting).items}
    assert AgendaReason.ALARM in items[case.pk].reasons
    home = client.__class__()
    home.login(username=team["professional"].username, password=PASSWORD)
    assert "Ik slaap er slecht van" in home.get(reverse("home")).content.decode()


def test_general_alarm_without_a_case(client, team):
    client.login(username=team["volunteer"].username, password=PASSWORD)

    client.post(reverse("volunteers:alarm"), {"note": ""})

    assert Alarm.objects.get().case is None


def test_alarm_on_a_case_i_may_not_see_is_404(client, team):
    case = CaseFactory(active=True)
    client.login(username=team["volunteer"].username, password=PASSWORD)

    assert client.post(reverse("volunteers:alarm"), {"casus": case.pk}).status_code == 404
    assert not Alarm.objects.exists()


def test_professional_marks_the_alarm_followed_up(client, team):
    alarm = services.alarm_raise(actor=team["volunteer"], note="")
    client.login(username=team["professional"].username, password=PASSWORD)

    client.post(reverse("cases:alarm_resolve", args=[alarm.pk]))

    alarm.refresh_from_db()
    assert alarm.resolved_by == team["professional"]


def test_my_hours_counts_visits_per_week_against_agreed_hours(team):
    case = _new_case(team, with_volunteer=True, volunteer=team["volunteer"])
    today = timezone.localdate()
    services.home_visit_log(actor=team["volunteer"], case=case, visited_on=today, duration_minutes=90)
    services.home_visit_log(actor=team["volunteer"], case=case, visited_on=today, duration_minutes=30)
    services.home_visit_log(
        actor=team["volunteer"], case=case, visited_on=today - datetime.timedelta(weeks=1), duration_minutes=60
    )

    weeks = my_hours(team["volunteer"])

    assert weeks[0].visit_hours == 2.0
    assert weeks[1].visit_hours == 1.0
    assert weeks[0].agreed_hours == 8.0
    assert len(weeks) == 8


# --- defects found in review (issue [9]): the board and alarms through their policies ---------


def test_a_restricted_resident_is_not_on_the_board_and_cannot_be_answered(client, team):
    from privacy.services import resident_restrict
    from tests.factories import make_privacy_officer

    case = _new_case(team, consent=ConsentAnswer.YES, volunteer_summary="Beperkte verwerking")
    resident_restrict(actor=make_privacy_officer(), resident=case.resident, reason="art. 18")
    client.login(username=team["volunteer"].username, password=PASSWORD)

    board = client.get(reverse("volunteers:board")).content.decode()
    answer = client.post(reverse("volunteers:board_answer", args=[case.pk]), {"answer": "interested"})

    assert "Beperkte verwerking" not in board
    assert answer.status_code == 404
    assert not CaseInterest.objects.filter(case=case).exists()


def test_resolving_an_alarm_is_for_those_who_see_it_only(client, team):
    case = _new_case(team, with_volunteer=True)
    alarm = services.alarm_raise(actor=case.volunteer, case=case, note="Het wordt te zwaar")
    colleague = make_professional(case.team)  # of the team, neither supervisor nor responsible
    client.login(username=colleague.username, password=PASSWORD)

    home = client.get(reverse("home")).content.decode()
    response = client.post(reverse("cases:alarm_resolve", args=[alarm.pk]))

    assert "Het wordt te zwaar" not in home
    assert response.status_code == 404
    alarm.refresh_from_db()
    assert alarm.resolved_at is None


def test_the_responsible_professional_sees_and_resolves_the_alarm(client, team):
    case = _new_case(team, with_volunteer=True)
    alarm = services.alarm_raise(actor=case.volunteer, case=case, note="Het wordt te zwaar")
    client.login(username=team["professional"].username, password=PASSWORD)

    home = client.get(reverse("home")).content.decode()
    response = client.post(reverse("cases:alarm_resolve", args=[alarm.pk]))

    assert "Het wordt te zwaar" in home
    assert response.status_code == 302
    alarm.refresh_from_db()
    assert alarm.resolved_by == team["professional"]


def test_the_service_refuses_an_alarm_resolution_by_a_colleague_who_does_not_follow_it_up(team):
    from django.core.exceptions import PermissionDenied

    case = _new_case(team, with_volunteer=True)
    alarm = services.alarm_raise(actor=case.volunteer, case=case, note="Het wordt te zwaar")

    with pytest.raises(PermissionDenied):
        services.alarm_resolve(actor=make_professional(case.team), alarm=alarm)

    alarm.refresh_from_db()
    assert alarm.resolved_at is None
