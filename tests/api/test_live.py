"""The intake API over real HTTP: a live server (pytest-django's ``live_server``) and the
``requests`` library, as Open Formulieren calls it. The exchange of the first test is written to
``test-output/api/`` (docs/deploy.md quotes it)."""

import datetime
import json
import uuid
from pathlib import Path

import pytest
import requests
import yaml
from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from drf_spectacular.validation import validate_schema

from cases.models import Case, Resident, VolunteerConsent
from tests.factories import ResidentFactory

OUTPUT = Path(settings.BASE_DIR) / "test-output" / "api"
pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture
def base(live_server) -> str:
    return f"{live_server.url}/api/v1"


@pytest.fixture
def session(api_client_token) -> requests.Session:
    _client, token = api_client_token
    http = requests.Session()
    http.headers["Authorization"] = f"Token {token}"
    return http


def _write_exchange(name: str, response: requests.Response) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    request = response.request
    lines = [f"{request.method} {request.path_url}"]
    lines += [f"{key}: {value}" for key, value in request.headers.items() if key in ("Content-Type", "Idempotency-Key")]
    lines += ["", request.body.decode() if isinstance(request.body, bytes) else str(request.body), ""]
    lines += [f"HTTP/1.1 {response.status_code} {response.reason}"]
    lines += [f"{key}: {value}" for key, value in response.headers.items()]
    lines += ["", response.text, ""]
    (OUTPUT / f"{name}.txt").write_text("\n".join(lines))


def test_a_registration_over_http(base, session, payload):
    key = str(uuid.uuid4())

    response = session.post(f"{base}/intakes/", json=payload(), headers={"Idempotency-Key": key}, timeout=10)

    _write_exchange("created", response)
    assert response.status_code == 201
    case = Case.objects.get()
    assert response.headers["Location"] == f"{base}/intakes/{case.pk}/"
    assert response.headers["API-Version"] == "1.0.0"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.json() == {"id": case.pk, "reference": f"#{case.pk}", "url": response.headers["Location"]}
    assert session.get(response.headers["Location"], timeout=10).json() == response.json()


def test_a_repeat_over_http_answers_the_same_and_records_nothing(base, session, payload):
    body, key = payload(), str(uuid.uuid4())
    first = session.post(f"{base}/intakes/", json=body, headers={"Idempotency-Key": key}, timeout=10)

    repeat = session.post(f"{base}/intakes/", json=body, headers={"Idempotency-Key": key}, timeout=10)
    reused = session.post(
        f"{base}/intakes/", json=payload(firstName="Anna"), headers={"Idempotency-Key": key}, timeout=10
    )

    _write_exchange("reused-key", reused)
    assert (first.status_code, repeat.status_code) == (201, 201)
    assert repeat.json() == first.json() and repeat.headers["Location"] == first.headers["Location"]
    assert reused.status_code == 422
    assert reused.headers["Content-Type"] == "application/problem+json"
    assert Case.objects.count() == 1


@pytest.mark.parametrize("authorization", [None, "Token not-a-token", "Bearer "])
def test_no_token_or_a_wrong_one_over_http_is_a_401_problem(base, payload, authorization):
    headers = {"Authorization": authorization} if authorization else {}

    response = requests.post(f"{base}/intakes/", json=payload(), headers=headers, timeout=10)

    if authorization is None:
        _write_exchange("no-token", response)
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.headers["API-Version"] == "1.0.0"
    assert response.json()["status"] == 401
    assert not Case.objects.exists()


def test_a_bad_payload_over_http_is_a_400_with_invalid_params(base, session, payload):
    body = payload(firstName=42, dateOfBirth="2999-01-01", village="Atlantis", lifeDomains=["geld"])

    response = session.post(f"{base}/intakes/", json=body, timeout=10)

    _write_exchange("invalid", response)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert {param["name"] for param in problem["invalid-params"]} == {
        "values.firstName",
        "values.dateOfBirth",
        "values.village",
        "values.lifeDomains",
    }
    assert not Resident.objects.exists()


def test_a_likely_duplicate_over_http_is_registered_and_marked(base, session, payload, village):
    known = ResidentFactory(
        village=village, first_name="Grietje", last_name="de Vries", date_of_birth=datetime.date(1948, 3, 2)
    )

    response = session.post(f"{base}/intakes/", json=payload(), timeout=10)

    assert response.status_code == 201
    case = Case.objects.get(pk=response.json()["id"])
    assert case.possible_duplicate is True
    assert case.resident_id != known.pk


def test_the_audit_trail_names_the_clients_system_user(base, session, payload, api_client_token):
    client, _token = api_client_token

    response = session.post(f"{base}/intakes/", json=payload(), timeout=10)

    case = Case.objects.get(pk=response.json()["id"])
    types = ContentType.objects.get_for_models(Case, Resident, VolunteerConsent).values()
    entries = LogEntry.objects.filter(content_type__in=types)
    assert entries.filter(object_id=case.pk).exists()
    assert set(entries.values_list("actor_id", flat=True)) == {client.user_id}


def test_the_openapi_document_over_http(base):
    as_yaml = requests.get(f"{base}/openapi.yaml", timeout=10)
    as_json = requests.get(f"{base}/openapi.json", timeout=10)

    assert as_yaml.status_code == as_json.status_code == 200
    document = yaml.safe_load(as_yaml.text)
    assert document == json.loads(as_json.text)
    assert "post" in document["paths"]["/api/v1/intakes/"]
    assert document["components"]["securitySchemes"]["apiClientToken"]["scheme"] == "bearer"
    validate_schema(document)
