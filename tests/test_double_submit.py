"""A create form sent twice with its one submission key (a double tap, a retry after a lost
connection, two tabs) records once and answers the repeat exactly like the first: the same
redirect (base.submissions). A new rendering of the form has a new key and records again."""

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import reverse
from django.utils import timezone

from base.models import Submission
from cases import services
from cases.models import (
    Agreement,
    Alarm,
    Case,
    CaseInterest,
    CaseMembership,
    HomeVisit,
    JournalEntry,
    LifeDomain,
    MeetingDecision,
    VolunteerConsent,
)
from privacy.models import DataSubjectRequest
from socialmap import services as map_services
from socialmap.models import CollectiveSignal, Offer, Referral
from tests.factories import (
    PASSWORD,
    CaseFactory,
    ResidentFactory,
    VillageFactory,
    make_coordinator,
    make_privacy_officer,
    make_professional,
    make_volunteer,
)
from volunteers.models import Absence, Equipment, Location, RosterSlot, Shift, VolunteerStaff, WellbeingCheckIn

pytestmark = pytest.mark.both_databases  # and on SQLite: scripts/run-tests


@dataclass
class CreateForm:
    user: object
    url: str
    data: dict
    count: Callable[[], int]
    headers: dict = field(default_factory=dict)  # HX-Request: the form sent from the page by htmx


def _journal():
    case = CaseFactory(active=True)
    return CreateForm(
        case.responsible,
        reverse("cases:journal_add", args=[case.pk]),
        {"text": "Gebeld", "visibility": "professionals"},
        lambda: JournalEntry.objects.filter(case=case).count(),
    )


def _agreement():
    case = CaseFactory(active=True)
    return CreateForm(
        case.responsible,
        reverse("cases:agreement_add", args=[case.pk]),
        {"kind": "administration", "description": "Post ordenen", "assignee": case.responsible.pk},
        lambda: Agreement.objects.filter(case=case).count(),
    )


def _alarm():
    case = CaseFactory(with_volunteer=True)
    return CreateForm(
        case.volunteer,
        reverse("volunteers:alarm"),
        {"casus": case.pk, "note": "Het wordt te zwaar"},
        lambda: Alarm.objects.filter(case=case).count(),
    )


def _checkin():
    case = CaseFactory(with_volunteer=True)
    profile = case.volunteer.volunteer_profile
    return CreateForm(
        make_coordinator(case.team),
        reverse("coordination:checkin_new", args=[profile.pk]),
        {"held_on": timezone.localdate().isoformat(), "load": "3", "how_are_you": "Goed"},
        lambda: WellbeingCheckIn.objects.filter(volunteer=profile).count(),
    )


def _signal():
    case = CaseFactory(with_volunteer=True)
    return CreateForm(
        case.volunteer,
        reverse("socialmap:signals"),
        {"village": case.resident.village_id, "theme": "Ontmoeting", "description": "Geen plek"},
        lambda: CollectiveSignal.objects.count(),
    )


def _referral():
    case = CaseFactory(active=True)
    offer = map_services.offer_save(
        actor=case.responsible, villages=[case.resident.village], name="Koffieochtend", kind="activity"
    )
    return CreateForm(
        case.responsible,
        reverse("socialmap:referral_new", args=[case.pk]),
        {"offer": offer.pk},
        lambda: Referral.objects.filter(case=case).count(),
    )


def _offer():
    case = CaseFactory(active=True)
    return CreateForm(
        case.responsible,
        reverse("socialmap:offer_new"),
        {"name": "Eettafel", "kind": "activity", "villages": [case.resident.village_id]},
        lambda: Offer.objects.filter(name="Eettafel").count(),
    )


def _consent():
    case = CaseFactory(active=True)
    return CreateForm(
        case.responsible,
        reverse("cases:consent_record", args=[case.pk]),
        {"answer": "yes"},
        lambda: VolunteerConsent.objects.filter(case=case).count(),
    )


def _professional_joins():
    case = CaseFactory(active=True)
    colleague = make_professional(case.team)
    return CreateForm(
        case.responsible,
        reverse("cases:people", args=[case.pk, "professional"]),
        {"person": colleague.pk},
        lambda: CaseMembership.objects.filter(case=case, user=colleague).count(),
    )


def _equipment():
    case = CaseFactory(with_volunteer=True)
    profile = case.volunteer.volunteer_profile
    return CreateForm(
        make_coordinator(case.team),
        reverse("coordination:equipment_issue", args=[profile.pk]),
        {"kind": "phone", "identifier": "06-123", "issued_on": timezone.localdate().isoformat()},
        lambda: Equipment.objects.filter(volunteer=profile).count(),
    )


def _absence():
    case = CaseFactory(with_volunteer=True)
    today = timezone.localdate().isoformat()
    return CreateForm(
        make_coordinator(case.team),
        reverse("coordination:absence_new"),
        {"person": case.volunteer.pk, "start_date": today, "end_date": today, "reason": "Vakantie"},
        lambda: Absence.objects.filter(person=case.volunteer).count(),
    )


def _objection():
    case = CaseFactory(active=True)
    return CreateForm(
        make_privacy_officer(),
        reverse("privacy:act", args=[case.resident_id, "object"]),
        {"note": "Bezwaar tegen verwerking"},
        lambda: DataSubjectRequest.objects.filter(resident=case.resident, kind="objection").count(),
    )


def _intake_new_resident():
    village = VillageFactory()
    professional = make_professional(village.team)
    return CreateForm(
        professional,
        reverse("cases:intake"),
        {
            "intake_channel": "phone",
            "domains": [LifeDomain.objects.get(code="money").pk],
            "urgency": "normal",
            "request_for_help": "Hulp bij de post",
            "consent_answer": "not_asked",
            "resident-first_name": "Grietje",
            "resident-last_name": "Jansen",
            "resident-date_of_birth": "1948-03-02",
            "resident-street": "Kerkstraat",
            "resident-house_number": "1",
            "resident-postcode": "6666 AB",
            "resident-village": village.pk,
        },
        lambda: Case.objects.filter(resident__village=village).count(),
    )


def _intake_known_resident():
    resident = ResidentFactory()
    return CreateForm(
        make_professional(resident.village.team),
        reverse("cases:intake"),
        {
            "intake_channel": "walk_in",
            "domains": [LifeDomain.objects.get(code="health").pk],
            "urgency": "normal",
            "request_for_help": "Boodschappen",
            "consent_answer": "yes",
            "resident": resident.pk,
        },
        lambda: Case.objects.filter(resident=resident).count(),
    )


def _home_visit():
    case = CaseFactory(with_volunteer=True)
    return CreateForm(
        case.volunteer,
        reverse("volunteers:visit_new", args=[case.pk]),
        {
            "visited_on": timezone.localdate().isoformat(),
            "start_time": "10:00",
            "duration_minutes": "45",
            "company": "alone",
            "activities": ["conversation"],
            "summary": "Koffie gedronken",
        },
        lambda: HomeVisit.objects.filter(case=case).count(),
    )


def _meeting_decision(*, htmx: bool = False):
    case = CaseFactory()
    professional = make_professional(case.team)
    meeting = services.meeting_start(actor=professional, team=case.team)
    return CreateForm(
        professional,
        reverse("meetings:decide", args=[meeting.pk, case.pk]),
        {"responsible": professional.pk, "next_step": "Huisbezoek plannen", "reasons": ["new"]},
        lambda: MeetingDecision.objects.filter(case=case).count(),
        {"HTTP_HX_REQUEST": "true"} if htmx else {},
    )


def _board_answer():
    case = CaseFactory(consented=True)
    volunteer = make_volunteer(case.team)
    return CreateForm(
        volunteer,
        reverse("volunteers:board_answer", args=[case.pk]),
        {"answer": "interested", "note": "Ik woon om de hoek"},
        lambda: CaseInterest.objects.filter(case=case, volunteer=volunteer).count(),
    )


def _proposal_accepted():
    case = CaseFactory(with_proposal=True)
    return CreateForm(
        case.volunteer,
        reverse("volunteers:proposal_accept", args=[case.volunteer_membership.pk]),
        {},
        lambda: CaseMembership.objects.filter(case=case, accepted_at__isnull=False, user=case.volunteer).count(),
    )


def _proposal_declined():
    case = CaseFactory(with_proposal=True)
    return CreateForm(
        case.volunteer,
        reverse("volunteers:proposal_decline", args=[case.volunteer_membership.pk]),
        {"reason": "knows_resident"},
        lambda: CaseInterest.objects.filter(case=case, volunteer=case.volunteer, answer="declined").count(),
    )


def _volunteer_registration():
    village = VillageFactory()
    logins = (f"nieuw-{n}" for n in range(1000))  # a login name is taken once; each rendering sends a new one
    return CreateForm(
        make_coordinator(village.team),
        reverse("coordination:volunteer_new"),
        {
            "team": village.team.pk,
            "username": lambda: next(logins),
            "first_name": "Nel",
            "last_name": "Nieuw",
            "hours_per_week": "4",
            "village": village.pk,
            "started_on": timezone.localdate().isoformat(),
        },
        lambda: VolunteerStaff.objects.filter(team=village.team).count(),
    )


def _shift_assignment():
    case = CaseFactory(with_volunteer=True)
    location = Location.objects.create(team=case.team, name="Dorpshuis", address="Plein 1")
    monday = (
        timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday()) + datetime.timedelta(weeks=1)
    )
    slot = RosterSlot.objects.create(
        location=location,
        weekday=monday.weekday(),
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        valid_from=monday - datetime.timedelta(weeks=4),
    )
    return CreateForm(
        make_coordinator(case.team),
        reverse("coordination:shift_assign"),
        {"slot": slot.pk, "date": monday.isoformat(), "person": case.volunteer.pk},
        lambda: Shift.objects.filter(slot=slot).count(),
    )


CREATE_FORMS = {
    "intake, new resident": _intake_new_resident,
    "intake, known resident": _intake_known_resident,
    "home visit": _home_visit,
    "meeting decision": _meeting_decision,
    "meeting decision (htmx)": lambda: _meeting_decision(htmx=True),
    "board answer": _board_answer,
    "proposal accepted": _proposal_accepted,
    "proposal declined": _proposal_declined,
    "volunteer registration": _volunteer_registration,
    "shift assignment": _shift_assignment,
    "journal entry": _journal,
    "agreement": _agreement,
    "alarm": _alarm,
    "check-in": _checkin,
    "collective signal": _signal,
    "referral": _referral,
    "offer": _offer,
    "consent answer": _consent,
    "professional joins the case": _professional_joins,
    "equipment on loan": _equipment,
    "absence": _absence,
    "objection (GDPR)": _objection,
}


@pytest.mark.parametrize("form", list(CREATE_FORMS))
def test_a_repeat_records_nothing_and_answers_like_the_first(client, form):
    create = CREATE_FORMS[form]()
    client.login(username=create.user.username, password=PASSWORD)
    before = create.count()
    sent = rendered(create)

    first = client.post(create.url, sent, **create.headers)
    repeat = client.post(create.url, sent, **create.headers)

    if create.headers:  # htmx: the same fragment
        assert first.status_code == 200 and repeat.status_code == 200
        assert repeat.content == first.content
    else:
        assert first.status_code == 302, first.content.decode()[:500]
        assert repeat.status_code == 302 and repeat.url == first.url
    assert create.count() == before + 1


def rendered(create: CreateForm) -> dict:
    """The form as one rendering sends it: its own key (and values that differ per rendering)."""
    data = {name: value() if callable(value) else value for name, value in create.data.items()}
    return {**data, "submission_key": str(uuid.uuid4())}


ONCE_ONLY = {  # whatever the form, these are recorded once: the second rendering is refused or updates
    "professional joins the case",
    "intake, new resident",  # the second rendering warns about the resident the first one made
    "meeting decision",
    "meeting decision (htmx)",
    "board answer",
    "proposal accepted",  # a proposal is answered once: a second rendering finds it answered (404)
    "proposal declined",
    "shift assignment",
}


@pytest.mark.parametrize("form", sorted(ONCE_ONLY))
def test_a_second_rendering_of_a_once_only_form_is_answered_without_an_error(client, form):
    create = CREATE_FORMS[form]()
    client.login(username=create.user.username, password=PASSWORD)
    before = create.count()

    answers = [client.post(create.url, rendered(create), **create.headers) for _rendering in range(2)]

    assert all(answer.status_code < 500 for answer in answers)
    assert create.count() == before + 1


@pytest.mark.parametrize("form", [name for name in CREATE_FORMS if name not in ONCE_ONLY])
def test_a_new_rendering_of_the_form_records_again(client, form):
    create = CREATE_FORMS[form]()
    client.login(username=create.user.username, password=PASSWORD)
    before = create.count()

    for _rendering in range(2):
        client.post(create.url, rendered(create), **create.headers)

    assert create.count() == before + 2


def test_a_refused_send_can_be_corrected_and_sent_with_the_same_key(client):
    case = CaseFactory(active=True)
    client.login(username=case.responsible.username, password=PASSWORD)
    key = str(uuid.uuid4())
    url = reverse("cases:agreement_add", args=[case.pk])

    client.post(url, {"kind": "care", "description": "Wondzorg", "assignee": 0, "submission_key": key})
    client.post(url, {"kind": "administration", "description": "Post", "assignee": case.responsible.pk,
                      "submission_key": key})  # fmt: skip

    assert Agreement.objects.filter(case=case).count() == 1
    assert Submission.objects.filter(key=key).exists()


def test_a_key_is_per_person(client):
    case = CaseFactory(active=True)
    colleague_case = CaseFactory(active=True)
    key = str(uuid.uuid4())
    client.login(username=colleague_case.responsible.username, password=PASSWORD)
    client.post(
        reverse("cases:journal_add", args=[colleague_case.pk]),
        {"text": "x", "visibility": "professionals", "submission_key": key},
    )
    client.login(username=case.responsible.username, password=PASSWORD)

    response = client.post(
        reverse("cases:journal_add", args=[case.pk]),
        {"text": "y", "visibility": "professionals", "submission_key": key},
    )

    assert response.url.startswith(reverse("cases:detail", args=[case.pk]))
    assert JournalEntry.objects.filter(case=case).count() == 1


def test_old_keys_are_forgotten_by_the_daily_purge(client):
    import datetime

    from django.core.management import call_command

    form = _journal()
    client.login(username=form.user.username, password=PASSWORD)
    client.post(form.url, {**form.data, "submission_key": str(uuid.uuid4())})
    Submission.objects.update(created_at=timezone.now() - datetime.timedelta(days=3))

    call_command("purge_submissions")

    assert not Submission.objects.exists()
