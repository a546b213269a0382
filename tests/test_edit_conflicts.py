"""Two people editing one record at once, for every edit form: the later save meets a conflict
page that shows what the other person saved beside what was typed (nothing is overwritten,
nothing typed is lost); saving again after reading it deliberately keeps the typed version,
and "take theirs" goes back to the saved one (base.updates.model_update, base.forms.conflict_rows).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases import services as case_services
from cases.models import Case, HomeVisit, Resident
from socialmap import services as map_services
from socialmap.models import Offer
from tests.factories import PASSWORD, CaseFactory, make_coordinator, make_professional
from volunteers import services as volunteer_services
from volunteers.models import VolunteerStaff


@dataclass
class Editable:
    """One edit form: who edits, where, the data they send, and how the other person saves."""

    user: object
    url: str
    data: Callable[[str], dict]  # the typed text -> the whole form
    theirs: Callable[[str], None]  # the other person saves this text, from the version they saw
    saved: Callable[[], str]  # the text as saved now


def _case_edit():
    case = CaseFactory(active=True)
    colleague = make_professional(case.team)

    def data(text):
        return {
            "intake_channel": "phone",
            "domains": [d.pk for d in case.domains.all()],
            "urgency": "normal",
            "request_for_help": text,
            "volunteer_summary": "",
        }

    def theirs(text):
        fresh = Case.objects.get(pk=case.pk)
        case_services.case_update(actor=colleague, case=fresh, expected_version=fresh.version, request_for_help=text)

    return Editable(
        case.responsible,
        reverse("cases:edit", args=[case.pk]),
        data,
        theirs,
        lambda: Case.objects.get(pk=case.pk).request_for_help,
    )


def _resident_edit():
    case = CaseFactory(active=True)
    resident = case.resident
    colleague = make_professional(case.team)
    fields = {name: getattr(resident, name) for name in case_services.RESIDENT_FIELDS}

    def data(text):
        return {
            **{k: ("" if v is None else v) for k, v in fields.items()},
            "village": resident.village_id,
            "date_of_birth": "1950-05-17",
            "notes": text,
        }

    def theirs(text):
        fresh = Resident.objects.get(pk=resident.pk)
        case_services.resident_update(actor=colleague, case=case, expected_version=fresh.version, notes=text)

    return Editable(
        case.responsible,
        reverse("cases:resident_edit", args=[case.pk]),
        data,
        theirs,
        lambda: Resident.objects.get(pk=resident.pk).notes,
    )


def _offer_edit():
    case = CaseFactory(with_volunteer=True)
    village = case.resident.village
    offer = map_services.offer_save(actor=case.volunteer, villages=[village], name="Koffieochtend", kind="activity")

    def data(text):
        return {"name": "Koffieochtend", "kind": "activity", "villages": [village.pk], "description": text}

    def theirs(text):
        fresh = Offer.objects.get(pk=offer.pk)
        map_services.offer_save(
            actor=case.volunteer,
            offer=fresh,
            expected_version=fresh.version,
            villages=[village],
            name="Koffieochtend",
            kind="activity",
            description=text,
        )

    return Editable(
        case.responsible,
        reverse("socialmap:offer", args=[offer.pk]),
        data,
        theirs,
        lambda: Offer.objects.get(pk=offer.pk).description,
    )


def _profile_edit():
    case = CaseFactory(with_volunteer=True)
    profile = case.volunteer.volunteer_profile
    coordinator = make_coordinator(case.team)
    colleague = make_coordinator(case.team)

    def data(text):
        return {
            "interests": text,
            "hours_per_week": "8",
            "started_on": profile.started_on.isoformat(),
            "vog_issued_on": profile.vog_issued_on.isoformat(),
        }

    def theirs(text):
        fresh = VolunteerStaff.objects.get(pk=profile.pk)
        volunteer_services.volunteer_update(
            actor=colleague, profile=fresh, expected_version=fresh.version, interests=text
        )

    return Editable(
        coordinator,
        reverse("coordination:volunteer", args=[profile.pk]),
        data,
        theirs,
        lambda: VolunteerStaff.objects.get(pk=profile.pk).interests,
    )


def _visit_correction():
    case = CaseFactory(with_volunteer=True)
    visit = case_services.home_visit_log(
        actor=case.volunteer, case=case, visited_on=timezone.localdate(), duration_minutes=30, summary="Eerst"
    )

    def data(text):
        return {
            "visited_on": timezone.localdate().isoformat(),
            "duration_minutes": "30",
            "company": "alone",
            "activities": ["conversation"],
            "summary": text,
            "submission_key": "00000000-0000-0000-0000-000000000001",
        }

    def theirs(text):  # the same volunteer, on a second phone
        fresh = HomeVisit.objects.get(pk=visit.pk)
        case_services.home_visit_correct(
            actor=case.volunteer, visit=fresh, expected_version=fresh.version, summary=text
        )

    return Editable(
        case.volunteer,
        reverse("volunteers:visit_edit", args=[case.pk, visit.pk]),
        data,
        theirs,
        lambda: HomeVisit.objects.get(pk=visit.pk).summary,
    )


EDITABLE = {
    "case": _case_edit,
    "resident": _resident_edit,
    "offer": _offer_edit,
    "volunteer profile": _profile_edit,
    "visit correction": _visit_correction,
}


def _version(page: str) -> str:
    return re.search(r'name="version" value="(\d+)"', page).group(1)


@pytest.mark.parametrize("record", list(EDITABLE))
def test_the_later_save_sees_theirs_beside_mine_and_saves_mine_after_review(client, record):
    edit = EDITABLE[record]()
    client.login(username=edit.user.username, password=PASSWORD)
    seen = _version(client.get(edit.url).content.decode())
    edit.theirs("Tekst van de ander")

    conflict = client.post(edit.url, {**edit.data("Mijn eigen tekst"), "version": seen})

    page = conflict.content.decode()
    assert conflict.status_code == 200
    assert escape("Tekst van de ander") in page and escape("Mijn eigen tekst") in page  # side by side
    assert 'id="conflict-h"' in page
    assert edit.saved() == "Tekst van de ander"  # nothing overwritten
    again = client.post(edit.url, {**edit.data("Mijn eigen tekst"), "version": _version(page)})
    assert again.status_code == 302
    assert edit.saved() == "Mijn eigen tekst"


@pytest.mark.parametrize("record", list(EDITABLE))
def test_taking_theirs_shows_the_saved_version(client, record):
    edit = EDITABLE[record]()
    client.login(username=edit.user.username, password=PASSWORD)
    seen = _version(client.get(edit.url).content.decode())
    edit.theirs("Tekst van de ander")
    client.post(edit.url, {**edit.data("Mijn eigen tekst"), "version": seen})

    fresh = client.get(edit.url).content.decode()  # the "take theirs" link

    assert escape("Tekst van de ander") in fresh
    assert _version(fresh) != seen
