"""API clients and their tokens: made by the functional administrator in the admin, the token
shown once and stored only as its SHA-256; a request authenticates with ``Authorization: Token``
or ``Bearer``; no token, a wrong one, or an inactive client is a 401 problem; a session counts
for nothing."""

import hashlib

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from accounts.api_clients import api_client_new_token
from accounts.models import ApiClient
from cases.models import Case
from tests.factories import PASSWORD, CaseFactory

from .conftest import INTAKES

ADD = "/beheer/accounts/apiclient/add/"
CHANGELIST = "/beheer/accounts/apiclient/"


def _assert_401_problem(response):
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["API-Version"] == "1.0.0"
    assert response["WWW-Authenticate"] == 'Token realm="api"'
    problem = response.json()
    assert problem["status"] == 401
    assert problem["type"] == "about:blank"
    assert problem["instance"] == INTAKES
    assert {"title", "detail"} <= set(problem)


def test_the_admin_makes_a_client_and_shows_its_token_once(administrator, village):
    browser = Client()
    browser.login(username=administrator.username, password=PASSWORD)

    response = browser.post(
        ADD, {"name": "Open Formulieren", "municipality": village.municipality_id, "is_active": "on"}
    )

    assert response.status_code == 200
    client = ApiClient.objects.get()
    token = response.context["tokens"][0][1]
    assert token in response.content.decode()
    assert len(token) == 43
    assert client.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert client.token_prefix == token[:8]
    assert "no-store" in response["Cache-Control"]
    change_page = browser.get(f"{CHANGELIST}{client.pk}/change/").content.decode()
    assert token not in change_page
    assert client.token_prefix in change_page
    assert client.user.display_name == "Open Formulieren (API)"
    assert not client.user.has_usable_password()


def test_the_admin_action_new_token_replaces_the_old_one(administrator, api_client_token, post, payload):
    client, old = api_client_token
    browser = Client()
    browser.login(username=administrator.username, password=PASSWORD)

    response = browser.post(CHANGELIST, {"action": "new_token", "_selected_action": [client.pk]})

    assert response.status_code == 200
    new = response.context["tokens"][0][1]
    assert new != old and new in response.content.decode()
    _assert_401_problem(post(payload(), token=old))
    assert post(payload(), token=new).status_code == 201


def test_only_the_functional_administrator_reaches_the_clients_in_the_admin(village):
    professional = CaseFactory().responsible
    browser = Client()
    browser.login(username=professional.username, password=PASSWORD)

    assert browser.get(ADD).status_code == 302  # to the admin's login: not an administrator
    assert not ApiClient.objects.exists()


def test_bearer_works_as_token(post, payload, api_client_token):
    _client, token = api_client_token

    response = post(payload(), token=None, HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 201


@pytest.mark.parametrize(
    "header",
    [None, "Token wrong-token", "Token", "Token a b", "Basic dXNlcjpwdw==", "Token " + "x" * 5000, "Bearer é"],
)
def test_no_token_or_a_wrong_one_is_a_401_problem(post, payload, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}

    response = post(payload(), token=None, **extra)

    _assert_401_problem(response)
    assert not Case.objects.exists()


def test_an_inactive_client_is_refused(post, payload, api_client_token):
    client, _token = api_client_token
    ApiClient.objects.filter(pk=client.pk).update(is_active=False)

    response = post(payload())

    _assert_401_problem(response)
    assert not Case.objects.exists()


def test_last_used_is_recorded(post, payload, api_client_token):
    client, _token = api_client_token

    post(payload())

    client.refresh_from_db()
    assert client.last_used_at is not None


def test_a_logged_in_session_is_not_an_api_client(payload):
    """A professional's browser session (verified second step) counts for nothing at the API."""
    professional = CaseFactory().responsible
    browser = Client()
    browser.login(username=professional.username, password=PASSWORD)

    response = browser.post(INTAKES, payload(), content_type="application/json")

    _assert_401_problem(response)


@pytest.mark.real_login
def test_a_session_half_way_through_its_login_is_not_sent_to_the_second_step(payload, api_client_token):
    """MFARequiredMiddleware sends a password-only session to the second step; the API drops the
    session, so a token request with such a cookie is answered by the API, not redirected."""
    professional = CaseFactory().responsible
    browser = Client()
    assert browser.post(reverse("accounts:login"), {"username": professional.username, "password": PASSWORD})
    assert browser.get(reverse("cases:list")).status_code == 302  # the session waits for its second step
    cookie = browser.cookies[settings.SESSION_COOKIE_NAME].value
    _client, token = api_client_token

    response = browser.post(INTAKES, payload(), content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")
    also_without_token = browser.post(INTAKES, payload(), content_type="application/json")

    assert cookie
    assert response.status_code == 201
    _assert_401_problem(also_without_token)


def test_the_new_token_service_changes_the_hash(api_client_token, administrator):
    client, old = api_client_token

    new = api_client_new_token(actor=administrator, client=client)

    client.refresh_from_db()
    assert client.token_hash == hashlib.sha256(new.encode()).hexdigest() != hashlib.sha256(old.encode()).hexdigest()


def test_making_a_client_and_a_new_token_are_audited_without_the_hash(api_client_token, administrator):
    from auditlog.models import LogEntry

    client, _token = api_client_token
    api_client_new_token(actor=administrator, client=client)
    client.refresh_from_db()

    entries = LogEntry.objects.get_for_object(client).order_by("pk")

    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert {entry.actor_id for entry in entries} == {administrator.pk}
    assert "token_prefix" in entries[1].changes
    assert all(client.token_hash not in str(entry.changes) for entry in entries)
    assert LogEntry.objects.get_for_object(client.user).get().actor_id == administrator.pk
