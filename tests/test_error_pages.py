"""Error pages (403, 404, 500, CSRF failure): our design, Dutch, no personal data, no stack trace."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, CaseFactory


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = "tests.error_urls"
    settings.DEBUG = False


def _assert_our_page(body: str, heading: str) -> None:
    assert 'lang="nl"' in body
    assert "wijkteam.css" in body
    assert heading in body
    assert "Traceback" not in body
    assert "MARKER-stacktrace-secret" not in body


def test_404_page(client):
    case = CaseFactory(with_volunteer=True)
    client.login(username=case.volunteer.username, password=PASSWORD)

    response = client.get(reverse("cases:detail", args=[case.pk]))

    assert response.status_code == 404
    _assert_our_page(response.content.decode(), "Pagina niet gevonden")
    assert case.resident.last_name not in response.content.decode()


@pytest.mark.parametrize("path", ["/bestaat-niet/", "/casussen/999999/"])
def test_404_page_is_the_apps_own_also_in_development(client, settings, path):
    """With DEBUG on (make run) Django showed its English technical page, listing the URL
    patterns; development shows the app's own page, as production does."""
    settings.DEBUG = True
    case = CaseFactory()
    client.login(username=case.responsible.username, password=PASSWORD)

    response = client.get(path)

    assert response.status_code == 404
    _assert_our_page(response.content.decode(), "Pagina niet gevonden")
    assert "URLconf" not in response.content.decode()


def test_403_page(client, error_urls):
    response = client.get("/test-forbidden/")

    assert response.status_code == 403
    _assert_our_page(response.content.decode(), "Niet toegestaan")


def test_500_page_has_no_stack_trace(error_urls):
    client = Client(raise_request_exception=False)

    response = client.get("/test-boom/")

    assert response.status_code == 500
    _assert_our_page(response.content.decode(), "Er is iets misgegaan")


def test_csrf_failure_page_keeps_nothing_and_explains(error_urls):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("accounts:login"), {"username": "x", "password": "y"})

    assert response.status_code == 403
    _assert_our_page(response.content.decode(), "Formulier verlopen")
