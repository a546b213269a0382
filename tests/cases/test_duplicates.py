"""Likely duplicates at intake (issue 12): similar names, the same date of birth or address,
ranked with the reasons shown, found in a fixed number of queries among the residents the
professional may find; lists show enough to tell two residents apart."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from cases.constants import ConsentAnswer
from cases.models import Case, Resident
from cases.selectors import resident_duplicates
from tests.factories import PASSWORD, CaseFactory, ResidentFactory, intake_post

pytestmark = pytest.mark.both_databases  # and on SQLite: scripts/run-tests

BIRTH = datetime.date(1948, 3, 2)
ELSEWHERE = {"date_of_birth": datetime.date(1961, 7, 9), "postcode": "6662 XY", "house_number": "1"}


def _duplicates(user, *, fresh=True, **typed):
    fields = {
        "first_name": "Grietje",
        "last_name": "Jansen",
        "date_of_birth": BIRTH,
        "postcode": "6661 AB",
        "house_number": "12",
        **typed,
    }
    with translation.override("en"):  # the reasons as their msgids
        return resident_duplicates(user=User.objects.get(pk=user.pk) if fresh else user, **fields)


def _nl(message: str, **values) -> str:
    with translation.override("nl"):
        text = translation.gettext(message)
    return text % values if values else text


@pytest.mark.parametrize(
    ("typed", "known"),
    [
        ("Jansen", "Janssen"),
        ("Janssen", "Jansen"),
        ("van der Berg", "Berg, van den"),
        ("Van den Berg", "vd Berg"),
        ("Van den Berg", "v.d. Berg"),
        ("Dijk", "Dyk"),
        ("Dyk", "van Dijk"),
        ("Müller", "Muller"),
        ("Muller", "Müller"),
        ("Ozturk", "Öztürk"),
        ("Öztürk", "Ozturk"),
        ("de Vries", "Vries"),
        ("Vries", "de Vries"),
        ("Meijer", "Meyer"),
        ("Meier", "Meijer"),
        ("Smid", "Smit"),
        ("van 't Hof", "Hof"),
        ("Van 'T Hof", "in 't Hof"),
        ("Jansen-de Vries", "de Vries"),
        ("Kornelissen", "Cornelissen"),
        ("Philips", "Filips"),
        ("Claessen", "Claassen"),
        ("Bosch", "Bos"),
        ("Bakker", "Backer"),
    ],
)
def test_similar_last_names_match(professional, typed, known):
    resident = ResidentFactory(village=professional.village, first_name="Grietje", last_name=known, **ELSEWHERE)

    hits = _duplicates(professional, last_name=typed)

    assert [hit.resident for hit in hits] == [resident]
    assert hits[0].reasons in {("similar name: Grietje " + known,), ("same name",)}


@pytest.mark.parametrize(
    ("typed", "known"),
    [("Jansen", "Hansen"), ("de Vries", "de Wit"), ("Dijk", "Dirk"), ("Berg", "Burg"), ("Jong", "Jonker")],
)
def test_unrelated_last_names_do_not_match(professional, typed, known):
    ResidentFactory(village=professional.village, first_name="Grietje", last_name=known, **ELSEWHERE)

    assert _duplicates(professional, last_name=typed) == []


@pytest.mark.parametrize(
    ("typed", "known", "found"),
    [
        ("Grietje", "G.", True),
        ("Griet", "Grietje", True),
        ("Grietje", "Grietje Maria", True),
        ("Jose", "José", True),
        ("Grietje", "Pieter", False),  # the same surname alone: hundreds of Jansens
    ],
)
def test_a_similar_name_needs_a_similar_first_name_too(professional, typed, known, found):
    ResidentFactory(village=professional.village, first_name=known, last_name="Jansen", **ELSEWHERE)

    assert bool(_duplicates(professional, first_name=typed)) is found


def test_same_date_of_birth_with_a_similar_name_is_the_strongest(professional):
    resident = ResidentFactory(
        village=professional.village, first_name="Grietje", last_name="Janssen", date_of_birth=BIRTH
    )

    [hit] = _duplicates(professional)

    assert hit.resident == resident
    assert hit.reasons == ("same date of birth", "similar name: Grietje Janssen")


def test_same_date_of_birth_finds_a_changed_last_name(professional):
    ResidentFactory(village=professional.village, first_name="Grietje", last_name="de Boer", date_of_birth=BIRTH)

    [hit] = _duplicates(professional)

    assert hit.reasons == ("same date of birth", "similar name: Grietje")


def test_same_date_of_birth_alone_is_no_reason(professional):
    ResidentFactory(village=professional.village, first_name="Pieter", last_name="Bakker", date_of_birth=BIRTH)

    assert _duplicates(professional) == []


@pytest.mark.parametrize(
    ("postcode", "house_number"),
    [("6661 AB", "12a"), ("6661AB", "12 A"), ("6661 AB", "12-a"), ("6661AB", "12A")],
)
def test_same_address_however_written(professional, postcode, house_number):
    resident = ResidentFactory(
        village=professional.village,
        first_name="Anna",
        last_name="Pieters",
        date_of_birth=None,
        postcode=postcode,
        house_number=house_number,
    )

    [hit] = _duplicates(professional, postcode="6661ab", house_number="12 a")

    assert hit.resident == resident
    assert hit.reasons == ("same address",)


def test_another_house_number_is_another_address(professional):
    ResidentFactory(
        village=professional.village, first_name="Anna", last_name="Pieters", postcode="6661 AB", house_number="14"
    )

    assert _duplicates(professional) == []


def test_hits_are_ranked_birth_and_name_then_address_then_name(professional):
    village = professional.village
    by_name = ResidentFactory(village=village, first_name="Grietje", last_name="Janssen", **ELSEWHERE)
    by_address = ResidentFactory(
        village=village,
        first_name="Anna",
        last_name="Pieters",
        date_of_birth=None,
        postcode="6661 AB",
        house_number="12",
    )
    by_birth = ResidentFactory(
        village=village,
        first_name="Grietje",
        last_name="Jansen",
        date_of_birth=BIRTH,
        postcode="6663 ZZ",
        house_number="3",
    )
    everything = ResidentFactory(
        village=village,
        first_name="Grietje",
        last_name="Jansen",
        date_of_birth=BIRTH,
        postcode="6661AB",
        house_number="12",
    )

    hits = _duplicates(professional)

    assert [hit.resident for hit in hits] == [everything, by_birth, by_address, by_name]
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert hits[0].reasons == ("same date of birth", "same address", "same name")


def test_residents_the_professional_may_not_find_are_never_returned(professional):
    ResidentFactory(
        first_name="Grietje", last_name="Jansen", date_of_birth=BIRTH, postcode="6661 AB", house_number="12"
    )

    assert _duplicates(professional) == []


def test_query_count_is_fixed_however_many_residents(professional):
    ResidentFactory(village=professional.village, first_name="Grietje", last_name="Janssen", **ELSEWHERE)
    user = User.objects.get(pk=professional.pk)  # no cached facts
    with CaptureQueriesContext(connection) as one:
        _duplicates(user, fresh=False)
    for n in range(30):
        ResidentFactory(
            village=professional.village,
            first_name=["Grietje", "Greet", "Anna"][n % 3],
            last_name=["Jansen", "Janssen", "Jans"][n % 3],
            date_of_birth=BIRTH if n % 2 else None,
            postcode="6661 AB",
            house_number="12" if n % 5 == 0 else str(n + 20),
        )

    user = User.objects.get(pk=professional.pk)
    with CaptureQueriesContext(connection) as many:
        hits = _duplicates(user, fresh=False)

    assert len(many.captured_queries) == len(one.captured_queries) <= 3
    assert len(hits) == 10


# --- the pages ---------------------------------------------------------------------------------


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


def _intake(village, **resident) -> dict:
    return intake_post(village, case={"volunteer_summary": "", "consent_answer": ConsentAnswer.NOT_ASKED}, **resident)


def test_intake_shows_the_reasons_and_how_to_tell_them_apart(client, professional):
    known = ResidentFactory(
        village=professional.village,
        first_name="Grietje",
        last_name="Janssen",
        date_of_birth=BIRTH,
        street="Molenweg",
        house_number="7",
        postcode="6662 CD",
    )
    _login(client, professional)

    body = client.post(reverse("cases:intake"), _intake(professional.village)).content.decode()

    assert _nl("same date of birth") in body
    assert _nl("similar name: %(name)s", name="Grietje Janssen") in body
    assert _nl("born %(date)s", date="2-3-1948") in body
    assert "Molenweg 7" in body and professional.village.name in body
    assert f'name="resident" value="{known.pk}"' in body
    assert Resident.objects.count() == 1 and Case.objects.count() == 0


def test_choosing_the_duplicate_registers_for_that_resident(client, professional):
    known = ResidentFactory(
        village=professional.village, first_name="Grietje", last_name="Janssen", date_of_birth=BIRTH
    )
    _login(client, professional)
    data = _intake(professional.village)
    client.post(reverse("cases:intake"), data)

    response = client.post(reverse("cases:intake"), {**data, "resident": known.pk})

    assert response.status_code == 302
    assert Case.objects.get().resident == known
    assert Resident.objects.count() == 1


def test_confirming_a_different_person_still_registers_a_new_resident(client, professional):
    ResidentFactory(village=professional.village, first_name="Grietje", last_name="Janssen", date_of_birth=BIRTH)
    _login(client, professional)

    client.post(reverse("cases:intake"), {**_intake(professional.village), "confirm_new_resident": "on"})

    assert Resident.objects.count() == 2
    assert Case.objects.count() == 1


def test_case_list_and_resident_search_show_the_date_of_birth(client, professional):
    for born in (datetime.date(1950, 4, 3), datetime.date(1971, 11, 30)):
        resident = ResidentFactory(
            village=professional.village, first_name="Jan", last_name="de Vries", date_of_birth=born
        )
        CaseFactory(resident=resident, responsible=professional)
    _login(client, professional)

    listed = client.get(reverse("cases:list")).content.decode()
    found = client.get(reverse("cases:resident_search"), {"q": "de Vries"}).content.decode()

    for body in (listed, found):
        assert _nl("born %(date)s", date="3-4-1950") in body
        assert _nl("born %(date)s", date="30-11-1971") in body
