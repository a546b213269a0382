"""Shared set-up of the intake API's tests: an API client of the factories' municipality with
its token (made as the admin makes one), a village of that municipality, and a payload as Open
Formulieren's generic JSON registration sends it."""

from __future__ import annotations

import copy
import json
import uuid

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.api_clients import api_client_create
from accounts.models import ApiClient
from tests.factories import VillageFactory, make_administrator

INTAKES = "/api/v1/intakes/"


def open_formulieren_payload(village_name: str, **values) -> dict:
    """The body Open Formulieren posts for the form of docs/deploy.md ("Intake API")."""
    body = {
        "values": {
            "firstName": "Grietje",
            "lastName": "de Vries",
            "dateOfBirth": "1948-03-02",
            "street": "Kerkstraat",
            "houseNumber": "12",
            "postcode": "6661ab",
            "village": village_name,
            "phone": "0612345678",
            "email": "grietje@example.org",
            "requestForHelp": "Ik kom niet rond en de post stapelt zich op.",
            "lifeDomains": {"money": True, "housing": False, "health": False},
            "consent": "yes",
        },
        "values_schema": {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object"},
        "metadata": {
            "public_reference": f"OF-{uuid.uuid4().hex[:6].upper()}",
            "form_name": "Hulpvraag",
            "registration_timestamp": "2026-12-07T10:00:00+01:00",
        },
        "metadata_schema": {"type": "object"},
    }
    body["values"].update(values)
    return body


@pytest.fixture(autouse=True)
def _fresh_rate_counts():
    cache.clear()  # the rate limit counts in the cache
    yield
    cache.clear()


@pytest.fixture
def village():
    return VillageFactory(name="Elst")


@pytest.fixture
def administrator():
    return make_administrator()


@pytest.fixture
def api_client_token(village, administrator) -> tuple[ApiClient, str]:
    client = ApiClient(name="Open Formulieren", municipality=village.municipality)
    token = api_client_create(actor=administrator, client=client)
    return client, token


@pytest.fixture
def payload(village):
    def make(**values) -> dict:
        return copy.deepcopy(open_formulieren_payload(village.name, **values))

    return make


@pytest.fixture
def post(api_client_token):
    """POST a body (a dict as JSON, or bytes/str as given) to the intake API with the token."""
    _client, token = api_client_token

    def send(body, *, token=token, key: str | None = None, content_type="application/json", path=INTAKES, **headers):
        data = json.dumps(body) if isinstance(body, dict | list) else body
        extra = {"HTTP_AUTHORIZATION": f"Token {token}"} if token else {}
        if key is not None:
            extra["HTTP_IDEMPOTENCY_KEY"] = key
        return Client().post(path, data=data, content_type=content_type, **extra, **headers)

    return send
