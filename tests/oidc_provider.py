"""A real OpenID Connect provider for the tests: oidc-provider-mock, started on localhost in a
thread of the test process (nothing leaves the machine). Its users and their claims are set per
test; its sign-in form is answered with ``requests`` (unit tests) or by the browser (e2e)."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
import requests

CLIENT_ID = "wijkteam-test"
CLIENT_SECRET = "wijkteam-test-secret"  # the mock accepts any client


class Provider:
    def __init__(self, url: str) -> None:
        self.url = url

    def set_user(self, sub: str, **claims) -> None:
        """The person ``sub`` with these claims (the ID token and userinfo carry them)."""
        response = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=5)
        response.raise_for_status()

    def authorize(self, authorize_url: str, sub: str) -> str:
        """Answer the provider's sign-in form as ``sub``; the address it sends the browser back to."""
        response = requests.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=5)
        assert response.status_code == 302, response.text[:500]
        return response.headers["Location"]

    def sign_in(self, client, sub: str, *, next_url: str | None = None):
        """The whole round trip with Django's test client: Wijkteam's start, the provider's form,
        Wijkteam's callback. Returns the callback's response."""
        start = client.get("/account/gemeente/", {"next": next_url} if next_url else {})
        assert start.status_code == 302 and start.url.startswith(self.url), start
        back = urlsplit(self.authorize(start.url, sub))
        return client.get(back.path, dict(pair.split("=", 1) for pair in back.query.split("&")))


def configure(settings, url: str) -> None:
    """Point Wijkteam at the provider, as an operator does with the OIDC_* settings."""
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_ISSUER = url
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{url}/oauth2/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{url}/oauth2/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{url}/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{url}/jwks"
    settings.OIDC_VERIFY_KID = False  # the mock signs with its one key and names no `kid`


@pytest.fixture(scope="session")
def oidc_provider_url():
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture
def sso(settings, oidc_provider_url) -> Provider:
    """Single sign-on switched on against the test provider."""
    configure(settings, oidc_provider_url)
    return Provider(oidc_provider_url)
