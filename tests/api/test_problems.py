"""Every error of the API is application/problem+json (RFC 9457) with API-Version and no-store:
400 with invalid-params (name, code, reason) for every kind of bad input — hostile values, huge
strings, wrong types, huge ids — and 404, 405, 406, 413, 415, 429 and 500. Nothing bad input
sends is recorded, and no input causes a 5xx."""

import json

import pytest
from django.test import Client

from cases import services
from cases.models import Case, Resident
from tests.factories import VillageFactory

from .conftest import INTAKES


def _problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == "1.0.0"
    assert "no-store" in response["Cache-Control"]
    problem = response.json()
    assert problem["status"] == status
    assert {"type", "title", "status", "detail", "instance"} <= set(problem)
    return problem


def _invalid(response) -> dict[str, str]:
    problem = _problem(response, 400)
    assert problem["type"] == "urn:wijkteam:problem:invalid-params"
    assert problem["instance"] == INTAKES
    assert all(set(param) == {"name", "code", "reason"} for param in problem["invalid-params"])
    return {param["name"]: param["code"] for param in problem["invalid-params"]}


@pytest.mark.parametrize(
    ("values", "name", "code"),
    [
        ({"firstName": 12}, "values.firstName", "not_a_string"),
        ({"firstName": ""}, "values.firstName", "blank"),
        ({"firstName": None}, "values.firstName", "null"),
        ({"firstName": ["Grietje"]}, "values.firstName", "not_a_string"),
        ({"lastName": "x" * 101}, "values.lastName", "max_length"),
        ({"requestForHelp": "x" * 10_001}, "values.requestForHelp", "max_length"),
        ({"requestForHelp": "   "}, "values.requestForHelp", "blank"),
        ({"firstName": "Grie\x00tje"}, "values.firstName", "forbidden"),
        ({"street": "Kerk\ud800straat"}, "values.street", "forbidden"),
        ({"houseNumber": 12}, "values.houseNumber", "not_a_string"),
        ({"dateOfBirth": "02-03-1948"}, "values.dateOfBirth", "invalid"),
        ({"dateOfBirth": "1948-02-30"}, "values.dateOfBirth", "invalid"),
        ({"dateOfBirth": "2999-01-01"}, "values.dateOfBirth", "future"),
        ({"dateOfBirth": "0001-01-01"}, "values.dateOfBirth", "too_old"),
        ({"dateOfBirth": 19480302}, "values.dateOfBirth", "invalid"),
        ({"postcode": "ABCDEF"}, "values.postcode", "postcode"),
        ({"email": "geen-adres"}, "values.email", "email"),
        ({"village": "Atlantis"}, "values.village", "unknown"),
        ({"village": 2**63}, "values.village", "not_a_string"),
        ({"lifeDomains": []}, "values.lifeDomains", "empty"),
        ({"lifeDomains": {"money": False}}, "values.lifeDomains", "empty"),
        ({"lifeDomains": ["geld"]}, "values.lifeDomains", "unknown"),
        ({"lifeDomains": "money"}, "values.lifeDomains", "invalid"),
        ({"lifeDomains": {"money": "yes"}}, "values.lifeDomains", "invalid"),
        ({"lifeDomains": [2**63]}, "values.lifeDomains", "invalid"),
        ({"lifeDomains": ["money"] * 1000}, "values.lifeDomains", "invalid"),
        ({"consent": "misschien"}, "values.consent", "invalid_choice"),
        ({"bsn": "123456782"}, "values.bsn", "unknown"),
    ],
)
def test_a_bad_value_is_a_400_naming_it_and_nothing_is_recorded(post, payload, values, name, code):
    response = post(payload(**values))

    assert _invalid(response) == {name: code}
    assert not Case.objects.exists() and not Resident.objects.exists()


def test_every_bad_value_is_named_at_once(post, payload):
    body = payload(firstName=1, lastName="", lifeDomains=[])
    del body["values"]["requestForHelp"]

    codes = _invalid(post(body))

    assert codes == {
        "values.firstName": "not_a_string",
        "values.lastName": "blank",
        "values.requestForHelp": "required",
        "values.lifeDomains": "empty",
    }


def test_a_village_of_another_municipality_is_unknown(post, payload):
    elsewhere = VillageFactory(name="Ergens", team__municipality__name="Andere gemeente")

    assert _invalid(post(payload(village=elsewhere.name))) == {"values.village": "unknown"}


@pytest.mark.parametrize(
    ("body", "name", "code"),
    [
        ({}, "values", "required"),
        ({"values": "Grietje"}, "values", "invalid"),
        ({"values": None}, "values", "null"),
        ([1, 2], "body", "invalid"),
        ("null", "body", "null"),
        ('"tekst"', "body", "invalid"),
        ('{"values": NaN}', "body", "parse_error"),
        ("{niet json", "body", "parse_error"),
        ("[" * 50_000, "body", "parse_error"),
        (b'{"values": "\xff\xfe"}', "body", "parse_error"),
        ({"values": {}, "extra": 1}, "extra", "unknown"),
    ],
)
def test_a_body_that_is_not_the_payload_is_a_400(post, payload, body, name, code):
    if isinstance(body, dict) and body.get("values") == {}:
        body = {**payload(), "extra": 1}

    response = post(body)

    problem = _problem(response, 400)
    if code == "parse_error":
        assert "invalid-params" not in problem
    else:
        assert {p["name"]: p["code"] for p in problem["invalid-params"]} == {name: code}
    assert not Case.objects.exists()


def test_a_too_long_form_reference_is_a_400(post, payload):
    body = payload()
    body["metadata"]["public_reference"] = "OF-" + "X" * 60

    assert _invalid(post(body)) == {"metadata.public_reference": "max_length"}


def test_a_body_over_64_kilobytes_is_a_413(post, payload):
    body = payload()
    body["values_schema"] = {"padding": "x" * 70_000}

    _problem(post(body), 413)
    assert not Case.objects.exists()


def test_a_form_post_is_a_415(post, payload):
    response = post("firstName=Grietje", content_type="application/x-www-form-urlencoded")

    _problem(response, 415)


def test_a_get_on_the_collection_is_a_405_with_allow(api_client_token):
    _client, token = api_client_token

    response = Client().get(INTAKES, HTTP_AUTHORIZATION=f"Token {token}")

    _problem(response, 405)
    assert "POST" in response["Allow"]


def test_asking_for_html_is_a_406(post, payload):
    _problem(post(payload(), HTTP_ACCEPT="text/html"), 406)


@pytest.mark.parametrize(
    "path", ["/api/v1/intakes/0/", f"/api/v1/intakes/{2**63}/", "/api/v1/intakes/" + "9" * 40 + "/"]
)
def test_a_registration_that_does_not_exist_is_a_404(api_client_token, path):
    _client, token = api_client_token

    _problem(Client().get(path, HTTP_AUTHORIZATION=f"Token {token}"), 404)


@pytest.mark.parametrize("path", ["/api/v1/onbekend/", "/api/v2/intakes/", "/api/"])
def test_an_unknown_api_path_is_a_404_problem(path):
    problem = _problem(Client().get(path), 404)

    assert problem["type"] == "about:blank"
    assert problem["instance"] == path


def test_the_input_guards_400_is_a_problem_too(api_client_token):
    _client, token = api_client_token

    response = Client().get("/api/v1/intakes/1/?q=%00", HTTP_AUTHORIZATION=f"Token {token}")

    _problem(response, 400)


def test_too_many_requests_is_a_429_with_retry_after(post, payload, settings):
    settings.INTAKE_API_RATE = "2/min"

    answers = [post(payload()).status_code for _ in range(2)]
    response = post(payload())

    assert answers == [201, 201]
    _problem(response, 429)
    assert int(response["Retry-After"]) > 0
    assert Case.objects.count() == 2


def test_a_crash_is_a_500_problem_that_says_nothing_and_records_nothing(post, payload, monkeypatch):
    def crash(**kwargs):
        services.intake_register_by_client.__wrapped__(**kwargs)
        raise RuntimeError("Grietje de Vries")

    monkeypatch.setattr(services, "intake_register_by_client", crash)

    response = post(payload())

    problem = _problem(response, 500)
    assert "Grietje" not in response.content.decode()
    assert problem["type"] == "about:blank"
    assert not Case.objects.exists() and not Resident.objects.exists()


def test_a_bad_idempotency_key_is_a_400(post, payload):
    assert _invalid(post(payload(), key="niet-een-uuid")) == {"Idempotency-Key": "invalid"}


def test_the_api_needs_no_csrf_token(api_client_token, payload):
    _client, token = api_client_token

    response = Client(enforce_csrf_checks=True).post(
        INTAKES, json.dumps(payload()), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
    )

    assert response.status_code == 201
