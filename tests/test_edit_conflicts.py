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

pytestmark = pytest.mark.both_databases  # and on SQLite: scripts/run-tests


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
def test_a_double_tap_saves_once_and_answers_like_the_first(client, record):
    """The second send of the same form carries the version the first one raised: it finds the
    record as it says already, so there is nothing to overwrite -- no conflict page with itself."""
    edit = EDITABLE[record]()
    client.login(username=edit.user.username, password=PASSWORD)
    seen = _version(client.get(edit.url).content.decode())
    sent = {**edit.data("Eenmaal opgeslagen"), "version": seen}

    first = client.post(edit.url, sent)
    second = client.post(edit.url, sent)

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert edit.saved() == "Eenmaal opgeslagen"
    assert int(_version(client.get(edit.url).content.decode())) == int(seen) + 1


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


# --- the same in the admin (base.admin.VersionedAdminForm) -------------------------------------


@dataclass
class AdminEditable:
    url: str
    data: Callable[[str], dict]  # the typed text -> the whole admin form (without the version)
    version_field: str  # the version's name on the page (an inline row has a prefix)
    saved: Callable[[], str]


def _retention_rule():
    from cases.models import RetentionRule

    rule = RetentionRule.objects.create(
        municipality=CaseFactory().team.municipality, legal_basis="Wmo", years=15, is_default=True
    )
    return AdminEditable(
        reverse("admin:cases_retentionrule_change", args=[rule.pk]),
        lambda text: {"municipality": rule.municipality_id, "legal_basis": text, "years": "15", "is_default": "on"},
        "version",
        lambda: RetentionRule.objects.get(pk=rule.pk).legal_basis,
    )


def _allowance_arrangement():
    from volunteers.models import AllowanceArrangement

    arrangement = AllowanceArrangement.objects.create(
        municipality=CaseFactory().team.municipality, name="Per uur", kind="per_hour", amount="3.00"
    )
    return AdminEditable(
        reverse("admin:volunteers_allowancearrangement_change", args=[arrangement.pk]),
        lambda text: {"municipality": arrangement.municipality_id, "name": text, "kind": "per_hour", "amount": "3.00"},
        "version",
        lambda: AllowanceArrangement.objects.get(pk=arrangement.pk).name,
    )


def _roster_slot():
    import datetime

    from volunteers.models import Location, RosterSlot

    location = Location.objects.create(team=CaseFactory().team, name="Dorpshuis", address="Plein 1")
    slot = RosterSlot.objects.create(
        location=location, weekday=0, start_time=datetime.time(10), end_time=datetime.time(12)
    )

    def data(text):  # the slot's times are the "text" here: the other administrator moves the hour
        hour = {"Tekst van de ander": "13:00", "Mijn eigen tekst": "14:00"}[text]
        return {
            "team": location.team_id,
            "name": "Dorpshuis",
            "address": "Plein 1",
            "slots-TOTAL_FORMS": "1",
            "slots-INITIAL_FORMS": "1",
            "slots-0-id": slot.pk,
            "slots-0-location": location.pk,
            "slots-0-weekday": "0",
            "slots-0-start_time": "10:00",
            "slots-0-end_time": hour,
            "slots-0-volunteers_needed": "1",
            "slots-0-valid_from": slot.valid_from.isoformat(),
        }

    return AdminEditable(
        reverse("admin:volunteers_location_change", args=[location.pk]),
        data,
        "slots-0-version",
        lambda: {"13:00": "Tekst van de ander", "14:00": "Mijn eigen tekst"}.get(
            f"{RosterSlot.objects.get(pk=slot.pk).end_time:%H:%M}", "?"
        ),
    )


ADMIN_EDITABLE = {
    "retention rule": _retention_rule,
    "allowance arrangement": _allowance_arrangement,
    "roster slot": _roster_slot,
}


def _admin_version(page: str, name: str) -> str:
    return re.search(rf'name="{re.escape(name)}" value="(\d+)"', page).group(1)


@pytest.mark.parametrize("record", list(ADMIN_EDITABLE))
def test_two_administrators_saving_at_once_meet_the_conflict_in_the_admin(client, record):
    from django.test import Client

    from tests.factories import make_administrator

    edit = ADMIN_EDITABLE[record]()
    client.login(username=make_administrator().username, password=PASSWORD)
    other = Client()
    other.login(username=make_administrator().username, password=PASSWORD)
    seen = _admin_version(client.get(edit.url).content.decode(), edit.version_field)
    theirs_seen = _admin_version(other.get(edit.url).content.decode(), edit.version_field)
    assert other.post(edit.url, {**edit.data("Tekst van de ander"), edit.version_field: theirs_seen}).status_code == 302

    conflict = client.post(edit.url, {**edit.data("Mijn eigen tekst"), edit.version_field: seen})

    page = conflict.content.decode()
    assert conflict.status_code == 200
    assert "Iemand anders heeft dit opgeslagen terwijl u aan het bewerken was" in page  # on the form
    if record != "roster slot":  # field by field: theirs beside what was typed (a time for the slot)
        assert escape("Tekst van de ander") in page.split('class="errornote"')[1]
    assert edit.saved() == "Tekst van de ander"  # nothing overwritten
    again = client.post(
        edit.url, {**edit.data("Mijn eigen tekst"), edit.version_field: _admin_version(page, edit.version_field)}
    )
    assert again.status_code == 302, again.content.decode()[:3000]
    assert edit.saved() == "Mijn eigen tekst"


def test_two_coordinators_swapping_one_shift_at_once_never_silently_overwrite(client):
    import datetime

    from tests.factories import make_volunteer
    from volunteers.models import Location, RosterSlot, Shift

    case = CaseFactory(with_volunteer=True)
    coordinator = make_coordinator(case.team)
    first, second = make_volunteer(case.team), make_volunteer(case.team)
    day = timezone.localdate() + datetime.timedelta(days=7)
    location = Location.objects.create(team=case.team, name="Dorpshuis")
    slot = RosterSlot.objects.create(
        location=location,
        weekday=day.weekday(),
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        valid_from=day - datetime.timedelta(days=30),
    )
    shift = volunteer_services.shift_assign(actor=coordinator, slot=slot, date=day, person=case.volunteer)
    client.login(username=coordinator.username, password=PASSWORD)
    url = reverse("coordination:shift_swap", args=[shift.pk])

    client.post(url, {"person": first.pk, "version": shift.version})
    answer = client.post(
        url, {"person": second.pk, "version": shift.version}, follow=True
    )  # the same page, seen before

    assert Shift.objects.get(pk=shift.pk).person == first  # the first swap holds
    assert escape(first.display_name) in answer.content.decode()  # the message says who is on duty now
    client.post(url, {"person": second.pk, "version": Shift.objects.get(pk=shift.pk).version})
    assert Shift.objects.get(pk=shift.pk).person == second  # after reading it, the swap goes through
