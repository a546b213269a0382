"""Production settings refuse to start without their secrets; defaults follow the design."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "wijkteam.example",
    "DATABASE_URL": "postgres://u@h/db",
    "AUDIT_CHAIN_KEY": "k" * 64,
}


def _import_production(env: dict) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {*PRODUCTION, "DEBUG"}}
    return subprocess.run(
        [sys.executable, "-c", "import wijkteam.settings.production"],
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("missing", sorted(PRODUCTION))
def test_production_refuses_to_start_without(missing):
    env = dict(PRODUCTION)
    del env[missing]

    result = _import_production(env)

    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_with_everything_set():
    result = _import_production(dict(PRODUCTION))

    assert result.returncode == 0, result.stderr


def test_dutch_first_in_amsterdam_time():
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.USE_TZ


def test_pages_are_not_cached(client):
    response = client.get("/account/inloggen/")

    assert "no-store" in response["Cache-Control"]


SSO = {
    "OIDC_RP_CLIENT_ID": "wijkteam",
    "OIDC_RP_CLIENT_SECRET": "s" * 32,
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://login.gemeente.example/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": "https://login.gemeente.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://login.gemeente.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://login.gemeente.example/jwks",
}


def test_production_starts_with_single_sign_on_configured():
    assert _import_production({**PRODUCTION, **SSO, "LOCAL_LOGIN": "volunteers"}).returncode == 0


@pytest.mark.parametrize("missing", sorted(set(SSO) - {"OIDC_RP_CLIENT_ID"}))
def test_single_sign_on_refuses_to_start_half_configured(missing):
    env = {**PRODUCTION, **SSO}
    del env[missing]

    result = _import_production(env)

    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"LOCAL_LOGIN": "volunteers"}, "LOCAL_LOGIN"),  # staff would have no way in
        ({"LOCAL_LOGIN": "nobody"}, "LOCAL_LOGIN"),
        ({**SSO, "OIDC_MATCH_FIELD": "phone"}, "OIDC_MATCH_FIELD"),
    ],
)
def test_login_settings_that_cannot_work_refuse_to_start(env, named):
    result = _import_production({**PRODUCTION, **env})

    assert result.returncode != 0
    assert named in result.stderr
