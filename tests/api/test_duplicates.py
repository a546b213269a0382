"""A resident the online form registers who may be registered already is not turned away: the
case is registered and marked "possible duplicate, check" for the professionals, shown on the
weekly meeting's agenda, in the case list and on the case file, where a professional removes the
mark once checked. The API's answer does not say whether the resident was known."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.test import Client
from django.urls import reverse

from cases import services
from cases.models import Case, LifeDomain
from tests.factories import PASSWORD, CaseFactory, ResidentFactory, VillageFactory


def _known_resident(village):
    return ResidentFactory(
        village=village, first_name="Grietje", last_name="de Vries", date_of_birth=datetime.date(1948, 3, 2)
    )


def test_a_likely_duplicate_is_registered_and_marked(post, payload, village):
    known = _known_resident(village)

    response = post(payload())

    assert response.status_code == 201
    case = Case.objects.exclude(resident=known).get()
    assert case.possible_duplicate is True
    assert case.resident_id != known.pk
    assert set(response.json()) == {"id", "reference", "url"}  # nothing about the match


def test_a_resident_elsewhere_in_the_municipality_counts_too(post, payload, village):
    other_village = VillageFactory(name="Heteren", team__municipality=village.municipality)
    _known_resident(other_village)

    post(payload())

    assert Case.objects.get().possible_duplicate is True


def test_a_different_person_is_not_marked(post, payload, village):
    ResidentFactory(village=village, first_name="Anna", last_name="Bakker", date_of_birth=datetime.date(1990, 1, 1))

    post(payload())

    assert Case.objects.get().possible_duplicate is False


def test_the_mark_shows_on_the_agenda_the_case_list_and_the_file(post, payload, village):
    known_case = CaseFactory(resident=_known_resident(village))
    professional = known_case.responsible
    post(payload())
    case = Case.objects.get(possible_duplicate=True)
    browser = Client()
    browser.login(username=professional.username, password=PASSWORD)
    meeting = services.meeting_start(actor=professional, team=village.team, day=datetime.date.today())

    agenda = browser.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    case_list = browser.get(reverse("cases:list")).content.decode()
    case_file = browser.get(reverse("cases:detail", args=[case.pk])).content.decode()

    assert agenda.count("Mogelijk dubbel, controleren") == 1 or agenda.count("Possible duplicate, check") == 1
    assert f'id="item-{case.pk}"' in agenda
    assert case_list.count("mogelijk dubbel") + case_list.count("possible duplicate") == 1
    assert 'id="possible-duplicate"' in case_file
    assert case.form_reference in case_file


def test_a_professional_removes_the_mark_once_checked(post, payload, village):
    professional = CaseFactory(resident=_known_resident(village)).responsible
    post(payload())
    case = Case.objects.get(possible_duplicate=True)
    browser = Client()
    browser.login(username=professional.username, password=PASSWORD)

    response = browser.post(reverse("cases:status", args=[case.pk, "duplicate_checked"]))

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.possible_duplicate is False
    assert 'id="possible-duplicate"' not in browser.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_the_audit_entry_of_removing_the_mark_names_the_professional(post, payload, village):
    professional = CaseFactory(resident=_known_resident(village)).responsible
    post(payload())
    case = Case.objects.get(possible_duplicate=True)

    services.case_duplicate_checked(actor=professional, case=case)

    entry = LogEntry.objects.get_for_object(case).order_by("-pk").first()
    assert entry.actor_id == professional.pk
    assert "possible_duplicate" in entry.changes


def test_the_intake_page_still_asks_the_professional_first(village):
    """The page keeps refusing a likely duplicate until the professional chooses (same core)."""
    professional = CaseFactory(resident=_known_resident(village)).responsible

    with pytest.raises(services.PossibleDuplicates):
        services.intake_register(
            actor=professional,
            intake_channel="walk_in",
            domains=LifeDomain.objects.filter(code="money"),
            request_for_help="Hulp",
            resident_fields={
                "first_name": "Grietje",
                "last_name": "de Vries",
                "date_of_birth": datetime.date(1948, 3, 2),
                "village": village,
            },
            check_duplicates=True,
        )
