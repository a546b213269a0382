"""A create form sent twice with its one submission key (a double tap, a retry after a lost
connection, two tabs) records once and answers the repeat exactly like the first: the same
redirect (base.submissions). A new rendering of the form has a new key and records again."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from base.models import Submission
from cases.models import Agreement, Alarm, CaseMembership, JournalEntry, VolunteerConsent
from privacy.models import DataSubjectRequest
from socialmap import services as map_services
from socialmap.models import CollectiveSignal, Offer, Referral
from tests.factories import PASSWORD, CaseFactory, make_coordinator, make_privacy_officer, make_professional
from volunteers.models import Absence, Equipment, WellbeingCheckIn


@dataclass
class CreateForm:
    user: object
    url: str
    data: dict
    count: Callable[[], int]


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


CREATE_FORMS = {
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
    sent = {**create.data, "submission_key": str(uuid.uuid4())}

    first = client.post(create.url, sent)
    repeat = client.post(create.url, sent)

    assert first.status_code == 302, first.content.decode()[:500]
    assert repeat.status_code == 302 and repeat.url == first.url
    assert create.count() == before + 1


ONCE_ONLY = {"professional joins the case"}  # the same person cannot join twice, whatever the form


@pytest.mark.parametrize("form", [name for name in CREATE_FORMS if name not in ONCE_ONLY])
def test_a_new_rendering_of_the_form_records_again(client, form):
    create = CREATE_FORMS[form]()
    client.login(username=create.user.username, password=PASSWORD)
    before = create.count()

    for _rendering in range(2):
        client.post(create.url, {**create.data, "submission_key": str(uuid.uuid4())})

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
