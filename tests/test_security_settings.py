"""Security headers, password hashing, and a clean `check --deploy` under production settings."""

import os
import subprocess
import sys

from django.conf import settings
from django.urls import reverse


def test_csp_without_unsafe_inline_and_other_headers(client):
    response = client.get(reverse("accounts:login"))

    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert "camera=()" in response["Permissions-Policy"]


def test_no_inline_script_or_style_in_any_template():
    from pathlib import Path

    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = path.read_text()
        assert "<script>" not in text and "<style" not in text and ' style="' not in text, path
        assert " onclick=" not in text and " onsubmit=" not in text, path


def test_argon2_hashes_passwords_in_production():
    assert settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher") or "MD5" in settings.PASSWORD_HASHERS[0]
    from wijkteam.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_check_deploy_reports_nothing_under_production_settings():
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "AUDIT_CHAIN_KEY"}
            and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        },
        "DJANGO_SETTINGS_MODULE": "wijkteam.settings.production",
        "SECRET_KEY": "k" * 64 + "-production-like-secret-0123456789abcdefgh",
        "ALLOWED_HOSTS": "wijkteam.example",
        "DATABASE_URL": "sqlite:///:memory:",
        "AUDIT_CHAIN_KEY": "c" * 64,
    }

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_session_expires_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_REFRESH_SECONDS <= 60


def test_activity_renews_the_session_at_most_once_a_minute(client, django_user_model, monkeypatch):
    """Each request within the minute keeps the expiry; the first after it pushes it 30 minutes on."""
    import time
    import types

    from django.contrib.sessions.models import Session

    user = django_user_model.objects.create_user("idle-check", password="Een-lang-wachtwoord-1")
    client.login(username="idle-check", password="Een-lang-wachtwoord-1")
    clock = [time.time()]
    monkeypatch.setattr("wijkteam.middleware.time", types.SimpleNamespace(time=lambda: clock[0]))
    client.get("/")
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    clock[0] += 30
    client.get("/")
    assert Session.objects.get(session_key=key).expire_date == first  # no write within the minute
    clock[0] += 31
    Session.objects.filter(session_key=key).update(expire_date=first)
    client.get("/")
    assert Session.objects.get(session_key=key).expire_date > first
    assert user.is_active


def test_a_short_idle_timeout_renews_often_enough_to_keep_an_active_user_in(
    client, django_user_model, monkeypatch, settings
):
    """With a one-minute idle timeout the renewal comes every 6 seconds, not once a minute
    (which let the session lapse under an active user)."""
    import time
    import types

    from django.contrib.sessions.models import Session

    from wijkteam.middleware import refresh_interval

    settings.SESSION_COOKIE_AGE = 60
    django_user_model.objects.create_user("short-idle", password="Een-lang-wachtwoord-1")
    client.login(username="short-idle", password="Een-lang-wachtwoord-1")
    clock = [time.time()]
    monkeypatch.setattr("wijkteam.middleware.time", types.SimpleNamespace(time=lambda: clock[0]))
    client.get("/")
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date

    clock[0] += 7
    client.get("/")

    assert refresh_interval() == 6
    assert Session.objects.get(session_key=key).expire_date > first


def test_sqlite_is_set_up_for_two_tabs_and_a_double_tap(tmp_path):
    """WAL, a busy timeout and immediate transactions for the embedded default of `make run`."""
    import subprocess
    import sys

    script = (
        "import django, os; django.setup(); from django.db import connection; "
        "c = connection.cursor(); c.execute('PRAGMA journal_mode'); print(c.fetchone()[0]); "
        "c.execute('PRAGMA busy_timeout'); print(c.fetchone()[0]); "
        "print(connection.settings_dict['OPTIONS']['transaction_mode'])"
    )
    result = subprocess.run(  # noqa: S603  (our own interpreter and a fixed script)
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "DJANGO_SETTINGS_MODULE": "wijkteam.settings.dev",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        },
        cwd=settings.BASE_DIR,
    )

    assert result.stdout.split() == ["wal", "20000", "IMMEDIATE"]
