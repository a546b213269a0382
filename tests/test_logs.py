"""The application log (base/logs.py): one JSON line per request with its id, the user's id, the
route pattern, status and duration — and nothing of the residents whose data those requests
handled, also when a request fails or another library writes the line."""

import json
import logging
import uuid

import pytest
from django.test import Client
from django.urls import path, reverse

from tests.factories import PASSWORD, CaseFactory
from wijkteam.urls import urlpatterns as app_patterns

SECRET = "Zwanenburg-9876"  # typed into a resident's file: must never reach the log


def _fails_with_resident_data(request):
    name = f"{SECRET} {request.GET.get('naam', '')}"  # a local variable holding personal data
    raise ValueError(f"could not file the note of {name}")


def _fails_in_the_database(request):
    from django.db import IntegrityError

    try:
        raise KeyError(SECRET)
    except KeyError as error:
        raise IntegrityError(f"duplicate key value\nDETAIL: Key (bsn)=({SECRET}) already exists.") from error


urlpatterns = [
    *app_patterns,
    path("test-log-fout/", _fails_with_resident_data),
    path("test-log-database/", _fails_in_the_database),
]


@pytest.fixture
def log_lines(app_log):
    """The lines the app writes, rendered by the formatter of the settings, at INFO."""

    def lines() -> list[dict]:
        text = app_log()
        assert SECRET not in text
        return [json.loads(line) for line in text.splitlines()]

    lines.text = app_log
    return lines


def _request_lines(lines: list[dict]) -> list[dict]:
    return [line for line in lines if line["event"] in ("request_finished", "request_failed")]


def test_one_line_per_request_with_its_pattern_and_no_resident_data(client, log_lines):
    case = CaseFactory(active=True)
    resident = case.resident
    professional = case.responsible
    client.login(username=professional.username, password=PASSWORD)

    client.get(reverse("cases:resident_search"), {"q": resident.last_name})
    client.get(reverse("cases:detail", args=[case.pk]))
    client.post(
        reverse("cases:journal_add", args=[case.pk]),
        {
            "text": f"Gebeld met {resident.first_name}: {SECRET}",
            "visibility": "professionals",
            "submission_key": str(uuid.uuid4()),
        },
    )

    lines = _request_lines(log_lines())
    assert [(line["method"], line["route"], line["status"]) for line in lines] == [
        ("GET", "/casussen/aanmelden/inwoners/", 200),
        ("GET", "/casussen/<int:pk>/", 200),
        ("POST", "/casussen/<int:pk>/journaal/", 302),
    ]
    for line in lines:
        assert line["user_id"] == professional.pk
        assert line["level"] == "info" and line["logger"] == "django_structlog.middlewares.request"
        assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0
        assert len(line["request_id"]) == 36
        assert "timestamp" in line
        assert "ip" not in line and "user_agent" not in line and "request" not in line
    assert len({line["request_id"] for line in lines}) == 3
    text = log_lines.text()
    for personal in (
        resident.first_name,
        resident.last_name,
        resident.street,
        resident.postcode,
        resident.email,
        professional.username,
    ):
        assert personal not in text


def test_an_anonymous_request_and_an_unknown_path(client, log_lines):
    client.get("/casussen/")
    client.get(f"/nergens/{SECRET}/")

    lines = _request_lines(log_lines())
    assert [(line["route"], line["status"], line["user_id"]) for line in lines] == [
        ("/casussen/", 302, None),
        (None, 404, None),
    ]


@pytest.mark.parametrize(
    ("url", "error", "caused_by"),
    [
        (f"/test-log-fout/?naam={SECRET}", "builtins.ValueError", None),
        ("/test-log-database/", "django.db.utils.IntegrityError", ["KeyError"]),
    ],
)
def test_a_failing_request_logs_the_type_and_the_place_but_no_message_or_values(
    settings, log_lines, url, error, caused_by
):
    settings.ROOT_URLCONF = __name__
    case = CaseFactory()
    client = Client(raise_request_exception=False)
    client.login(username=case.responsible.username, password=PASSWORD)

    response = client.get(url)

    assert response.status_code == 500
    [failed] = [line for line in log_lines() if line["event"] == "request_failed"]
    assert failed["level"] == "error"
    assert failed["status"] == 500 and failed["user_id"] == case.responsible.pk
    assert failed["route"] == url.split("?")[0]
    assert failed["exception"]["type"] == error
    assert failed["exception"].get("caused_by") == caused_by
    assert any(frame.startswith("tests/test_logs.py:") for frame in failed["exception"]["frames"])
    text = log_lines.text()
    assert "could not file" not in text and "DETAIL" not in text and "naam=" not in text


def test_another_librarys_line_keeps_its_template_without_the_values(client, log_lines):
    """Django's host check writes the host a client sent; axes writes the login name tried."""
    logging.getLogger("some.library").warning("Could not reach %s for %s", "a host", SECRET)
    assert log_lines()[-1]["event"] == "Could not reach %s for %s"

    client.get("/", HTTP_HOST=f"{SECRET.lower()}.example")
    client.post(reverse("accounts:login"), {"username": f"{SECRET}@example.nl", "password": "wrong"})

    lines = log_lines()
    [disallowed] = [line for line in lines if line["logger"] == "django.security.DisallowedHost"]
    assert disallowed["event"] == "message_withheld" and disallowed["level"] == "error"
    assert SECRET.lower() not in log_lines.text()


def test_a_request_id_sent_by_a_client_is_not_trusted_by_default(client, log_lines):
    client.get("/casussen/", HTTP_X_REQUEST_ID=f"{SECRET}-injected")

    [line] = _request_lines(log_lines())
    assert len(line["request_id"]) == 36


def test_a_request_id_from_the_municipalitys_proxy_when_configured(client, log_lines, settings):
    settings.DJANGO_STRUCTLOG_TRUST_UPSTREAM_REQUEST_ID = True

    client.get("/casussen/", HTTP_X_REQUEST_ID="proxy-4b1d")

    [line] = _request_lines(log_lines())
    assert line["request_id"] == "proxy-4b1d"
