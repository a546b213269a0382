"""Passkeys (WebAuthn, django-otp-webauthn) as a second step beside the authenticator app: the
page "Your second step" per state, adding a passkey only in a verified session, removing only
your own and never the last second step (audited, ``access_version`` raised), the verification
page's passkey option, and which of the library's endpoints an unverified session may call.

The browser's part (a real passkey made and used by Chromium's virtual authenticator) is
``tests/e2e/test_passkeys.py``; here the WebAuthn signature checks of py_webauthn are replaced
where a test needs a ceremony to succeed."""

import json
import os
import re
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn import exceptions as webauthn_exceptions
from django_otp_webauthn import helpers as webauthn_helpers
from django_otp_webauthn.models import WebAuthnCredential, WebAuthnUserHandle
from webauthn.helpers.structs import CredentialDeviceType

from accounts import passkeys
from accounts.models import User
from base.audit import acting_as
from tests.factories import PASSWORD, TeamFactory, make_professional
from wijkteam.middleware import MFA_EXEMPT_URL_NAMES

PAGES = ["accounts:second_step", "accounts:passkey_add", "accounts:passkey_create"]


def make_passkey(user: User, name: str = "Laptop", **fields) -> WebAuthnCredential:
    """A stored passkey as the library saves it after a registration (the key is not used here)."""
    with acting_as(user):
        return WebAuthnCredential.objects.create(
            user=user,
            name=name,
            credential_id=os.urandom(32),
            public_key=b"public-key",
            aaguid="00000000-0000-0000-0000-000000000000",
            **fields,
        )


@pytest.fixture
def professional(client):
    user = make_professional(TeamFactory())
    client.login(username=user.username, password=PASSWORD)  # verified (tests/conftest.py)
    return user


def _password_only(user: User) -> Client:
    """Logged in with the password through the real form, the second step not done yet."""
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


# --- the pages per state ----------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_the_login_page(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_remove_page_sends_anonymous_to_the_login_page(client):
    passkey = make_passkey(make_professional(TeamFactory()))

    for response in (client.get(_remove_url(passkey)), client.post(_remove_url(passkey))):
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_the_page_lists_the_app_and_the_passkeys_with_when_added_and_last_used(client, professional):
    TOTPDevice.objects.create(user=professional, name="app", confirmed=True)
    make_passkey(professional, name="Werklaptop")
    make_passkey(make_professional(TeamFactory()), name="Van een ander")

    html = client.get(reverse("accounts:second_step")).content.decode()

    assert "Werklaptop" in html and "Van een ander" not in html
    assert reverse("accounts:passkey_add") in html
    assert len(re.findall(r"/tweede-stap/passkey/\d+/verwijderen/", html)) == 1


def test_the_header_links_to_the_second_step_page(client, professional):
    html = client.get(reverse("my_calendar")).content.decode()

    assert f'class="account__link" href="{reverse("accounts:second_step")}"' in html


@pytest.mark.real_login
def test_a_password_alone_cannot_add_a_passkey():
    user = make_professional(TeamFactory())
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = _password_only(user)

    pages = [client.get(reverse(name)) for name in PAGES]
    begin = client.post(reverse("otp_webauthn:credential-registration-begin"))
    complete = client.post(reverse("otp_webauthn:credential-registration-complete"), {})

    for response in [*pages, begin, complete]:
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:mfa_verify"))
    assert not WebAuthnUserHandle.objects.filter(user=user).exists()  # the ceremony never began


@pytest.mark.real_login
def test_an_account_without_any_second_step_cannot_make_a_passkey_its_first():
    """The library lets an account without devices register a passkey unverified; not here."""
    user = make_professional(TeamFactory())
    client = _password_only(user)

    begin = client.post(reverse("otp_webauthn:credential-registration-begin"))

    assert begin.status_code == 302 and begin.url.startswith(reverse("accounts:mfa_setup"))


def test_the_helper_refuses_to_register_for_an_unverified_session():
    """Defence in depth behind the middleware: the helper the library calls checks it too."""
    user = make_professional(TeamFactory())
    request = RequestFactory().post("/")
    request.user = user
    user.is_verified = lambda: False

    with pytest.raises(webauthn_exceptions.NotVerified):
        passkeys.PasskeyHelper(request).register_begin(user)


def test_naming_a_passkey_leads_to_the_page_that_makes_it(client, professional):
    without_name = client.get(reverse("accounts:passkey_create"))
    empty = client.post(reverse("accounts:passkey_add"), {"name": "  "})
    named = client.post(reverse("accounts:passkey_add"), {"name": "Mijn telefoon"})
    page = client.get(reverse("accounts:passkey_create")).content.decode()

    assert without_name.status_code == 302 and without_name.url == reverse("accounts:passkey_add")
    assert empty.status_code == 200 and "field__error" in empty.content.decode()
    assert named.status_code == 302 and named.url == reverse("accounts:passkey_create")
    assert "Mijn telefoon" in page
    assert 'id="passkey-register-button"' in page and 'id="otp_webauthn_config"' in page
    assert client.session[passkeys.PENDING_NAME_KEY] == "Mijn telefoon"


def test_the_pages_carry_no_inline_script(client, professional):
    """The library's template tags give a JSON data block and script files, nothing to execute
    inline: the Content-Security-Policy (script-src 'self') holds."""
    client.post(reverse("accounts:passkey_add"), {"name": "Laptop"})

    html = client.get(reverse("accounts:passkey_create")).content.decode()

    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(" src=" in tag or 'type="application/json"' in tag for tag in scripts), scripts
    assert 'src="/static/django_otp_webauthn/otp_webauthn_register.js"' in html
    assert "style=" not in html


# --- adding: the library's registration, with our helper ----------------------------------------


@pytest.fixture
def registration_without_signature_checks(monkeypatch):
    """py_webauthn's checks of the authenticator's answer pass (the browser journey makes a
    real passkey); everything around them is the library's and ours."""
    answer = SimpleNamespace(
        aaguid="00000000-0000-0000-0000-000000000000",
        credential_id=b"credential-from-the-test",
        credential_public_key=b"public-key",
        sign_count=0,
        credential_device_type=CredentialDeviceType.SINGLE_DEVICE,
        credential_backed_up=False,
        attestation_object=b"",
    )
    parsed = SimpleNamespace(response=SimpleNamespace(transports=None, client_data_json=b"{}"))
    monkeypatch.setattr(webauthn_helpers, "parse_registration_credential_json", lambda data: parsed)
    monkeypatch.setattr(webauthn_helpers, "verify_registration_response", lambda **kwargs: answer)
    monkeypatch.setattr(passkeys.PasskeyHelper, "create_attestation", lambda self, *args: None)


def test_a_passkey_made_after_naming_it_gets_its_name_is_audited_and_raises_the_access_version(
    client, professional, registration_without_signature_checks
):
    version = professional.access_version
    client.post(reverse("accounts:passkey_add"), {"name": "Sleutelbos"})
    begin = client.post(reverse("otp_webauthn:credential-registration-begin"))

    complete = client.post(
        reverse("otp_webauthn:credential-registration-complete"), data="{}", content_type="application/json"
    )

    assert begin.status_code == 200 and begin.json()["rp"]["id"]
    assert complete.status_code == 200, complete.content
    passkey = WebAuthnCredential.objects.get(pk=complete.json()["id"])
    assert (passkey.user, passkey.name, passkey.confirmed) == (professional, "Sleutelbos", True)
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(WebAuthnCredential))
    assert (entry.action, entry.actor, entry.changes["name"][1]) == (LogEntry.Action.CREATE, professional, "Sleutelbos")
    assert _fresh(professional).access_version > version
    assert passkeys.PENDING_NAME_KEY not in client.session
    assert "Sleutelbos" in client.get(reverse("accounts:second_step")).content.decode()  # and the message


# --- removing -----------------------------------------------------------------------------------


def _remove_url(passkey: WebAuthnCredential) -> str:
    return reverse("accounts:passkey_remove", args=[passkey.pk])


def test_someone_elses_passkey_is_not_found(client, professional):
    theirs = make_passkey(make_professional(TeamFactory()))

    assert client.get(_remove_url(theirs)).status_code == 404
    assert client.post(_remove_url(theirs)).status_code == 404
    assert client.get(reverse("accounts:passkey_remove", args=[2**40])).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=theirs.pk).exists()


def test_removing_asks_first_then_removes_audited_and_raises_the_access_version(client, professional):
    TOTPDevice.objects.create(user=professional, name="app", confirmed=True)
    passkey = make_passkey(professional, name="Oude laptop")
    version = _fresh(professional).access_version

    question = client.get(_remove_url(passkey))
    response = client.post(_remove_url(passkey))

    assert question.status_code == 200 and "Oude laptop" in question.content.decode()
    assert response.status_code == 302 and response.url == reverse("accounts:second_step")
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    entry = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(WebAuthnCredential), action=LogEntry.Action.DELETE
    ).get()
    assert (entry.actor, entry.object_pk) == (professional, str(passkey.pk))
    assert _fresh(professional).access_version > version


def test_the_last_second_step_is_not_removed(client, professional):
    """Without an authenticator app (say the administrator removed it) a passkey that is the only
    second step stays; backup codes alone run out."""
    passkey = make_passkey(professional)

    question = client.get(_remove_url(passkey)).content.decode()
    response = client.post(_remove_url(passkey), follow=True)

    assert "<form" not in question.split("<main", 1)[1].split("</main>", 1)[0]
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert "alert--error" in response.content.decode()


def test_another_passkey_counts_as_a_second_step(professional):
    first, second = make_passkey(professional, name="a"), make_passkey(professional, name="b")

    passkeys.passkey_remove(actor=professional, passkey=first)

    assert list(WebAuthnCredential.objects.filter(user=professional)) == [second]


@pytest.mark.real_login
def test_removing_the_passkey_of_this_login_asks_for_the_second_step_again():
    user = make_professional(TeamFactory())
    app = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = _password_only(user)
    client.post(reverse("accounts:mfa_verify"), {"token": _code(app)})
    passkey = make_passkey(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = passkey.persistent_id  # as after logging in with the passkey
    session.save()

    client.post(_remove_url(passkey))
    response = client.get(reverse("accounts:second_step"))

    assert response.status_code == 302 and response.url.startswith(reverse("accounts:mfa_verify"))


# --- verifying with a passkey -------------------------------------------------------------------


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.real_login
def test_the_verification_page_offers_the_passkey_only_to_who_has_one():
    without, holder = make_professional(TeamFactory()), make_professional(TeamFactory())
    for user in (without, holder):
        TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    make_passkey(holder)

    plain = _password_only(without).get(reverse("accounts:mfa_verify")).content.decode()
    offered = _password_only(holder).get(reverse("accounts:mfa_verify")).content.decode()

    assert "passkey-verification-button" not in plain and "otp_webauthn" not in plain
    assert 'id="passkey-verification-button"' in offered and 'id="id_token"' in offered  # beside the code
    assert 'id="otp_webauthn_config"' in offered and "otp_webauthn_auth.js" in offered


@pytest.fixture
def authentication_without_signature_checks(monkeypatch):
    def parse(data):
        return SimpleNamespace(raw_id=bytes.fromhex(data["rawIdHex"]))

    def verify(**kwargs):
        return SimpleNamespace(new_sign_count=kwargs["credential_current_sign_count"] + 1, credential_backed_up=False)

    monkeypatch.setattr(webauthn_helpers, "parse_authentication_credential_json", parse)
    monkeypatch.setattr(webauthn_helpers, "verify_authentication_response", verify)


def _use_passkey(client: Client, passkey: WebAuthnCredential, next_url: str):
    begin = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    assert begin.status_code == 200, begin.content
    url = reverse("otp_webauthn:credential-authentication-complete") + "?" + f"next={next_url}"
    return client.post(url, data=json.dumps({"rawIdHex": passkey.credential_id.hex()}), content_type="application/json")


@pytest.mark.real_login
def test_a_passkey_verifies_the_login_and_returns_to_next(authentication_without_signature_checks):
    user = make_professional(TeamFactory())
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    passkey = make_passkey(user)
    client = _password_only(user)
    changes_before = LogEntry.objects.count()

    before = client.get(reverse("accounts:second_step"))
    response = _use_passkey(client, passkey, "/account/tweede-stap/")

    assert before.status_code == 302  # the password alone opens nothing
    assert response.status_code == 200 and response.json()["redirect_url"] == "/account/tweede-stap/"
    assert client.get(reverse("accounts:second_step")).status_code == 200
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None and passkey.sign_count == 1
    assert LogEntry.objects.count() == changes_before  # a login with it is no change to audit


@pytest.mark.real_login
def test_next_may_not_leave_the_site_with_a_passkey_either(authentication_without_signature_checks):
    user = make_professional(TeamFactory())
    passkey = make_passkey(user)
    client = _password_only(user)

    response = _use_passkey(client, passkey, "https://evil.example/")

    assert response.json()["redirect_url"] == "/"


@pytest.mark.real_login
def test_someone_elses_passkey_does_not_verify_my_login(authentication_without_signature_checks):
    user, other = make_professional(TeamFactory()), make_professional(TeamFactory())
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    theirs = make_passkey(other)
    client = _password_only(user)

    response = _use_passkey(client, theirs, "/")

    assert response.status_code == 403
    assert client.get(reverse("home")).status_code == 302


def test_without_a_password_a_passkey_opens_nothing(client):
    """Passkeys are the second step only: the library's passwordless login is off."""
    response = client.post(reverse("otp_webauthn:credential-authentication-begin"))

    assert response.status_code == 403
    assert response.json()["code"] == "passwordless_login_disabled"


# --- which endpoints an unverified session may reach ---------------------------------------------


def test_only_the_verification_endpoints_are_exempt_from_the_second_step():
    library = {name for name in MFA_EXEMPT_URL_NAMES if name.startswith("otp_webauthn:")}

    assert library == {
        "otp_webauthn:credential-authentication-begin",
        "otp_webauthn:credential-authentication-complete",
        "otp_webauthn:js-i18n-catalog",
    }
    assert not {f"accounts:{name}" for name in ("second_step", "passkey_add", "passkey_create", "passkey_remove")} & (
        MFA_EXEMPT_URL_NAMES
    )


@pytest.mark.real_login
def test_an_unverified_session_reaches_the_verification_endpoints_and_their_translations():
    user = make_professional(TeamFactory())
    passkey = make_passkey(user)
    client = _password_only(user)

    begin = client.post(reverse("otp_webauthn:credential-authentication-begin"))
    catalog = client.get(reverse("otp_webauthn:js-i18n-catalog"))

    assert begin.status_code == 200
    offered = [item["id"] for item in begin.json()["allowCredentials"]]
    assert len(offered) == 1 and offered[0].rstrip("=") == _b64url(passkey.credential_id)
    assert catalog.status_code == 200 and "javascript" in catalog["Content-Type"]


def _b64url(raw: bytes) -> str:
    import base64

    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
