"""The health endpoints (wijkteam/health.py): cheap, without login, session or personal data,
answering probes that ask by the server's address and over plain HTTP."""

import json

import pytest
from django.db import OperationalError
from django.test import override_settings

from wijkteam import health

pytestmark = pytest.mark.django_db


def _body(response) -> dict:
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_liveness_answers_without_a_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(health.LIVE)

    assert response.status_code == 200
    assert _body(response) == {"status": "ok", "checks": {"process": "ok"}}
    assert response["Cache-Control"] == "no-store"
    assert not response.cookies  # no session, no CSRF cookie, no language cookie


@pytest.mark.parametrize("path", [health.READY, health.STARTUP])
def test_readiness_checks_the_database_and_the_migrations_in_one_query(client, django_assert_num_queries, path):
    health.expected_migrations()  # read from disk once per process, not per probe
    with django_assert_num_queries(1):
        response = client.get(path)

    assert response.status_code == 200
    assert _body(response) == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}
    assert not response.cookies


def test_readiness_knows_every_leaf_migration_of_the_code():
    expected = health.expected_migrations()
    apps = {app for app, _name in expected}
    assert {"cases", "accounts", "volunteers", "privacy", "socialmap", "reports", "auth", "sessions"} <= apps


def test_readiness_is_unavailable_while_a_migration_is_pending(client, monkeypatch):
    pending = health.expected_migrations() | {("cases", "9999_not_applied_yet")}
    monkeypatch.setattr(health, "expected_migrations", lambda: pending)

    response = client.get(health.READY)

    assert response.status_code == 503
    assert _body(response) == {"status": "unavailable", "checks": {"database": "ok", "migrations": "pending"}}


def test_readiness_is_unavailable_without_a_database_and_names_no_host(client, monkeypatch, caplog):
    class Unreachable:
        def __init__(self, connection):
            pass

        @property
        def migration_qs(self):
            raise OperationalError('connection to server at "db.internal.example" (10.0.0.5) failed')

    monkeypatch.setattr(health, "MigrationRecorder", Unreachable)

    response = client.get(health.READY)

    assert response.status_code == 503
    assert _body(response) == {"status": "unavailable", "checks": {"database": "unavailable", "migrations": "unknown"}}
    assert b"db.internal" not in response.content and b"10.0.0.5" not in response.content
    assert "readiness_database_unavailable" in caplog.text  # the operator finds the cause in the log


@override_settings(ALLOWED_HOSTS=["wijkteam.example.nl"], SECURE_SSL_REDIRECT=True)
@pytest.mark.parametrize("path", [health.LIVE, health.READY])
def test_a_probe_by_address_over_plain_http_is_answered(client, path):
    response = client.get(path, HTTP_HOST="10.1.2.3:8000")

    assert response.status_code == 200


@override_settings(ALLOWED_HOSTS=["wijkteam.example.nl"], SECURE_SSL_REDIRECT=True)
def test_other_pages_keep_the_host_check_and_the_https_redirect(client):
    assert client.get("/account/inloggen/", HTTP_HOST="10.1.2.3:8000").status_code == 400
    assert client.get("/account/inloggen/", HTTP_HOST="wijkteam.example.nl").status_code == 301


@pytest.mark.parametrize("path", [health.LIVE, health.READY])
def test_head_answers_without_a_body(client, path):
    response = client.head(path)

    assert response.status_code == 200
    assert response.content == b""


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_only_get_and_head(client, method):
    response = getattr(client, method)(health.READY)

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_a_neighbouring_path_is_an_ordinary_page(client):
    # Only the three exact paths are health endpoints; anything else goes through the whole stack.
    assert client.get("/_healthz/livez/extra/").status_code == 404
