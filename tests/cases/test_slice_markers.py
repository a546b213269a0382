"""No volunteer page ever shows a field outside the slice allow-list (R8).

Every text field outside the allow-list is filled with a unique marker string (and every date
with a unique date); no page a volunteer can reach, nor the 404 page, may contain any of them.
"""

import datetime

import pytest
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.services import system_actor
from base.audit import acting_as
from cases import services
from cases.constants import AgreementKind, ConsentAnswer
from cases.models import Agreement, Case, HomeVisit, JournalEntry, Resident, VolunteerConsent
from cases.slice import CASE_FIELDS, PROPOSAL_FIELDS, RESIDENT_FIELDS
from tests.factories import PASSWORD, CaseFactory, ResidentFactory, VillageFactory, add_journal

ALLOWED = {
    Resident: {name.removeprefix("resident__").split("__")[0] for name in RESIDENT_FIELDS},
    Case: {name.split("__")[0] for name in CASE_FIELDS},
}
PROPOSAL_ALLOWED = {name.removeprefix("case__resident__") for name in PROPOSAL_FIELDS}
MARKER_DATE = datetime.date(1931, 2, 17)


def _fill_forbidden(instance: models.Model, allowed: set[str], markers: list[str]) -> None:
    """Put a unique marker in every text field of ``instance`` that is not allowed."""
    label = type(instance).__name__.lower()
    for field in instance._meta.concrete_fields:
        if field.name in allowed or field.choices or field.primary_key:
            continue
        if isinstance(field, models.EmailField):
            value = f"marker-{label}-{field.name}@example.org"
        elif isinstance(field, models.CharField | models.TextField):
            value = f"MARKER-{label}-{field.name}"[: field.max_length or 200]
        elif isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            setattr(instance, field.name, MARKER_DATE)
            markers.extend(["1931", "17-02", "17 februari", "17 February"])
            continue
        else:
            continue
        setattr(instance, field.name, value)
        markers.append(value)
    with acting_as(system_actor()):
        instance.save()


@pytest.fixture
def world():
    """A case with a volunteer, every forbidden field marked, and a second case they may not see."""
    markers: list[str] = []
    case = CaseFactory(with_volunteer=True)
    _fill_forbidden(case.resident, ALLOWED[Resident], markers)
    _fill_forbidden(Case.objects.get(pk=case.pk), ALLOWED[Case], markers)

    add_journal(case, text="MARKER-journal-professionals-only", shared=False)
    add_journal(case, text="Gedeelde notitie voor de vrijwilliger", shared=True)
    services.consent_record(actor=case.responsible, case=case, answer=ConsentAnswer.YES, note="MARKER-consent-note")
    services.home_visit_log(
        actor=case.responsible,
        case=case,
        visited_on=datetime.date.today(),
        duration_minutes=30,
        summary="MARKER-visit-by-professional",
        note_for_responsible="MARKER-visit-note",
        follow_up_on=timezone.now() + datetime.timedelta(days=2),
    )
    services.agreement_add(
        actor=case.responsible,
        case=case,
        kind=AgreementKind.CARE,
        description="MARKER-agreement-care",
        assignee=case.responsible,
    )
    markers += [
        "MARKER-journal-professionals-only",
        "MARKER-consent-note",
        "MARKER-visit-by-professional",
        "MARKER-visit-note",
        "MARKER-agreement-care",
        case.responsible.email,
    ]

    other = CaseFactory(
        resident=ResidentFactory(village=case.resident.village, first_name="Markerina", last_name="Verborgen"),
        consented=True,
        active=True,
        volunteer_summary="MARKER-other-case-summary",
    )
    markers += ["Markerina", "Verborgen", "MARKER-other-case-summary", other.resident.email]

    # A new, consented case on the volunteer's board: only village, domains, summary may show.
    board_case = CaseFactory(
        resident=ResidentFactory(village=case.resident.village, first_name="Bordina", last_name="Geheimhouder"),
        consented=True,
        volunteer_summary="Zoekt iemand om mee te wandelen",
        request_for_help="MARKER-board-request",
    )
    _fill_forbidden(board_case.resident, set(), markers)
    markers += ["Bordina", "Geheimhouder", "MARKER-board-request"]
    # Their own visit with a follow-up appointment: "My week" on the home page lists it (issue [12]).
    visit = services.home_visit_log(
        actor=case.volunteer,
        case=case,
        visited_on=datetime.date.today(),
        duration_minutes=45,
        summary="Eigen bezoek",
        follow_up_on=timezone.now() + datetime.timedelta(days=1),
    )
    # A case the volunteer is proposed for (R7): only first name, last name and street may show.
    proposed = CaseFactory(
        resident=ResidentFactory(
            village=VillageFactory(team=case.team, name="MARKER-proposal-village"),
            first_name="Voorstella",
            last_name="Straatman",
            street="Kerkepad",
        ),
        with_proposal=True,
        volunteer=case.volunteer,
    )
    _fill_forbidden(proposed.resident, PROPOSAL_ALLOWED, markers)
    _fill_forbidden(Case.objects.get(pk=proposed.pk), set(), markers)
    markers.append("MARKER-proposal-village")
    case.board_case, case.own_visit, case.proposal = board_case, visit, proposed.volunteer_membership
    return case, other, markers


def _volunteer_pages(case, other):
    return [
        reverse("home"),
        reverse("volunteers:my_cases"),
        reverse("volunteers:my_case", args=[case.pk]),
        reverse("volunteers:my_case", args=[other.pk]),
        reverse("volunteers:visit_new", args=[case.pk]),
        reverse("volunteers:visit_edit", args=[case.pk, case.own_visit.pk]),
        reverse("volunteers:board"),
        reverse("volunteers:board_answer", args=[case.board_case.pk]),
        reverse("volunteers:proposal", args=[case.proposal.pk]),
        reverse("volunteers:my_case", args=[case.proposal.case_id]),
        reverse("volunteers:alarm") + f"?casus={case.pk}",
        reverse("volunteers:hours"),
        reverse("cases:detail", args=[case.pk]),
        reverse("cases:close", args=[case.pk]),
        reverse("cases:list"),
        reverse("meetings:current"),
        "/does-not-exist/",
    ]


def test_no_volunteer_form_error_page_contains_a_marker(client, world):
    case, _other, markers = world
    client.login(username=case.volunteer.username, password=PASSWORD)

    responses = [
        client.post(reverse("volunteers:visit_new", args=[case.pk]), {"summary": "x"}),
        client.post(reverse("volunteers:board_answer", args=[case.board_case.pk]), {"answer": "declined"}),
        client.post(reverse("volunteers:proposal_decline", args=[case.proposal.pk]), {"note": "x"}),
    ]

    for response in responses:
        body = response.content.decode()
        assert response.status_code == 200
        assert not [marker for marker in markers if marker in body]


def test_board_shows_the_summary_but_not_the_resident(client, world):
    case, _other, _markers = world
    client.login(username=case.volunteer.username, password=PASSWORD)

    body = client.get(reverse("volunteers:board")).content.decode()

    assert "Zoekt iemand om mee te wandelen" in body


def test_markers_are_really_in_the_database(world):
    case, _other, markers = world

    resident = Resident.objects.get(pk=case.resident.pk)

    assert resident.notes.startswith("MARKER-")
    assert resident.date_of_birth == MARKER_DATE
    assert Case.objects.get(pk=case.pk).request_for_help.startswith("MARKER-")
    assert JournalEntry.objects.filter(text="MARKER-journal-professionals-only").exists()
    assert VolunteerConsent.objects.filter(note="MARKER-consent-note").exists()
    assert HomeVisit.objects.filter(note_for_responsible="MARKER-visit-note").exists()
    assert Agreement.objects.filter(description="MARKER-agreement-care").exists()
    assert len(markers) > 12


def test_no_volunteer_page_contains_a_marker(client, world):
    case, other, markers = world
    client.login(username=case.volunteer.username, password=PASSWORD)

    for url in _volunteer_pages(case, other):
        body = client.get(url).content.decode()
        leaked = [marker for marker in markers if marker in body]
        assert not leaked, f"{url} shows {leaked}"


def test_the_slice_page_does_show_the_allowed_fields(client, world):
    case, _other, _markers = world
    client.login(username=case.volunteer.username, password=PASSWORD)

    body = client.get(reverse("volunteers:my_case", args=[case.pk])).content.decode()

    assert escape(case.resident.first_name) in body
    assert case.resident.street in body
    assert escape(case.responsible.first_name) in body
    assert "Gedeelde notitie voor de vrijwilliger" in body


def test_the_proposal_shows_first_name_last_name_and_street(client, world):
    case, _other, _markers = world
    client.login(username=case.volunteer.username, password=PASSWORD)

    for url in (reverse("volunteers:my_cases"), reverse("volunteers:proposal", args=[case.proposal.pk])):
        body = client.get(url).content.decode()
        assert "Voorstella" in body and "Straatman" in body and "Kerkepad" in body, url


def test_volunteer_templates_receive_no_model_instances(client, world):
    case, _other, _markers = world
    client.login(username=case.volunteer.username, password=PASSWORD)

    for url in (
        reverse("volunteers:my_cases"),
        reverse("volunteers:my_case", args=[case.pk]),
        reverse("volunteers:proposal", args=[case.proposal.pk]),
    ):
        response = client.get(url)
        for context in response.context:
            for key, value in context.flatten().items():
                values = value if isinstance(value, list | tuple) else [value]
                assert not any(isinstance(item, Case | Resident) for item in values), (url, key)


def test_my_week_on_the_home_page_lists_only_the_volunteers_own_follow_up(client, world):
    """The home page is among the volunteer pages above; here: its "My week" is not empty, so
    the check above really covers it, and it holds only their own appointment."""
    case, _other, _markers = world
    client.login(username=case.volunteer.username, password=PASSWORD)

    response = client.get(reverse("home"))

    items = [item for day in response.context["week"].days for item in day.items]
    assert [(item.kind, item.url) for item in items] == [("follow_up", reverse("volunteers:my_case", args=[case.pk]))]
