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
