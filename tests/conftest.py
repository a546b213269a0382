import pytest

from tests.oidc_provider import oidc_provider_url, sso  # noqa: F401 - fixtures


@pytest.fixture(autouse=True)
def _db_for_all(db):
    """Every test here touches the database; make that explicit once."""


@pytest.fixture
def reference_data(transactional_db):
    """The role groups and the life domains and topics of the data migrations, for tests with
    committed data: the flush after every transactional test wipes them."""
    import importlib

    import django.apps
    from django.contrib.auth.models import Group

    from accounts.roles import Role, sync_role_permissions

    for role in Role:
        Group.objects.get_or_create(name=role.value)
    importlib.import_module("cases.migrations.0002_reference_data").create(django.apps.apps, None)
    sync_role_permissions()


@pytest.fixture(autouse=True)
def _dutch(settings):
    settings.LANGUAGE_CODE = "nl"


@pytest.fixture(autouse=True)
def _test_client_logins_pass_mfa(request, monkeypatch):
    """``client.login()`` in tests logs in *with* a verified second factor, as if the user had
    just typed their code, so page tests test pages. The MFA and lockout tests mark themselves
    ``real_login`` and go through the real login form and code check instead."""
    if request.node.get_closest_marker("real_login"):
        return
    from django.contrib.auth import get_user_model
    from django.test import Client

    from perf.bench import log_in_verified

    def login(self, **credentials) -> bool:
        user = get_user_model().objects.filter(username=credentials.get("username")).first()
        if user is None or not user.is_active or not user.check_password(credentials.get("password", "")):
            return False
        log_in_verified(self, user, device_name="test")
        return True

    monkeypatch.setattr(Client, "login", login)


@pytest.fixture
def app_log():
    """What the app logs during the test (a function giving the text so far), rendered by the
    formatter of the settings, at INFO."""
    import io
    import logging

    from base.logs import JsonFormatter

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield stream.getvalue
    root.removeHandler(handler)
    root.setLevel(level)
