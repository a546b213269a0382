"""Visits kept on the phone without a connection (issue [15]): the session's draft key, and a
draft sent when the connection returns -- recorded once however often it comes, and refused
without writing anything when the case is no longer the volunteer's."""

import base64
import datetime
import uuid

import pytest
from auditlog.models import LogEntry
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.constants import MembershipRole, Outcome
from cases.models import Case, CaseMembership, HomeVisit
from tests.factories import PASSWORD, CaseFactory
from volunteers.drafts import draft_key

KEY_URL = "/vrijwillig/concepten/sleutel/"  # volunteers:draft_key


def _visit_data(**extra) -> dict:
    return {
        "visited_on": timezone.localdate().isoformat(),
        "start_time": "10:00",
        "duration_minutes": "45",
        "company": "alone",
        "activities": ["conversation"],
        "summary": "Zonder bereik geschreven",
        "note_for_responsible": "",
        "follow_up_on": "",
        "submission_key": str(uuid.uuid4()),
        **extra,
    }


def _send(client, case, data):
    return client.post(reverse("volunteers:visit_send", args=[case.pk]), data)


# --- the key ------------------------------------------------------------------------------------


def test_the_key_stays_the_same_throughout_a_session(client, assigned):
    first = client.get(KEY_URL).json()

    second = client.get(KEY_URL).json()

    assert first["key"] == second["key"] and first["key_id"] == second["key_id"]
    assert len(base64.b64decode(first["key"])) == 32  # AES-256
    assert first["csrf"]


def test_another_login_gets_another_key(assigned):
    phone, laptop = Client(), Client()
    phone.login(username=assigned.volunteer.username, password=PASSWORD)
    laptop.login(username=assigned.volunteer.username, password=PASSWORD)

    keys = {phone.get(KEY_URL).json()["key"], laptop.get(KEY_URL).json()["key"]}

    assert len(keys) == 2


def test_logging_out_and_in_again_makes_the_old_drafts_unreadable(client, assigned):
    before = client.get(KEY_URL).json()
    client.post(reverse("accounts:logout"))
    client.login(username=assigned.volunteer.username, password=PASSWORD)

    after = client.get(KEY_URL).json()

    assert after["key"] != before["key"] and after["key_id"] != before["key_id"]


def test_the_key_is_never_stored_by_the_browser(client, assigned):
    response = client.get(KEY_URL)

    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "application/json"


def test_the_key_depends_on_session_and_person_and_its_id_reveals_nothing():
    key = draft_key(session_key="s" * 32, user_id=7)

    assert draft_key(session_key="s" * 32, user_id=7) == key
    assert draft_key(session_key="s" * 32, user_id=8).key != key.key
    assert draft_key(session_key="t" * 32, user_id=7).key != key.key
    assert key.key_id not in key.key.hex()


def test_only_volunteer_staff_get_a_key(client):
    case = CaseFactory(with_volunteer=True)
    client.login(username=case.responsible.username, password=PASSWORD)

    assert client.get(KEY_URL).status_code == 404


# --- sending a draft ---------------------------------------------------------------------------


def test_a_draft_is_recorded_as_the_volunteers_visit(client, assigned):
    response = _send(client, assigned, _visit_data())

    assert response.status_code == 200
    assert response.json() == {"status": "sent", "url": reverse("volunteers:my_case", args=[assigned.pk])}
    visit = HomeVisit.objects.get()
    assert visit.visitor == assigned.volunteer and visit.summary == "Zonder bereik geschreven"
    assert LogEntry.objects.get_for_object(visit).get().actor == assigned.volunteer


def test_a_draft_sent_twice_records_one_visit_and_answers_alike(client, assigned):
    data = _visit_data()

    first = _send(client, assigned, data)
    second = _send(client, assigned, data)

    assert HomeVisit.objects.count() == 1
    assert first.json() == second.json()


def test_a_draft_and_the_form_with_the_same_key_record_one_visit(client, assigned):
    data = _visit_data()

    client.post(reverse("volunteers:visit_new", args=[assigned.pk]), data)
    response = _send(client, assigned, data)

    assert HomeVisit.objects.count() == 1
    assert response.json()["status"] == "sent"


def test_only_a_send_from_the_open_form_leaves_a_message_for_the_next_page(client, assigned):
    in_background = _send(client, assigned, _visit_data())
    from_the_form = _send(client, assigned, {**_visit_data(), "announce": "1"})

    assert len(list(get_messages(in_background.wsgi_request))) == 0
    assert len(list(get_messages(from_the_form.wsgi_request))) == 1


def test_an_incomplete_draft_is_answered_with_the_forms_errors(client, assigned):
    response = _send(client, assigned, _visit_data(duration_minutes="", summary=""))

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == "invalid" and {"duration_minutes", "summary"} <= set(body["errors"])
    assert not HomeVisit.objects.exists()


def test_an_incomplete_draft_leaves_its_key_free_for_the_corrected_one(client, assigned):
    data = _visit_data()
    _send(client, assigned, {**data, "summary": ""})

    response = _send(client, assigned, data)

    assert response.json()["status"] == "sent" and HomeVisit.objects.count() == 1


def _withdraw_consent(case: Case) -> None:
    services.consent_withdraw(actor=case.responsible, case=case)


def _end_assignment(case: Case) -> None:
    membership = CaseMembership.objects.get(case=case, user=case.volunteer, role=MembershipRole.VOLUNTEER)
    services.membership_end(actor=case.responsible, membership=membership)


def _close(case: Case) -> None:
    services.case_close(actor=case.responsible, case=case, outcome=Outcome.RESOLVED)


def _expire_screening(case: Case) -> None:
    profile = case.volunteer.volunteer_profile
    profile.vog_issued_on = timezone.localdate() - datetime.timedelta(days=3 * 366)
    profile.save()


@pytest.mark.parametrize("change", [_withdraw_consent, _end_assignment, _close, _expire_screening])
def test_a_draft_for_a_case_no_longer_the_volunteers_is_refused_and_writes_nothing(client, assigned, change):
    change(assigned)
    case_before = Case.objects.values().get(pk=assigned.pk)
    entries_before = LogEntry.objects.count()

    response = _send(client, assigned, _visit_data())

    assert response.status_code == 404
    assert response.json()["status"] == "refused" and response.json()["message"]
    assert not HomeVisit.objects.exists()
    assert LogEntry.objects.count() == entries_before
    assert Case.objects.values().get(pk=assigned.pk) == case_before


def test_a_case_that_never_was_the_volunteers_is_refused_alike(client, assigned):
    withdrawn = CaseFactory(with_volunteer=True)
    _withdraw_consent(withdrawn)
    other = CaseFactory()

    answers = [_send(client, case, _visit_data()) for case in (other, withdrawn)]

    assert [answer.status_code for answer in answers] == [404, 404]
    assert answers[0].json() == answers[1].json()
    assert not HomeVisit.objects.exists()


def test_a_draft_recorded_before_access_ended_is_answered_sent_not_refused(client, assigned):
    """Its first answer was lost; meanwhile consent was withdrawn: the phone must not offer to
    send as a note a visit that is already on the case."""
    data = _visit_data()
    first = _send(client, assigned, data)
    _withdraw_consent(assigned)

    again = _send(client, assigned, data)

    assert again.status_code == 200 and again.json() == first.json()
    assert HomeVisit.objects.count() == 1


# --- a correction kept on the phone --------------------------------------------------------------


@pytest.fixture
def my_visit(client, assigned):
    _send(client, assigned, _visit_data())
    return HomeVisit.objects.get()


def _correct(client, visit, data):
    return client.post(reverse("volunteers:visit_correct_send", args=[visit.case_id, visit.pk]), data)


def test_a_correction_from_the_phone_is_saved_once_however_often_it_comes(client, my_visit):
    data = _visit_data(summary="Verbeterd zonder bereik", version=str(my_visit.version))

    first = _correct(client, my_visit, data)
    second = _correct(client, my_visit, data)

    assert first.status_code == second.status_code == 200
    assert (
        first.json()
        == second.json()
        == {"status": "sent", "url": reverse("volunteers:my_case", args=[my_visit.case_id])}
    )
    my_visit.refresh_from_db()
    assert (my_visit.summary, my_visit.version) == ("Verbeterd zonder bereik", 2)


def test_a_correction_of_a_visit_changed_meanwhile_is_a_conflict_and_overwrites_nothing(client, assigned, my_visit):
    data = _visit_data(summary="Mijn verbetering", version=str(my_visit.version))
    services.home_visit_correct(
        actor=assigned.volunteer, visit=my_visit, expected_version=my_visit.version, summary="Van de andere telefoon"
    )

    response = _correct(client, my_visit, data)

    assert response.status_code == 409
    assert response.json()["status"] == "conflict" and response.json()["message"]
    my_visit.refresh_from_db()
    assert my_visit.summary == "Van de andere telefoon"


def test_a_correction_without_its_version_is_invalid(client, my_visit):
    response = _correct(client, my_visit, _visit_data())

    assert response.status_code == 400 and "version" in response.json()["errors"]


@pytest.mark.parametrize("change", [_withdraw_consent, _end_assignment, _close])
def test_a_correction_on_a_case_no_longer_the_volunteers_is_refused(client, assigned, my_visit, change):
    change(assigned)

    response = _correct(client, my_visit, _visit_data(summary="Te laat", version=str(my_visit.version)))

    assert (response.status_code, response.json()["status"]) == (404, "refused")
    my_visit.refresh_from_db()
    assert my_visit.summary == "Zonder bereik geschreven"


def test_someone_elses_visit_cannot_be_corrected_from_the_phone(client, assigned):
    colleague_visit = services.home_visit_log(
        actor=assigned.responsible, case=assigned, visited_on=timezone.localdate(), duration_minutes=30, summary="x"
    )

    response = _correct(client, colleague_visit, _visit_data(version="1"))

    assert response.status_code == 404
    colleague_visit.refresh_from_db()
    assert colleague_visit.summary == "x"


def test_a_double_tap_on_the_correction_form_saves_once_and_shows_no_conflict(client, my_visit):
    url = reverse("volunteers:visit_edit", args=[my_visit.case_id, my_visit.pk])
    data = _visit_data(summary="Eenmaal verbeterd", version=str(my_visit.version))

    first = client.post(url, data)
    second = client.post(url, data)

    assert first.status_code == second.status_code == 302 and first["Location"] == second["Location"]
    my_visit.refresh_from_db()
    assert (my_visit.summary, my_visit.version) == ("Eenmaal verbeterd", 2)
