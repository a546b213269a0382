"""Two-step login for every account (BIO2 5.17.01), lockout after failed logins, and the
admin site only for verified functional administrators. Real login forms, no shortcuts."""

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import mfa
from tests.factories import PASSWORD, CaseFactory, make_administrator

pytestmark = pytest.mark.real_login


def _password_step(client: Client, user) -> None:
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.fixture
def professional_with_totp():
    user = CaseFactory(active=True).responsible
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user, device


def test_password_alone_opens_no_page(professional_with_totp):
    user, _device = professional_with_totp
    client = Client()
    _password_step(client, user)

    for url in (reverse("home"), reverse("cases:list"), reverse("volunteers:my_cases"), "/beheer/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("accounts:mfa_verify"))


def test_a_wrong_code_is_refused_with_a_message(professional_with_totp):
    user, _device = professional_with_totp
    client = Client()
    _password_step(client, user)

    response = client.post(reverse("accounts:mfa_verify"), {"token": "000000"})

    assert response.status_code == 200
    assert "niet goed" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_the_right_totp_code_opens_the_app_and_returns_to_next(professional_with_totp):
    user, device = professional_with_totp
    client = Client()
    _password_step(client, user)

    response = client.post(reverse("accounts:mfa_verify"), {"token": _code(device), "next": "/casussen/"})

    assert response.status_code == 302 and response.url == "/casussen/"
    assert client.get(reverse("cases:list")).status_code == 200


def test_next_may_not_leave_the_site(professional_with_totp):
    user, device = professional_with_totp
    client = Client()
    _password_step(client, user)

    response = client.post(reverse("accounts:mfa_verify"), {"token": _code(device), "next": "https://evil.example/"})

    assert response.url == "/"


def test_a_backup_code_works_once(professional_with_totp):
    user, _device = professional_with_totp
    codes = mfa.backup_codes_renew(user=user)
    first, second = Client(), Client()

    _password_step(first, user)
    ok = first.post(reverse("accounts:mfa_verify"), {"token": codes[0]})
    _password_step(second, user)
    reused = second.post(reverse("accounts:mfa_verify"), {"token": codes[0]})

    assert ok.status_code == 302
    assert reused.status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == len(codes) - 1


def test_a_new_account_sets_up_totp_and_gets_backup_codes():
    user = CaseFactory().responsible
    client = Client()
    _password_step(client, user)

    page = client.get(reverse("home"))
    assert page.url.startswith(reverse("accounts:mfa_setup"))
    setup = client.get(reverse("accounts:mfa_setup")).content.decode()
    assert "<svg" in setup
    assert not TOTPDevice.objects.filter(user=user).exists()  # showing the page writes nothing
    device = TOTPDevice(key=client.session[mfa.PENDING_KEY])  # what the authenticator app scanned
    response = client.post(reverse("accounts:mfa_setup"), {"token": _code(device)})

    body = response.content.decode()
    assert response.status_code == 200
    assert StaticToken.objects.filter(device__user=user).count() == mfa.BACKUP_CODES
    assert StaticToken.objects.filter(device__user=user).first().token in body
    assert client.get(reverse("home")).status_code == 200


def test_admin_needs_mfa_and_the_administrator_role():
    admin_user = make_administrator()
    device = TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    client = Client()
    _password_step(client, admin_user)

    before = client.get("/beheer/")
    client.post(reverse("accounts:mfa_verify"), {"token": _code(device)})
    after = client.get("/beheer/")

    assert before.status_code == 302
    assert after.status_code == 200


def test_staff_flag_without_the_role_does_not_open_the_admin():
    user = CaseFactory().responsible
    user.is_staff = True
    user.save()
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client = Client()
    _password_step(client, user)
    client.post(reverse("accounts:mfa_verify"), {"token": _code(device)})

    response = client.get("/beheer/")

    assert response.status_code == 302
    assert "login" in response.url


def test_five_failed_logins_lock_the_name_with_a_dutch_page(professional_with_totp):
    user, _device = professional_with_totp
    client = Client()

    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "wrong-password"})
    locked = client.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    assert locked.status_code == 429
    assert "geblokkeerd" in locked.content.decode().lower()
    assert client.get(reverse("home")).status_code == 302


def test_a_failed_login_says_so_and_keeps_the_name(professional_with_totp):
    user, _device = professional_with_totp

    response = Client().post(reverse("accounts:login"), {"username": user.username, "password": "nope"})

    assert response.status_code == 200
    assert user.username in response.content.decode()


def test_the_set_up_page_makes_no_device_for_an_account_that_has_one(professional_with_totp):
    user, device = professional_with_totp
    client = Client()
    _password_step(client, user)
    client.post(reverse("accounts:mfa_verify"), {"token": _code(device)})

    response = client.get(reverse("accounts:mfa_setup"))

    assert response.status_code == 302
    assert list(TOTPDevice.objects.filter(user=user)) == [device]


def test_a_wrong_first_code_keeps_one_pending_device_and_counts_the_failure():
    user = CaseFactory().responsible
    client = Client()
    _password_step(client, user)
    client.get(reverse("accounts:mfa_setup"))

    for _attempt in range(2):
        client.post(reverse("accounts:mfa_setup"), {"token": "000000"})

    pending = TOTPDevice.objects.get(user=user)
    assert not pending.confirmed and pending.throttling_failure_count >= 1


def test_an_overlong_login_name_is_refused_with_a_message_not_an_error():
    client = Client(raise_request_exception=False)

    response = client.post(reverse("accounts:login"), {"username": "x" * 1_000, "password": "wachtwoord"})

    assert response.status_code == 200  # the login form again, with its message


def test_setting_up_the_app_is_audited_with_its_owner_and_a_login_writes_nothing():
    from auditlog.models import LogEntry

    device_entries = LogEntry.objects.filter(content_type__model__in=["totpdevice", "staticdevice"])
    user = CaseFactory().responsible
    client = Client()
    _password_step(client, user)
    client.get(reverse("accounts:mfa_setup"))
    client.post(reverse("accounts:mfa_setup"), {"token": _code(TOTPDevice(key=client.session[mfa.PENDING_KEY]))})

    assert {entry.content_type.model for entry in device_entries} == {"totpdevice", "staticdevice"}
    assert set(device_entries.values_list("actor", flat=True)) == {user.pk}
    written = device_entries.count()

    client.post(reverse("accounts:logout"))
    _password_step(client, user)
    # (a backup code: the app's code of a moment ago is used already)
    client.post(reverse("accounts:mfa_verify"), {"token": StaticToken.objects.filter(device__user=user)[0].token})

    assert client.get(reverse("home")).status_code == 200
    assert device_entries.count() == written
