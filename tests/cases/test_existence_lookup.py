"""That, not what (one family, one plan): a professional of another team learns *that* a
resident is known — the team, and the responsible professional's name and phone — and nothing
of the file; every resident found is an access entry; more only by a transfer or by being added
to the case (``cases.policies.existence``, ``selectors.known_elsewhere``,
``services.resident_existence_read``, the page ``cases:existence_lookup``)."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.forms.forms import NON_FIELD_ERRORS
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from accounts.facts import professional_team_ids
from accounts.services import system_actor
from base.audit import acting_as
from cases import selectors, services
from cases.models import Resident
from cases.policies import existence
from cases.records import erase_case
from tests.factories import (
    PASSWORD,
    CaseFactory,
    MunicipalityFactory,
    ResidentFactory,
    TeamFactory,
    VillageFactory,
    add_journal,
    make_administrator,
    make_coordinator,
    make_privacy_officer,
    make_professional,
    make_volunteer,
)

BIRTH = datetime.date(1937, 4, 3)
BY_PERSON = {"last_name": "Achternaammarker", "date_of_birth": BIRTH, "postcode": "", "house_number": ""}
BY_ADDRESS = {"last_name": "", "date_of_birth": None, "postcode": "6662cd", "house_number": "77B"}
MARKERS = {
    "first name": "Voornaammarker",
    "last name": "Achternaammarker",
    "street": "Straatmarker",
    "request for help": "Hulpvraagmarker",
    "journal": "Journaalmarker",
    "resident phone": "0481-999888",
    "resident e-mail": "marker@example.org",
    "notes": "Notitiemarker",
    "summary": "Samenvattingmarker",
}
BIRTH_SHAPES = ["1937-04-03", "3-4-1937", "03-04-1937", "3 april 1937", "03.04.1937"]


@pytest.fixture
def known():
    """A resident known to one team (an active case with a responsible professional) and a
    professional of another team of the same municipality who looks for them."""
    village = VillageFactory()
    responsible = make_professional(
        village.team, first_name="Rianne", last_name="Verantwoordelijk", phone="06 1111 2222"
    )
    resident = ResidentFactory(
        village=village,
        first_name=MARKERS["first name"],
        last_name=MARKERS["last name"],
        date_of_birth=BIRTH,
        street=MARKERS["street"],
        house_number="77b",
        postcode="6662 CD",
        phone=MARKERS["resident phone"],
        email=MARKERS["resident e-mail"],
        notes=MARKERS["notes"],
    )
    case = CaseFactory(
        resident=resident,
        active=True,
        responsible=responsible,
        request_for_help=MARKERS["request for help"],
        volunteer_summary=MARKERS["summary"],
    )
    add_journal(case, text=MARKERS["journal"], shared=False)
    seeker = make_professional(VillageFactory().team)
    return {"resident": resident, "case": case, "responsible": responsible, "seeker": seeker}


def _look(client, user, criteria: dict):
    client.login(username=user.username, password=PASSWORD)
    params = {
        key: (value.isoformat() if isinstance(value, datetime.date) else value or "") for key, value in criteria.items()
    }
    return client.get(reverse("cases:existence_lookup"), params)


def _lookups(resident_id: int | None = None):
    entries = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__view="existence_lookup")
    return entries.filter(object_id=resident_id) if resident_id else entries


# --- the page ---------------------------------------------------------------------------------


@pytest.mark.parametrize("criteria", [BY_PERSON, BY_ADDRESS], ids=["name-and-birth-date", "postcode-and-number"])
def test_a_professional_of_another_team_learns_the_team_and_whom_to_call(client, known, criteria):
    response = _look(client, known["seeker"], criteria)

    page = response.content.decode()
    assert response.status_code == 200
    assert known["case"].team.name in page
    assert "Rianne Verantwoordelijk" in page
    assert 'href="tel:0611112222"' in page
    assert "06 1111 2222" in page


def test_the_answer_holds_nothing_of_the_file(client, known):
    response = _look(client, known["seeker"], BY_ADDRESS)

    page = response.content.decode()
    assert "Rianne Verantwoordelijk" in page  # it did find them
    assert [name for name, marker in MARKERS.items() if marker.lower() in page.lower()] == []
    assert [shape for shape in BIRTH_SHAPES if shape in page] == []
    assert f"resident={known['resident'].pk}" not in page


def test_the_page_gets_plain_read_objects_not_the_resident(client, known):
    response = _look(client, known["seeker"], BY_PERSON)

    (hit,) = response.context["found"]
    assert isinstance(hit, selectors.KnownElsewhere)
    assert set(vars(hit)) == {"resident_id", "contacts"}
    assert set(vars(hit.contacts[0])) == {"team", "name", "phone"}


def test_a_professional_who_can_find_the_resident_is_sent_to_the_normal_search(client, known):
    own = make_professional(known["case"].team)

    response = _look(client, own, BY_PERSON)

    page = response.content.decode()
    assert response.context["found"] == []
    assert f"{reverse('cases:intake')}?resident={known['resident'].pk}" in page
    assert _lookups().count() == 0


def test_nothing_found_is_said(client, known):
    response = _look(client, known["seeker"], {**BY_PERSON, "last_name": "Niemand"})

    assert response.status_code == 200
    assert response.context["searched"] and response.context["found"] == [] and response.context["yours"] == []
    assert known["case"].team.name not in response.content.decode()
    assert _lookups().count() == 0


@pytest.mark.parametrize(
    "criteria",
    [
        {"last_name": "Achternaammarker"},
        {"date_of_birth": "1937-04-03"},
        {"postcode": "6662 CD"},
        {"house_number": "77b"},
        {"last_name": "Achternaammarker", "house_number": "77b"},
        {"last_name": "", "date_of_birth": "", "postcode": "", "house_number": ""},
    ],
)
def test_incomplete_criteria_give_the_form_error_and_no_lookup(client, known, criteria):
    response = _look(client, known["seeker"], criteria)

    assert response.status_code == 200
    assert response.context["form"].has_error(NON_FIELD_ERRORS, "incomplete")
    assert response.context["found"] == [] and not response.context["searched"]
    assert 'role="alert"' in response.content.decode()
    assert _lookups().count() == 0


def test_a_wrong_postcode_is_a_field_error(client, known):
    response = _look(client, known["seeker"], {**BY_ADDRESS, "postcode": "66 CD 62"})

    assert response.context["form"].has_error("postcode")
    assert _lookups().count() == 0


def test_the_empty_page_explains_and_looks_nothing_up(client, known):
    response = _look(client, known["seeker"], {})

    assert response.status_code == 200
    assert not response.context["form"].is_bound
    assert _lookups().count() == 0


@pytest.mark.parametrize("role", ["volunteer", "coordinator", "privacy_officer", "administrator"])
def test_other_roles_get_404(client, known, role):
    team = known["case"].team
    user = {
        "volunteer": lambda: make_volunteer(team),
        "coordinator": lambda: make_coordinator(team),
        "privacy_officer": lambda: make_privacy_officer(),
        "administrator": lambda: make_administrator(),
    }[role]()

    response = _look(client, user, BY_PERSON)

    assert response.status_code == 404
    assert _lookups().count() == 0


def test_the_intake_page_links_to_the_lookup(client, known):
    client.login(username=known["seeker"].username, password=PASSWORD)

    intake = client.get(reverse("cases:intake")).content.decode()
    nothing = client.get(reverse("cases:resident_search"), {"q": "Niemandmarker"}).content.decode()

    assert reverse("cases:existence_lookup") in intake
    assert reverse("cases:existence_lookup") in nothing


# --- the access log -----------------------------------------------------------------------------


def test_every_resident_found_is_one_access_entry_with_the_actor(client, known):
    housemate = ResidentFactory(village=known["resident"].village, house_number="77B", postcode="6662CD")
    CaseFactory(resident=housemate)

    response = _look(client, known["seeker"], BY_ADDRESS)

    assert len(response.context["found"]) == 2
    entries = _lookups()
    assert sorted(int(entry.object_id) for entry in entries) == sorted([known["resident"].pk, housemate.pk])
    for entry in entries:
        assert entry.content_type.model_class() is Resident
        assert entry.actor == known["seeker"]
        assert entry.additional_data["view"] == "existence_lookup"
        assert entry.additional_data["roles"] == ["professional"]


def test_the_lookup_shows_in_the_residents_access_entries(known):
    from privacy.document import entries_about  # the right-of-access export's entries

    services.resident_existence_read(actor=known["seeker"], **BY_PERSON)

    entries = entries_about(known["resident"], [known["case"].pk]).filter(action=LogEntry.Action.ACCESS)
    assert [entry.additional_data["view"] for entry in entries if entry.actor == known["seeker"]] == [
        "existence_lookup"
    ]


def test_the_service_refuses_anyone_but_a_professional(known):
    coordinator = make_coordinator(known["case"].team)

    with pytest.raises(PermissionDenied):
        services.resident_existence_read(actor=coordinator, **BY_PERSON)
    assert _lookups().count() == 0


# --- what is reported ------------------------------------------------------------------------------


def test_an_erased_case_is_not_reported(known):
    with acting_as(system_actor()):  # as the retention purge does
        erase_case(known["case"].pk)

    assert selectors.known_elsewhere(user=known["seeker"], **BY_ADDRESS) == []


def test_an_erased_resident_is_not_reported(known):
    from privacy.services import anonymise_resident

    Resident.objects.filter(pk=known["resident"].pk).update(erased_at=timezone.now())
    assert selectors.known_elsewhere(user=known["seeker"], **BY_PERSON) == []

    with acting_as(system_actor()):
        anonymise_resident(known["resident"])
    assert Resident.objects.get(pk=known["resident"].pk).first_name == "[gewist]"
    assert selectors.known_elsewhere(user=known["seeker"], **BY_PERSON) == []


def test_a_resident_who_restricted_processing_is_not_reported(known):
    Resident.objects.filter(pk=known["resident"].pk).update(restricted_at=timezone.now())

    assert selectors.known_elsewhere(user=known["seeker"], **BY_PERSON) == []


def test_a_resident_known_only_in_another_municipality_is_not_reported(known):
    far = make_professional(TeamFactory(municipality=MunicipalityFactory(name="Lingewaard")))

    assert selectors.known_elsewhere(user=far, **BY_PERSON) == []


def test_open_cases_are_reported_and_closed_ones_only_when_none_is_open(known):
    resident = known["resident"]
    closed_before = CaseFactory(resident=resident, closed=True)
    only_closed = ResidentFactory(last_name="Achternaammarker", date_of_birth=BIRTH)
    older = CaseFactory(resident=only_closed, closed=True)
    newer = CaseFactory(resident=only_closed, closed=True)

    found = {hit.resident_id: hit for hit in selectors.known_elsewhere(user=known["seeker"], **BY_PERSON)}

    assert [c.name for c in found[resident.pk].contacts] == ["Rianne Verantwoordelijk"]
    assert closed_before.responsible.display_name != "Rianne Verantwoordelijk"
    assert [c.name for c in found[only_closed.pk].contacts] == [newer.responsible.display_name]
    assert older.responsible.display_name != newer.responsible.display_name


def test_a_new_case_without_a_responsible_names_its_team(known):
    newcomer = ResidentFactory(last_name="Achternaammarker", date_of_birth=BIRTH)
    case = CaseFactory(resident=newcomer)

    found = {hit.resident_id: hit for hit in selectors.known_elsewhere(user=known["seeker"], **BY_PERSON)}

    assert found[newcomer.pk].contacts == (selectors.KnownContact(team=case.team.name, name="", phone=""),)


def test_the_query_count_is_fixed_however_many_are_found(known, django_assert_num_queries):
    seeker = known["seeker"]
    professional_team_ids(seeker)  # the account facts are read once per request
    selectors.known_elsewhere(user=seeker, **BY_PERSON)
    with django_assert_num_queries(3):
        one = selectors.known_elsewhere(user=seeker, **BY_PERSON)
    for _ in range(3):
        CaseFactory(resident=ResidentFactory(last_name="Achternaammarker", date_of_birth=BIRTH), active=True)
        CaseFactory(resident=ResidentFactory(last_name="Achternaammarker", date_of_birth=BIRTH))

    with django_assert_num_queries(3):
        many = selectors.known_elsewhere(user=seeker, **BY_PERSON)

    assert len(one) == 1 and len(many) == 7


# --- the policy --------------------------------------------------------------------------------


def test_the_policy_lets_professionals_learn_and_nobody_else(known):
    resident, team = known["resident"], known["case"].team
    others = [make_volunteer(team), make_coordinator(team), make_privacy_officer(), make_administrator()]
    learn = existence.Action.LEARN

    assert existence.can(known["seeker"], learn, resident)
    assert existence.get(known["seeker"], learn, resident.pk) == resident
    assert resident in existence.scope(known["seeker"], learn)
    for user in others:
        assert not existence.can(user, learn, resident)
        assert not existence.scope(user, learn).exists()
        with pytest.raises(Http404):
            existence.get(user, learn, resident.pk)
