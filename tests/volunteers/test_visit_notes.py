"""A visit the server refused, sent as a note (issue [15]): the volunteer's access to the case
ended while the visit waited on their phone. The note reaches the supervising and the
responsible professional -- as far as they may read the file -- never the case file itself,
until a professional adds it as the volunteer's visit or sets it aside (its text deleted)."""

import datetime
import uuid

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.constants import MembershipRole
from cases.models import Case, CaseMembership, HomeVisit, Resident, VisitNote, VisitNoteOutcome
from cases.permissions import sync_case_permissions
from cases.policies import visit_notes
from tests.factories import (
    PASSWORD,
    CaseFactory,
    TeamFactory,
    VillageFactory,
    make_coordinator,
    make_professional,
    make_volunteer,
)

SUMMARY = "Mevrouw was blij met de boodschappen."


def _visit(**extra) -> dict:
    return {
        "visited_on": timezone.localdate(),
        "duration_minutes": 50,
        "company": "alone",
        "activities": ["conversation"],
        "summary": SUMMARY,
        "note_for_responsible": "Ze slaapt slecht.",
        **extra,
    }


def _posted(**extra) -> dict:
    data = {**_visit(), "submission_key": str(uuid.uuid4()), **extra}
    data["visited_on"] = data["visited_on"].isoformat()
    return data


@pytest.fixture
def ended(django_capture_on_commit_callbacks):
    """A case whose volunteer's access ended (consent withdrawn); the volunteer has a supervisor."""
    case = CaseFactory(with_volunteer=True)
    supervisor = make_professional(case.team, email="supervisor@example.org")
    profile = case.volunteer.volunteer_profile
    profile.supervisor = supervisor
    profile.save()
    vars(case.volunteer).pop("_wijkteam_volunteer_profile", None)  # read afresh, as on the next request
    case.responsible.email = "responsible@example.org"
    case.responsible.save()
    services.consent_withdraw(actor=case.responsible, case=case)
    case.supervisor = supervisor
    return case


def _restrict(case) -> None:
    """Art. 18: the resident restricted processing; the file is read-only."""
    Resident.objects.filter(pk=case.resident_id).update(restricted_at=timezone.now())
    sync_case_permissions(Case.objects.get(pk=case.pk))


def _note(case, **extra) -> VisitNote:
    return services.visit_note_send(actor=case.volunteer, case=case, **_visit(**extra))


# --- sending ------------------------------------------------------------------------------------


def test_a_note_reaches_the_professionals_and_writes_nothing_on_the_case(ended, django_capture_on_commit_callbacks):
    case_before = Case.objects.values().get(pk=ended.pk)

    with django_capture_on_commit_callbacks(execute=True):
        note = _note(ended)

    assert note.volunteer == ended.volunteer and note.summary == SUMMARY and note.handled_at is None
    assert not HomeVisit.objects.exists()
    assert Case.objects.values().get(pk=ended.pk) == case_before
    [message] = mail.outbox
    assert set(message.to) == {"supervisor@example.org", "responsible@example.org"}
    assert SUMMARY not in message.body and "slaapt" not in message.body and ended.resident.last_name not in message.body
    assert reverse("cases:visit_note", args=[note.pk]) in message.body


def test_the_audit_log_says_who_sent_it_but_keeps_no_text(ended):
    note = _note(ended)

    entry = LogEntry.objects.get_for_object(note).get()
    assert entry.actor == ended.volunteer
    assert SUMMARY not in str(entry.changes) and "slaapt" not in str(entry.changes)


def test_a_note_on_a_case_the_volunteer_still_works_on_is_allowed_too():
    case = CaseFactory(with_volunteer=True)

    assert _note(case).case == case


def test_a_note_after_the_assignment_ended_is_allowed():
    case = CaseFactory(with_volunteer=True)
    membership = CaseMembership.objects.get(case=case, user=case.volunteer, role=MembershipRole.VOLUNTEER)
    services.membership_end(actor=case.responsible, membership=membership)

    assert _note(case).case == case


def test_no_note_on_a_case_the_volunteer_never_worked_on(ended):
    stranger = CaseFactory()
    colleague = make_volunteer(ended.team)

    with pytest.raises(PermissionDenied):
        services.visit_note_send(actor=ended.volunteer, case=stranger, **_visit())
    with pytest.raises(PermissionDenied):
        services.visit_note_send(actor=colleague, case=ended, **_visit())
    with pytest.raises(PermissionDenied):  # a professional has the case file itself
        services.visit_note_send(actor=ended.responsible, case=ended, **_visit())
    assert not VisitNote.objects.exists()


def test_a_note_keeps_the_visit_forms_rules(ended):
    with pytest.raises(ValidationError):
        _note(ended, visited_on=timezone.localdate() + datetime.timedelta(days=1))
    assert not VisitNote.objects.exists()


# --- who reads and decides -----------------------------------------------------------------------


def test_the_supervisor_and_the_responsible_professional_read_it_nobody_else(ended):
    note = _note(ended)
    others = [
        make_professional(ended.team),  # a colleague of the team, neither
        make_professional(TeamFactory(municipality=ended.team.municipality)),
        make_coordinator(ended.team),
        ended.volunteer,
    ]

    assert visit_notes.can(ended.supervisor, visit_notes.Action.DECIDE, note)
    assert visit_notes.can(ended.responsible, visit_notes.Action.DECIDE, note)
    assert [visit_notes.can(person, visit_notes.Action.DECIDE, note) for person in others] == [False] * 4
    assert list(visit_notes.open_for(ended.supervisor)) == [note]


def test_a_supervisor_who_may_no_longer_read_the_file_does_not_read_the_note(ended, django_capture_on_commit_callbacks):
    other_team = TeamFactory(municipality=ended.team.municipality)
    VillageFactory(team=other_team, municipality=ended.team.municipality)
    newcomer = make_professional(other_team, email="newcomer@example.org")
    services.case_transfer(actor=ended.responsible, case=ended, team=other_team, responsible=newcomer)

    with django_capture_on_commit_callbacks(execute=True):
        note = _note(ended)

    assert not visit_notes.can(ended.supervisor, visit_notes.Action.DECIDE, note)
    assert visit_notes.can(newcomer, visit_notes.Action.DECIDE, note)
    assert [message.to for message in mail.outbox] == [["newcomer@example.org"]]


def test_added_to_the_file_it_becomes_the_volunteers_visit(ended):
    note = _note(ended)

    note = services.visit_note_handle(actor=ended.supervisor, note=note, outcome=VisitNoteOutcome.LOGGED)

    visit = HomeVisit.objects.get()
    assert (visit.visitor, visit.case, visit.summary, visit.duration_minutes) == (ended.volunteer, ended, SUMMARY, 50)
    assert note.visit == visit and note.outcome == VisitNoteOutcome.LOGGED and note.handled_by == ended.supervisor
    assert LogEntry.objects.get_for_object(visit).get().actor == ended.supervisor


def test_set_aside_its_text_is_deleted(ended):
    note = _note(ended)

    note = services.visit_note_handle(actor=ended.responsible, note=note, outcome=VisitNoteOutcome.SET_ASIDE)

    note.refresh_from_db()
    assert (note.summary, note.note_for_responsible) == ("", "")
    assert note.outcome == VisitNoteOutcome.SET_ASIDE and not HomeVisit.objects.exists()
    assert SUMMARY not in str([entry.changes for entry in LogEntry.objects.get_for_object(note)])


def test_decided_once_a_second_decision_changes_nothing(ended):
    note = _note(ended)
    services.visit_note_handle(actor=ended.supervisor, note=note, outcome=VisitNoteOutcome.LOGGED)

    again = services.visit_note_handle(actor=ended.responsible, note=note, outcome=VisitNoteOutcome.SET_ASIDE)

    assert again.outcome == VisitNoteOutcome.LOGGED and again.handled_by == ended.supervisor
    assert HomeVisit.objects.count() == 1 and again.summary == SUMMARY


def test_a_file_that_may_not_change_takes_no_visit_but_can_be_set_aside(ended):
    note = _note(ended)
    _restrict(ended)

    with pytest.raises(PermissionDenied):
        services.visit_note_handle(actor=ended.responsible, note=note, outcome=VisitNoteOutcome.LOGGED)
    services.visit_note_handle(actor=ended.responsible, note=note, outcome=VisitNoteOutcome.SET_ASIDE)

    assert not HomeVisit.objects.exists()


def test_an_unknown_decision_is_refused(ended):
    note = _note(ended)

    with pytest.raises(ValidationError):
        services.visit_note_handle(actor=ended.responsible, note=note, outcome="forget")


# --- the pages ----------------------------------------------------------------------------------


def _note_send(client, case, data):
    return client.post(reverse("volunteers:visit_note_send", args=[case.pk]), data)


def test_the_phone_sends_a_refused_visit_as_a_note_once(client, ended):
    client.login(username=ended.volunteer.username, password=PASSWORD)
    data = _posted()

    first = _note_send(client, ended, data)
    second = _note_send(client, ended, data)

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() and first.json()["status"] == "noted" and first.json()["message"]
    assert VisitNote.objects.get().summary == SUMMARY
    assert not HomeVisit.objects.exists()


def test_the_phone_is_told_when_the_note_cannot_go(client, ended):
    client.login(username=ended.volunteer.username, password=PASSWORD)

    stranger = _note_send(client, CaseFactory(), _posted())
    absent = client.post(reverse("volunteers:visit_note_send", args=[2**31 - 1]), _posted())
    invalid = _note_send(client, ended, _posted(summary="x" * 5001, duration_minutes=""))

    assert (stranger.status_code, stranger.json()["status"]) == (404, "refused")
    assert absent.json() == stranger.json()
    assert invalid.status_code == 400 and {"summary", "duration_minutes"} <= set(invalid.json()["errors"])
    assert not VisitNote.objects.exists()


def test_the_professional_finds_it_on_the_home_page_reads_it_logged_and_decides(client, ended):
    note = _note(ended)
    client.login(username=ended.supervisor.username, password=PASSWORD)

    home = client.get(reverse("home")).content.decode()
    page = client.get(reverse("cases:visit_note", args=[note.pk]))
    access = LogEntry.objects.get_for_object(ended).filter(action=LogEntry.Action.ACCESS)
    assert access.filter(actor=ended.supervisor, additional_data__view="visit_note").count() == 1
    decided = client.post(
        reverse("cases:visit_note_decide", args=[note.pk]), {"outcome": VisitNoteOutcome.LOGGED}, follow=True
    )
    again = client.post(reverse("cases:visit_note_decide", args=[note.pk]), {"outcome": VisitNoteOutcome.SET_ASIDE})

    assert reverse("cases:visit_note", args=[note.pk]) in home
    assert page.status_code == 200 and SUMMARY in page.content.decode()
    assert decided.status_code == 200 and 'name="outcome"' not in decided.content.decode()
    assert again.status_code == 302 and HomeVisit.objects.count() == 1
    assert reverse("cases:visit_note", args=[note.pk]) not in client.get(reverse("home")).content.decode()


def test_the_note_page_is_absent_for_everyone_else(client, ended):
    note = _note(ended)
    colleague = make_professional(ended.team)

    for person in (colleague, ended.volunteer):
        client.login(username=person.username, password=PASSWORD)
        assert client.get(reverse("cases:visit_note", args=[note.pk])).status_code == 404
        decide = client.post(reverse("cases:visit_note_decide", args=[note.pk]), {"outcome": "set_aside"})
        assert decide.status_code == 404
    assert VisitNote.objects.get().handled_at is None
    assert not LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__view="visit_note").exists()


def test_a_read_only_file_offers_only_setting_aside(client, ended):
    note = _note(ended)
    _restrict(ended)
    client.login(username=ended.responsible.username, password=PASSWORD)

    page = client.get(reverse("cases:visit_note", args=[note.pk])).content.decode()
    forced = client.post(reverse("cases:visit_note_decide", args=[note.pk]), {"outcome": "logged"})

    assert 'value="logged"' not in page and 'value="set_aside"' in page  # the two decisions' forms
    assert forced.status_code == 404 and not HomeVisit.objects.exists()


def test_a_note_does_not_take_the_key_of_the_visit_it_came_from(client, ended):
    """Sent as a note, the visit's own key stays free: the phone is never told "sent" for the
    visit because a note with its key went out."""
    client.login(username=ended.volunteer.username, password=PASSWORD)
    data = _posted()
    _note_send(client, ended, data)

    visit = client.post(reverse("volunteers:visit_send", args=[ended.pk]), data)

    assert (visit.status_code, visit.json()["status"]) == (404, "refused")


def test_every_answer_the_phone_shows_is_in_the_volunteers_language(client, ended):
    """The phone shows the server's texts as they come: each must come from the catalogue."""
    client.login(username=ended.volunteer.username, password=PASSWORD)

    answers = [
        client.post(reverse("volunteers:visit_send", args=[ended.pk]), _posted()).json(),  # refused
        _note_send(client, CaseFactory(), _posted()).json(),  # never worked on it
        _note_send(client, ended, _posted()).json(),  # noted
    ]

    assert [answer["message"].split(":")[0].split(".")[0] for answer in answers] == [
        "Je kunt geen bezoeken meer vastleggen bij deze casus",
        "Je hebt nooit aan deze casus gewerkt, of de casus bestaat niet meer",
        "Verstuurd naar je begeleidende beroepskracht",
    ]
