"""Single sign-on in the browser: the login page's button, the identity provider's own sign-in
page (oidc-provider-mock, started by the tests on localhost), back to Wijkteam and its second
step; and the page that explains a refusal."""

from django_otp.oath import totp

from accounts.models import User
from tests.e2e.conftest import assert_accessible, path_of
from wijkteam import demo


def _sign_in_at_the_provider(page, sub: str) -> None:
    page.wait_for_url(lambda url: "/oauth2/authorize" in url)
    page.fill("input[name=sub]", sub)
    page.get_by_role("button", name="Authorize").click()


def test_a_professional_signs_in_with_the_municipal_account_then_the_code(browser_session, sso):
    browser_session.allow_site(sso.url)
    user = User.objects.get(username="professional")
    sso.set_user("s.devries", email=user.email)
    page = browser_session.new_page()

    page.goto("/casussen/")  # a page that needs a login: it comes back after
    assert path_of(page) == "/account/inloggen/"
    assert_accessible(page)
    page.get_by_role("link", name="Inloggen met je account van de gemeente").click()
    _sign_in_at_the_provider(page, "s.devries")

    # The provider did no second step that counts (OIDC_PROVIDER_MFA is off): Wijkteam's own.
    page.wait_for_url(lambda url: "/account/verificatie/" in url)
    page.fill("#id_token", f"{totp(bytes.fromhex(demo.totp_key('professional'))):06d}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: path_of(page) == "/casussen/")
    assert page.locator("h1").first.is_visible()


def test_the_providers_second_step_counts_when_the_setting_says_so(browser_session, sso, settings):
    settings.OIDC_PROVIDER_MFA = True
    browser_session.allow_site(sso.url)
    user = User.objects.get(username="professional")
    sso.set_user("s.devries-mfa", email=user.email, amr=["pwd", "otp"])
    settings.OIDC_MFA_AMR = ["otp"]
    page = browser_session.new_page()

    page.goto("/account/inloggen/")
    page.get_by_role("link", name="Inloggen met je account van de gemeente").click()
    _sign_in_at_the_provider(page, "s.devries-mfa")

    page.wait_for_url(lambda url: path_of(page) == "/")


def test_an_unknown_colleague_is_told_to_ask_the_administrator(browser_session, sso):
    browser_session.allow_site(sso.url)
    page = browser_session.new_page(viewport={"width": 390, "height": 844})

    page.goto("/account/inloggen/")
    page.get_by_role("link", name="Inloggen met je account van de gemeente").click()
    _sign_in_at_the_provider(page, "nieuwe.collega@gemeente.example")

    page.wait_for_url(lambda url: path_of(page) == "/account/gemeente/geweigerd/")
    assert "Inloggen is niet gelukt" in page.locator("h1").inner_text()
    assert "nieuwe.collega@gemeente.example" in page.locator("main").inner_text()
    assert "functioneel beheerder" in page.locator("main").inner_text()
    assert_accessible(page)
    assert not User.objects.filter(email="nieuwe.collega@gemeente.example").exists()
