"""POST /api/v1/intakes/: a request for help from the online form is registered through the one
intake service, in the team of the resident's village, with the client's system user as the
actor of every audit entry; the answer is a 201 with a Location and no resident data."""

import json
import uuid

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from cases.constants import CaseStatus, ConsentAnswer, IntakeChannel
from cases.models import Case, Resident, VolunteerConsent


def test_a_registration_answers_201_with_location_version_and_no_resident_data(post, payload, village):
    body = payload()

    response = post(body)

    assert response.status_code == 201
    case = Case.objects.get()
    answer = response.json()
    assert answer == {"id": case.pk, "reference": f"#{case.pk}", "url": f"http://testserver/api/v1/intakes/{case.pk}/"}
    assert response["Location"] == answer["url"]
    assert response["API-Version"] == "1.0.0"
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    for value in ("Grietje", "de Vries", "1948", "Kerkstraat", "0612345678", "grietje@example.org", "rond"):
        assert value not in response.content.decode()


def test_the_case_is_a_new_online_form_case_in_the_villages_team(post, payload, village, api_client_token):
    client, _token = api_client_token
    body = payload()

    post(body)

    case = Case.objects.select_related("resident").get()
    assert case.team_id == village.team_id
    assert case.intake_channel == IntakeChannel.ONLINE_FORM
    assert case.status == CaseStatus.NEW
    assert case.form_reference == body["metadata"]["public_reference"]
    assert case.created_by == client.user
    assert case.possible_duplicate is False
    assert case.request_for_help == "Ik kom niet rond en de post stapelt zich op."
    assert [domain.code for domain in case.domains.all()] == ["money"]
    resident = case.resident
    assert (resident.first_name, resident.last_name, str(resident.date_of_birth)) == (
        "Grietje",
        "de Vries",
        "1948-03-02",
    )
    assert (resident.postcode, resident.house_number, resident.village_id) == ("6661 AB", "12", village.pk)
    assert VolunteerConsent.objects.get(case=case).answer == ConsentAnswer.YES


def test_every_audit_entry_names_the_clients_system_user(post, payload, api_client_token):
    client, _token = api_client_token

    post(payload())

    case = Case.objects.get()
    entries = LogEntry.objects.filter(
        content_type__in=ContentType.objects.get_for_models(Case, Resident, VolunteerConsent).values()
    )
    assert entries.count() >= 3
    assert set(entries.values_list("actor_id", flat=True)) == {client.user_id}
    assert entries.filter(object_id=case.pk, content_type=ContentType.objects.get_for_model(Case)).exists()


def test_the_clients_system_user_has_no_role_no_password_and_no_grant(post, payload, api_client_token):
    client, _token = api_client_token

    post(payload())

    user = client.user
    assert not user.groups.exists()
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    assert not Case.objects.get().caseuserobjectpermission_set.filter(user=user).exists()
    assert user.display_name == "Open Formulieren (API)"


def test_consent_not_asked_when_the_form_does_not_ask(post, payload):
    body = payload()
    del body["values"]["consent"]

    post(body)

    assert VolunteerConsent.objects.get().answer == ConsentAnswer.NOT_ASKED


def test_life_domains_as_a_list_and_optional_fields_empty_or_null(post, payload):
    body = payload(lifeDomains=["money", "housing"], dateOfBirth="", email="", phone=None, street="")
    del body["metadata"]

    response = post(body)

    assert response.status_code == 201, response.content
    case = Case.objects.select_related("resident").get()
    assert sorted(domain.code for domain in case.domains.all()) == ["housing", "money"]
    assert case.resident.date_of_birth is None
    assert case.form_reference == ""


def test_the_village_name_is_matched_without_case(post, payload, village):
    response = post(payload(village="ELST"))

    assert response.status_code == 201
    assert Case.objects.get().resident.village_id == village.pk


def test_the_registration_can_be_read_back_by_its_client_only(post, payload, api_client_token, administrator):
    from accounts.api_clients import api_client_create
    from accounts.models import ApiClient

    location = post(payload())["Location"]
    _client, token = api_client_token
    other = ApiClient(name="Ander formulier", municipality=api_client_token[0].municipality)
    other_token = api_client_create(actor=administrator, client=other)
    from django.test import Client

    mine = Client().get(location, HTTP_AUTHORIZATION=f"Token {token}")
    theirs = Client().get(location, HTTP_AUTHORIZATION=f"Token {other_token}")

    assert mine.status_code == 200
    assert mine.json()["url"] == location
    assert theirs.status_code == 404
    assert theirs["Content-Type"] == "application/problem+json"


def test_one_post_takes_a_fixed_number_of_queries(post, payload, django_assert_num_queries):
    post(payload())  # the first request writes "last used"; measure a later one
    body = payload()

    with django_assert_num_queries(QUERIES_PER_POST):
        response = post(body, key=str(uuid.uuid4()))

    assert response.status_code == 201


def test_a_repeat_takes_a_fixed_number_of_queries(post, payload, django_assert_num_queries):
    body, key = payload(), str(uuid.uuid4())
    post(body, key=key)

    with django_assert_num_queries(QUERIES_PER_REPEAT):
        response = post(body, key=key)

    assert response.status_code == 201


# One POST: the token's client; the village and the domains (the payload's check); the key's
# claim; the municipality's row (one intake at a time) and the one duplicate query; the village's
# check, the resident, the case, its domains and topics, the consent, each change with its audit
# entry; the grants' sync; the answer kept with the key; savepoints. (The audit chain's seals come
# on top at the commit, which a test's transaction never reaches.)
QUERIES_PER_POST = 25
# A repeat: the token's client, the payload's check, the claim that fails (in its savepoint) and
# the first answer read back. Nothing written.
QUERIES_PER_REPEAT = 8


def test_json_body_is_read_as_utf8(post, payload):
    body = payload(firstName="Çağla", lastName="Öztürk-van 't Hof")

    response = post(json.dumps(body, ensure_ascii=False).encode())

    assert response.status_code == 201
    assert Case.objects.get().resident.last_name == "Öztürk-van 't Hof"
