"""The OpenAPI 3 document is served by the app itself, as YAML and JSON, without a login and
without anything from elsewhere (no Swagger UI from a CDN): it names the endpoint, its payload,
its problem answers, the API-Version header and the token's security scheme."""

import json

import pytest
import yaml
from django.test import Client


@pytest.fixture
def document() -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_yaml_document_is_served_without_login_and_parses():
    response = Client().get("/api/v1/openapi.yaml")

    assert response.status_code == 200
    assert response["API-Version"] == "1.0.0"
    assert response["Content-Type"].startswith("application/vnd.oai.openapi")
    parsed = yaml.safe_load(response.content)
    assert parsed["openapi"].startswith("3.")
    assert parsed["info"]["version"] == "1.0.0"


def test_it_names_the_endpoint_its_payload_and_answers(document):
    post = document["paths"]["/api/v1/intakes/"]["post"]

    assert post["operationId"] == "intake_create"
    assert post["security"] == [{"apiClientToken": []}]
    assert {p["name"] for p in post["parameters"]} == {"Idempotency-Key"}
    assert {"201", "400", "401", "403", "413", "415", "422", "429"} <= set(post["responses"])
    assert "application/problem+json" in post["responses"]["400"]["content"]
    assert set(post["responses"]["201"]["headers"]) == {"API-Version", "Location"}
    assert "/api/v1/intakes/{id}/" in document["paths"]
    schemas = document["components"]["schemas"]
    values = schemas["IntakeValuesRequest"]["properties"]
    assert {"firstName", "lastName", "dateOfBirth", "village", "requestForHelp", "lifeDomains", "consent"} <= set(
        values
    )
    assert "invalid-params" in schemas["ValidationProblem"]["properties"]


def test_it_names_the_security_scheme(document):
    scheme = document["components"]["securitySchemes"]["apiClientToken"]

    assert (scheme["type"], scheme["scheme"]) == ("http", "bearer")


def test_it_links_to_nothing_outside():
    text = Client().get("/api/v1/openapi.json").content.decode()

    assert "cdn" not in text.lower()
    assert "<script" not in text


def test_the_documents_pass_openapi_validation():
    from drf_spectacular.validation import validate_schema

    validate_schema(json.loads(Client().get("/api/v1/openapi.json").content))
