"""Intake (R3): find the resident first, warn about likely duplicates, one case per submit."""

import datetime

import pytest
from django.urls import reverse

from cases.constants import CaseStatus, ConsentAnswer
from cases.models import Case, Resident
from tests.factories import (
    PASSWORD,
    CaseFactory,
    ResidentFactory,
    intake_case_fields,
    intake_resident_fields,
    make_volunteer,
)


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


_case_data = intake_case_fields
_new_resident = intake_resident_fields


def test_register_for_a_new_resident_opens_a_case_in_the_villages_team(client, professional):
    _login(client, professional)

    response = client.post(reverse("cases:intake"), {**_case_data(), **_new_resident(professional.village)})

    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk])
    assert case.team == professional.village.team
    assert case.status == CaseStatus.NEW
    assert case.resident.postcode == "6661 AB"
    assert case.consents.first().answer == ConsentAnswer.YES


def test_register_for_an_existing_resident(client, professional):
    resident = ResidentFactory(village=professional.village)
    _login(client, professional)

    client.post(reverse("cases:intake"), {**_case_data(), "resident": resident.pk})

    assert Case.objects.get().resident == resident
    assert Resident.objects.count() == 1


def test_double_submit_registers_one_case(client, professional):
    _login(client, professional)
    data = {**_case_data(), **_new_resident(professional.village)}

    first = client.post(reverse("cases:intake"), data)
    second = client.post(reverse("cases:intake"), data)

    assert Case.objects.count() == 1
    assert Resident.objects.count() == 1
    assert first.url == second.url


@pytest.mark.parametrize(
    "same",
    [
        {"first_name": "Grietje", "last_name": "Jansen", "date_of_birth": "1948-03-02", "house_number": "99"},
        {"first_name": "Anna", "last_name": "Pieters", "postcode": "6661 AB", "house_number": "12"},
    ],
    ids=["name and date of birth", "same address"],
)
def test_likely_duplicate_is_warned_and_nothing_is_lost(client, professional, same):
    ResidentFactory(
        village=professional.village,
        **{
            "first_name": "Grietje",
            "last_name": "Jansen",
            "date_of_birth": datetime.date(1948, 3, 2),
            "postcode": "6661 AB",
            "house_number": "12",
        },
    )
    _login(client, professional)
    typed = {**_case_data(request_for_help="Mijn getypte hulpvraag"), **_new_resident(professional.village, **same)}

    response = client.post(reverse("cases:intake"), typed)

    body = response.content.decode()
    assert response.status_code == 200
    assert "Jansen" in body and "Mijn getypte hulpvraag" in body
    assert Case.objects.count() == 0
    assert Resident.objects.count() == 1


def test_confirming_a_different_person_registers_anyway(client, professional):
    ResidentFactory(village=professional.village, first_name="Grietje", last_name="Jansen")
    _login(client, professional)

    client.post(
        reverse("cases:intake"),
        {**_case_data(), **_new_resident(professional.village), "confirm_new_resident": "on"},
    )

    assert Resident.objects.count() == 2
    assert Case.objects.count() == 1


def test_invalid_input_keeps_what_was_typed(client, professional):
    _login(client, professional)

    response = client.post(
        reverse("cases:intake"),
        {**_case_data(domains=[], request_for_help="Bewaar deze tekst"), **_new_resident(professional.village)},
    )

    assert response.status_code == 200
    assert "Bewaar deze tekst" in response.content.decode()
    assert Case.objects.count() == 0


def test_bad_postcode_gets_a_clear_message(client, professional):
    _login(client, professional)

    response = client.post(
        reverse("cases:intake"), {**_case_data(), **_new_resident(professional.village, postcode="12345")}
    )

    assert "6661 AB" in response.content.decode()
    assert Case.objects.count() == 0


def test_resident_search_finds_by_name_address_and_postcode(client, professional):
    ResidentFactory(village=professional.village, last_name="Zonneveld", street="Molenweg", postcode="6662 CD")
    _login(client, professional)

    for query in ("zonnev", "Molenweg", "6662cd", "6662 CD"):
        body = client.get(reverse("cases:resident_search"), {"q": query}).content.decode()
        assert "Zonneveld" in body, query


def test_resident_search_keeps_surname_prefixes_and_house_numbers(client, professional):
    ResidentFactory(
        village=professional.village, first_name="Ans", last_name="de Wit", street="Dorpsstraat", house_number="12"
    )
    ResidentFactory(
        village=professional.village, first_name="Derk", last_name="Witteveen", street="Dekenstraat", house_number="3"
    )
    _login(client, professional)

    def found(query):
        body = client.get(reverse("cases:resident_search"), {"q": query}).content.decode()
        return {name for name in ("de Wit", "Witteveen") if name in body}

    assert found("de Wit") == {"de Wit"}  # a surname with its prefix, not every "de" and "wit"
    assert found("Wit") == {"de Wit", "Witteveen"}
    assert found("Dorpsstraat 12") == {"de Wit"}  # a short word is a house number, exactly
    assert found("straat 1") == set()


def test_resident_search_takes_a_postcode_from_its_four_digits(client, professional):
    """A postcode is searched from its four digits on ("6662", "6662 C", "6662 CD"): fewer
    digits name a region of tens of thousands of residents, not anyone the professional is
    looking for; "66" is a house number."""
    ResidentFactory(village=professional.village, last_name="Zonneveld", postcode="6662 CD", house_number="3")
    ResidentFactory(village=professional.village, last_name="Achtenveld", postcode="7001 AB", house_number="66")
    _login(client, professional)

    def found(query):
        body = client.get(reverse("cases:resident_search"), {"q": query}).content.decode()
        return {name for name in ("Zonneveld", "Achtenveld") if name in body}

    assert found("66") == {"Achtenveld"}
    assert found("666") == set()
    assert found("6662") == {"Zonneveld"}
    assert found("6662 CD") == {"Zonneveld"}
    assert found("6662cd 3") == {"Zonneveld"}


def test_resident_search_does_not_reach_other_teams_residents(client, professional):
    ResidentFactory(last_name="Elders")
    _login(client, professional)

    body = client.get(reverse("cases:resident_search"), {"q": "Elders"}).content.decode()

    assert "Elders" not in body


@pytest.mark.parametrize("role", ["volunteer", "coordinator"])
def test_intake_is_404_for_volunteers_and_coordinators(client, role):
    from tests.factories import make_coordinator

    team = CaseFactory().team
    user = make_volunteer(team) if role == "volunteer" else make_coordinator(team)
    _login(client, user)

    assert client.get(reverse("cases:intake")).status_code == 404
    assert client.get(reverse("cases:resident_search"), {"q": "a"}).status_code == 404
