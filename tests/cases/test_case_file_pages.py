"""The case file page and its actions, over HTTP (thin views calling the services)."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from cases.constants import CaseStatus, ConsentAnswer, MembershipRole
from cases.models import Agreement, Case, CaseMembership, JournalEntry
from tests.factories import PASSWORD, CaseFactory, TeamFactory, VillageFactory, make_professional, make_volunteer


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


def test_case_file_shows_every_section(client):
    case = CaseFactory(with_volunteer=True)
    _login(client, case.responsible)

    body = client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    for heading in (
        "Inwoner",
        "Hulpvraag",
        "Wie werkt er aan deze casus",
        "Toestemming",
        "Journaal",
        "Huisbezoeken",
        "Afspraken",
        "Geschiedenis",
    ):
        assert heading in body, heading
    assert case.request_for_help in body


def test_history_shows_related_changes_and_reads(client):
    case = CaseFactory(with_volunteer=True)
    _login(client, case.responsible)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    history_url = reverse("cases:history", args=[case.pk])
    assert f'hx-get="{history_url}"' in page  # folded away, loaded when opened

    fragment = client.get(history_url, HTTP_HX_REQUEST="true").content.decode()
    page_of_its_own = client.get(history_url).content.decode()  # without JavaScript

    for body in (fragment, page_of_its_own):
        assert "betrokkenheid" in body.lower() or "case membership" in body.lower()
        assert "ingezien" in body  # the reads too (the page view above)
    assert "<html" not in fragment and "<html" in page_of_its_own
    reads = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, object_id=case.pk)
    assert sorted(entry.additional_data["view"] for entry in reads) == ["case_file", "case_history", "case_history"]


@pytest.mark.parametrize("reader", ["other_team", "volunteer"])
def test_history_is_404_where_the_file_is(client, reader):
    case = CaseFactory(with_volunteer=True)
    user = case.volunteer if reader == "volunteer" else make_professional(CaseFactory().team)
    _login(client, user)
    before = LogEntry.objects.count()

    response = client.get(reverse("cases:history", args=[case.pk]), HTTP_HX_REQUEST="true")

    assert response.status_code == 404
    assert LogEntry.objects.count() == before  # a refused read writes no entry


def test_concurrent_edit_shows_conflict_and_keeps_typed_text(client):
    case = CaseFactory()
    colleague = make_professional(case.team)
    _login(client, case.responsible)
    form_version = case.version
    from cases import services

    services.case_update(actor=colleague, case=case, expected_version=form_version, request_for_help="Van collega")
    response = client.post(
        reverse("cases:edit", args=[case.pk]),
        {
            "version": form_version,
            "intake_channel": "phone",
            "domains": [d.pk for d in case.domains.all()],
            "urgency": "normal",
            "request_for_help": "Mijn eigen tekst",
            "volunteer_summary": "",
        },
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Mijn eigen tekst" in body
    assert "iemand anders" in body.lower()
    assert Case.objects.get(pk=case.pk).request_for_help == "Van collega"


def test_journal_entry_by_htmx_returns_the_journal_part(client):
    case = CaseFactory(active=True)
    _login(client, case.responsible)

    response = client.post(
        reverse("cases:journal_add", args=[case.pk]),
        {"text": "Gebeld met inwoner", "visibility": "shared"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert "<html" not in response.content.decode()
    assert "Gebeld met inwoner" in response.content.decode()
    assert JournalEntry.objects.get(case=case).visibility == "shared"


def test_care_agreement_for_a_volunteer_is_refused_with_a_message(client):
    case = CaseFactory(with_volunteer=True)
    _login(client, case.responsible)

    response = client.post(
        reverse("cases:agreement_add", args=[case.pk]),
        {"kind": "medical", "description": "Insuline", "assignee": case.volunteer.pk},
        follow=True,
    )

    assert not Agreement.objects.exists()
    assert "beroepskrachten" in response.content.decode()


def test_consent_withdrawal_over_http_ends_volunteer_access(client):
    case = CaseFactory(with_volunteer=True)
    _login(client, case.responsible)

    client.post(reverse("cases:consent_withdraw", args=[case.pk]))

    volunteer_client = client.__class__()
    volunteer_client.login(username=case.volunteer.username, password=PASSWORD)
    assert volunteer_client.get(reverse("volunteers:my_case", args=[case.pk])).status_code == 404


def test_assign_volunteer_without_consent_is_refused_with_a_message(client):
    case = CaseFactory(active=True, consent=ConsentAnswer.NO)
    volunteer = make_volunteer(case.team)
    _login(client, case.responsible)

    response = client.post(reverse("cases:people", args=[case.pk, "volunteer"]), {"person": volunteer.pk}, follow=True)

    said = [str(message) for message in response.context["messages"]]
    assert any("toestemming" in message and "(R" not in message for message in said), said  # the rule, in words
    assert not CaseMembership.objects.filter(case=case, role=MembershipRole.VOLUNTEER).exists()


def test_hold_resume_and_flag(client):
    case = CaseFactory(active=True)
    _login(client, case.responsible)

    client.post(reverse("cases:status", args=[case.pk, "hold"]))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ON_HOLD
    client.post(reverse("cases:status", args=[case.pk, "resume"]))
    assert Case.objects.get(pk=case.pk).status == CaseStatus.ACTIVE
    client.post(reverse("cases:status", args=[case.pk, "flag"]))
    assert Case.objects.get(pk=case.pk).flagged_for_meeting


def test_unknown_status_action_is_404(client):
    case = CaseFactory(active=True)
    _login(client, case.responsible)

    assert client.post(reverse("cases:status", args=[case.pk, "explode"])).status_code == 404


def test_transfer_moves_the_case_and_the_old_team_loses_it(client):
    case = CaseFactory(with_volunteer=True)
    new_team = TeamFactory(municipality=case.team.municipality)
    VillageFactory(team=new_team)
    new_responsible = make_professional(new_team)
    _login(client, case.responsible)

    response = client.post(
        reverse("cases:transfer", args=[case.pk]), {"team": new_team.pk, "responsible": new_responsible.pk}
    )

    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).team == new_team
    assert client.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    assert not CaseMembership.objects.filter(case=case, user=case.volunteer, ended_at__isnull=True).exists()


def test_resident_edit_keeps_history(client):
    case = CaseFactory()
    _login(client, case.responsible)
    resident = case.resident
    page = client.get(reverse("cases:resident_edit", args=[case.pk])).content.decode()
    seen = page.split('name="version" value="')[1].split('"')[0]

    client.post(
        reverse("cases:resident_edit", args=[case.pk]),
        {
            "version": seen,
            "first_name": resident.first_name,
            "last_name": "Nieuwe-Naam",
            "date_of_birth": "1950-05-17",
            "street": resident.street,
            "house_number": resident.house_number,
            "postcode": resident.postcode,
            "village": resident.village_id,
            "phone": resident.phone,
            "email": resident.email,
            "notes": "",
        },
    )

    resident.refresh_from_db()
    assert resident.last_name == "Nieuwe-Naam"
    update = LogEntry.objects.get_for_object(resident).filter(action=LogEntry.Action.UPDATE).get()
    assert update.actor == case.responsible
    assert update.changes_dict["last_name"][1] == "Nieuwe-Naam"


def test_the_people_picker_accepts_only_the_professionals_it_offers(client):
    """The page offers professionals of the municipality; a POST with anyone else adds no one."""
    from tests.factories import MunicipalityFactory, make_coordinator

    case = CaseFactory(with_volunteer=True)
    elsewhere = make_professional(TeamFactory(municipality=MunicipalityFactory(name="Lingewaard")))
    outsiders = [make_coordinator(case.team), make_volunteer(case.team), elsewhere]
    _login(client, case.responsible)

    for person in outsiders:
        client.post(reverse("cases:people", args=[case.pk, "professional"]), {"person": person.pk})

    assert not CaseMembership.objects.filter(case=case, user__in=outsiders).exists()


def test_the_service_refuses_to_add_a_professional_of_another_municipality():
    import pytest
    from django.core.exceptions import ValidationError

    from cases import services
    from tests.factories import MunicipalityFactory

    case = CaseFactory(active=True)
    elsewhere = make_professional(TeamFactory(municipality=MunicipalityFactory(name="Lingewaard")))

    with pytest.raises(ValidationError):
        services.case_add_professional(actor=case.responsible, case=case, professional=elsewhere)
