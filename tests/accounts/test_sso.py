"""Single sign-on with OpenID Connect, against a real provider the tests start on localhost
(tests/oidc_provider.py): the provider says who someone is, Wijkteam decides what they may do."""

import pytest
import requests
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from tests.factories import (
    PASSWORD,
    TeamFactory,
    make_administrator,
    make_coordinator,
    make_privacy_officer,
    make_professional,
    make_volunteer,
)

pytestmark = pytest.mark.real_login


@pytest.fixture
def team():
    return TeamFactory()


def _logged_in_as(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


# --- who gets in -------------------------------------------------------------------------------


@pytest.mark.parametrize("make", [make_professional, make_coordinator, "privacy", "admin"])
def test_every_staff_role_signs_in_and_meets_the_local_second_step(sso, team, make):
    user = {"privacy": lambda team: make_privacy_officer(), "admin": lambda team: make_administrator()}.get(make, make)(
        team
    )
    sso.set_user(f"sub-{user.pk}", email=user.email.upper())  # the match ignores case
    client = Client()

    response = sso.sign_in(client, f"sub-{user.pk}", next_url="/casussen/")

    assert _logged_in_as(client) == user.pk
    assert response.status_code == 302 and response.url == "/casussen/"
    # No second step from the provider (OIDC_PROVIDER_MFA is off): Wijkteam's own follows.
    page = client.get("/casussen/")
    assert page.status_code == 302 and page.url.startswith(reverse("accounts:mfa_setup"))


def test_with_a_device_the_local_second_step_is_the_code(sso, team):
    user = make_professional(team)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    sso.set_user("anna", email=user.email)
    client = Client()
    sso.sign_in(client, "anna")

    page = client.get(reverse("home"))

    assert page.status_code == 302 and page.url.startswith(reverse("accounts:mfa_verify"))


def test_the_providers_second_step_counts_when_the_setting_says_so(sso, team, settings):
    settings.OIDC_PROVIDER_MFA = True
    user = make_professional(team)
    sso.set_user("bram", email=user.email, amr=["pwd", "mfa"])
    client = Client()

    sso.sign_in(client, "bram")

    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("cases:list")).status_code == 200


@pytest.mark.parametrize(
    ("claims", "counts"),
    [
        ({"amr": ["pwd"]}, False),
        ({"amr": "mfa"}, False),  # not a list: the shape the standard gives is a list
        ({"acr": "urn:substantial"}, True),
        ({"acr": "urn:low"}, False),
        ({}, False),
    ],
)
def test_which_provider_claims_count_as_the_second_step(sso, team, settings, claims, counts):
    settings.OIDC_PROVIDER_MFA = True
    settings.OIDC_MFA_ACR = ["urn:substantial", "urn:high"]
    user = make_professional(team)
    sso.set_user("carla", email=user.email, **claims)
    client = Client()

    sso.sign_in(client, "carla")

    assert (client.get(reverse("home")).status_code == 200) is counts


def test_the_providers_second_step_does_not_count_with_the_setting_off(sso, team):
    user = make_professional(team)
    sso.set_user("dirk", email=user.email, amr=["mfa"])
    client = Client()

    sso.sign_in(client, "dirk")

    assert client.get(reverse("home")).status_code == 302


def test_the_providers_step_ends_with_the_session(sso, team, settings):
    settings.OIDC_PROVIDER_MFA = True
    user = make_professional(team)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    sso.set_user("eva", email=user.email, amr=["mfa"])
    client = Client()
    sso.sign_in(client, "eva")
    client.post(reverse("accounts:logout"))

    # The same browser, now with the password: the local second step is asked again.
    client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    assert client.get(reverse("home")).url.startswith(reverse("accounts:mfa_verify"))


def test_matching_by_login_name_when_configured(sso, team, settings):
    settings.OIDC_MATCH_CLAIM = "preferred_username"
    settings.OIDC_MATCH_FIELD = "username"
    settings.OIDC_RP_SCOPES = "openid profile"
    user = make_professional(team, username="f.de.vries")
    sso.set_user("fleur", preferred_username="F.de.Vries", email="someone-else@example.org")
    client = Client()

    sso.sign_in(client, "fleur")

    assert _logged_in_as(client) == user.pk


# --- who does not: the page that says why, and no account made ---------------------------------


def _refused(client, response) -> str:
    assert response.status_code == 302 and response.url == reverse("accounts:sso_refused")
    assert _logged_in_as(client) is None
    page = client.get(response.url)
    assert page.status_code == 200
    return page.content.decode()


def test_an_unknown_identity_is_told_to_ask_the_administrator_and_gets_no_account(sso, team):
    users = User.objects.count()
    sso.set_user("onbekend", email="nieuw@gemeente.example")
    client = Client()

    text = _refused(client, sso.sign_in(client, "onbekend"))

    assert "functioneel beheerder" in text and "nieuw@gemeente.example" in text
    assert User.objects.count() == users
    # The reason is shown once: a reload says the general thing.
    assert "nieuw@gemeente.example" not in client.get(reverse("accounts:sso_refused")).content.decode()


def test_volunteer_staff_are_sent_to_their_own_login(sso, team):
    volunteer = make_volunteer(team)
    sso.set_user("vera", email=volunteer.email)
    client = Client()

    text = _refused(client, sso.sign_in(client, "vera"))

    assert "eigen Wijkteam-account" in text


def test_an_account_without_a_role_or_switched_off_gets_no_way_in(sso, team):
    no_role = User.objects.create_user("zonder-rol", email="zonder@example.org")
    switched_off = make_professional(team, is_active=False)
    for sub, user in (("z1", no_role), ("z2", switched_off)):
        sso.set_user(sub, email=user.email)
        client = Client()

        text = _refused(client, sso.sign_in(client, sub))

        assert "rol" in text


def test_two_accounts_with_the_same_address_sign_in_neither(sso, team):
    one = make_professional(team, email="dubbel@example.org")
    make_professional(team, email="Dubbel@example.org")
    sso.set_user("dubbel", email=one.email)
    client = Client()

    text = _refused(client, sso.sign_in(client, "dubbel"))

    assert "meer dan één" in text.lower()


def test_a_sign_in_without_the_matching_claim_is_refused(sso, team):
    make_professional(team)
    sso.set_user("geen-mail", name="Iemand")
    client = Client()

    text = _refused(client, sso.sign_in(client, "geen-mail"))

    assert "niet afgerond" in text


def test_a_denied_sign_in_at_the_provider_is_explained(sso, team):
    client = Client()
    start = client.get(reverse("accounts:sso_start"))
    denied = requests.post(start.url, data={"action": "deny"}, allow_redirects=False, timeout=5)
    back = denied.headers["Location"]

    response = client.get(back.split("testserver", 1)[1])

    _refused(client, response)


# --- hostile or broken answers: never an error page ---------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {"code": "x", "state": "not-ours"},
        {"code": "x"},
        {"error": "access_denied", "state": "x"},
        {},
        "code=%ED%A0%80&state=%00",
        {"state": "x" * 2000, "code": "y"},
    ],
)
def test_a_forged_or_stale_callback_ends_on_the_explanation(sso, query):
    client = Client()
    client.get(reverse("accounts:sso_start"))  # a state of its own in the session
    url = reverse("accounts:sso_callback")

    response = client.get(f"{url}?{query}") if isinstance(query, str) else client.get(url, query)

    assert response.status_code in (302, 400)
    assert _logged_in_as(client) is None


def test_a_code_the_provider_does_not_know_ends_on_the_explanation(sso):
    client = Client()
    start = client.get(reverse("accounts:sso_start"))
    state = dict(pair.split("=", 1) for pair in start.url.split("?", 1)[1].split("&"))["state"]

    response = client.get(reverse("accounts:sso_callback"), {"code": "made-up", "state": state})

    _refused(client, response)


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("OIDC_OP_TOKEN_ENDPOINT", "http://localhost:9/token"),  # the provider is down: nothing listens
        ("OIDC_OP_JWKS_ENDPOINT", "http://localhost:9/jwks"),  # its keys cannot be read
        ("OIDC_RP_CLIENT_ID", "another-application"),  # the ID token's aud is still wijkteam-test
        ("OIDC_OP_ISSUER", "https://login.elders.example"),  # the token is not from the issuer expected
        ("OIDC_RP_SIGN_ALGO", "HS256"),  # the token is signed another way than agreed
    ],
)
def test_a_sign_in_the_app_cannot_trust_ends_on_the_explanation(sso, team, settings, setting, value):
    user = make_professional(team)
    sso.set_user("hans", email=user.email)
    client = Client()
    back = sso.authorize(client.get(reverse("accounts:sso_start")).url, "hans")
    setattr(settings, setting, value)  # between the provider's answer and the app reading it

    response = client.get(back.split("testserver", 1)[1])

    _refused(client, response)


# --- the local login beside it --------------------------------------------------------------------


def test_the_login_page_offers_the_municipal_account_and_keeps_next(sso):
    page = Client().get(reverse("accounts:login"), {"next": "/casussen/?q=1"})

    text = page.content.decode()
    assert f'href="{reverse("accounts:sso_start")}?next=/casussen/%3Fq%3D1"' in text
    assert "Inloggen met je account van de gemeente" in text


def test_without_a_provider_there_is_no_button_and_no_sso_address(settings):
    assert settings.OIDC_RP_CLIENT_ID == ""
    client = Client()

    assert reverse("accounts:sso_start") not in client.get(reverse("accounts:login")).content.decode()
    for name in ("accounts:sso_start", "accounts:sso_callback", "accounts:sso_refused"):
        assert client.get(reverse(name)).status_code == 404


def test_local_login_for_volunteers_only_sends_staff_to_the_municipal_account(sso, team, settings):
    settings.LOCAL_LOGIN = "volunteers"
    professional = make_professional(team)
    volunteer = make_volunteer(team)
    superuser = User.objects.create_superuser("noodsleutel", "nood@example.org", PASSWORD)

    refused = Client().post(reverse("accounts:login"), {"username": professional.username, "password": PASSWORD})
    assert refused.status_code == 200
    assert "account van de gemeente" in refused.content.decode()
    for user in (volunteer, superuser):
        client = Client()
        response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
        assert response.status_code == 302 and _logged_in_as(client) == user.pk
    page = Client().get(reverse("accounts:login"))
    assert "Vrijwillig medewerker" in page.content.decode()


def test_refused_sign_ins_lock_nobody_out_behind_the_same_address(sso, team, settings):
    """The password lockout (django-axes) counts failed password logins per login name and
    address; refused sign-ins through the provider have no login name, and a municipal office
    shares one address: five unknown colleagues must not lock the office out of the provider."""
    for attempt in range(settings.AXES_FAILURE_LIMIT + 1):
        sso.set_user(f"onbekend-{attempt}", email=f"onbekend-{attempt}@gemeente.example")
        client = Client()
        _refused(client, sso.sign_in(client, f"onbekend-{attempt}"))
    user = make_professional(team)
    sso.set_user("welkom", email=user.email)
    client = Client()

    sso.sign_in(client, "welkom")

    assert _logged_in_as(client) == user.pk


def test_the_second_step_page_says_the_providers_step_counted(sso, team, settings):
    settings.OIDC_PROVIDER_MFA = True
    user = make_professional(team)
    sso.set_user("jan", email=user.email, amr=["mfa"])
    client = Client()
    sso.sign_in(client, "jan")

    page = client.get(reverse("accounts:second_step")).content.decode()

    assert "inloggen bij de gemeente vroeg om je tweede stap" in page
