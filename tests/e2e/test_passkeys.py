"""A passkey as the second step, in Debian's Chromium with its virtual authenticator (the Chrome
DevTools Protocol's WebAuthn domain): a real passkey is made by the browser, stored by
django-otp-webauthn and used to log in, under the app's Content-Security-Policy (any violation
fails the test, tests/e2e/conftest.py).

WebAuthn needs a secure context and a relying-party ID that is the page's host: the live server
is ``http://localhost:<port>`` (localhost is a secure context), so the test sets the RP ID to
``localhost`` and the allowed origin to the live server's.
"""

from urllib.parse import urlsplit

import pytest
from django_otp_webauthn.models import WebAuthnCredential
from playwright.sync_api import expect

from accounts.models import User
from base.audit import acting_as
from tests.e2e.conftest import PHONE, assert_accessible, horizontal_overflow, login, path_of, screenshot
from wijkteam import demo

VIRTUAL_AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
}


@pytest.fixture
def passkey_settings(browser_session, settings):
    host = urlsplit(browser_session.origin).hostname
    assert host == "localhost", "WebAuthn refuses an IP address as its relying party"
    settings.OTP_WEBAUTHN_RP_ID = host
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [browser_session.origin]


def with_virtual_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send("WebAuthn.addVirtualAuthenticator", {"options": VIRTUAL_AUTHENTICATOR})


def test_add_a_passkey_log_out_and_log_in_with_password_and_passkey(browser_session, passkey_settings):
    page = browser_session.new_page()
    with_virtual_authenticator(page)
    login(page, "professional")  # password and the authenticator app's code

    # The header leads to "Your second step"; the app is there, no passkey yet.
    page.locator("header .account__link").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/account/tweede-stap/")
    assert_accessible(page)
    page.locator("main a[href='/account/tweede-stap/passkey/']").click()

    # Name it, then let the browser make it.
    page.fill("#id_name", "Laptop van de test")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/account/tweede-stap/passkey/maken/")
    button = page.locator("#passkey-register-button")
    expect(button).to_be_visible()
    assert_accessible(page)
    screenshot(page, "professional", "passkey-create")
    button.click()

    page.wait_for_url(lambda url: urlsplit(url).path == "/account/tweede-stap/")
    expect(page.locator("main .passkey-list")).to_contain_text("Laptop van de test")
    expect(page.locator("main .messages")).to_contain_text("Laptop van de test")
    passkey = WebAuthnCredential.objects.get(user__username="professional")
    assert passkey.name == "Laptop van de test"
    assert_accessible(page)
    screenshot(page, "professional", "second-step")

    # Log out, then in again: the password, then the passkey instead of a code.
    page.locator("header form[action='/account/uitloggen/'] button").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/account/inloggen/")
    page.fill("#id_username", "professional")
    page.fill("#id_password", demo.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/account/verificatie/")
    use_passkey = page.locator("#passkey-verification-button")
    expect(use_passkey).to_be_visible()
    expect(page.locator("#id_token")).to_be_visible()  # the code stays beside it
    assert_accessible(page)
    screenshot(page, "professional", "mfa-verify-passkey")
    use_passkey.click()

    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    assert path_of(page) == "/"
    page.goto("/account/tweede-stap/")  # verified: no way back to the second step
    assert path_of(page) == "/account/tweede-stap/"
    passkey.refresh_from_db()
    assert passkey.last_used_at is not None


def test_the_second_step_page_fits_a_phone(browser_session, passkey_settings):
    page = browser_session.new_page(PHONE)
    with_virtual_authenticator(page)
    login(page, "volunteer")
    user = User.objects.get(username="volunteer")
    with acting_as(user):  # as if made on this phone a while ago
        WebAuthnCredential.objects.create(
            user=user, name="Telefoon met een heel lange naam", credential_id=b"phone", public_key=b"k", aaguid="0" * 36
        )

    page.goto("/account/tweede-stap/")

    assert horizontal_overflow(page) == 0
    assert_accessible(page)
    page.locator("main a[href*='/verwijderen/']").click()
    assert horizontal_overflow(page) == 0
    assert_accessible(page)
    screenshot(page, "volunteer", "passkey-remove")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/account/tweede-stap/")
    assert not WebAuthnCredential.objects.filter(user=user).exists()
