"""The client's address behind the municipality's reverse proxies (base.network): only the
entries the trusted proxies wrote count, so nobody can forge their address into the audit log
or use the login lockout to lock someone else out from another address."""

import pytest
from auditlog.models import LogEntry
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from base.network import client_address
from tests.factories import PASSWORD, CaseFactory

FORGED = "6.6.6.6"
CLIENT = "145.1.2.3"
PROXY = "10.0.0.2"


def _request(forwarded_for: str | None, remote: str = "127.0.0.1"):
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for is not None else {}
    return RequestFactory().get("/", REMOTE_ADDR=remote, **extra)


@pytest.mark.parametrize(
    "proxies, forwarded_for, expected",
    [
        (0, f"{FORGED}", "127.0.0.1"),  # no proxies: the header is ignored
        (1, None, "127.0.0.1"),  # did not come through the proxy: the connection's address
        (1, f"{CLIENT}", CLIENT),
        (1, f"{FORGED}, {CLIENT}", CLIENT),  # the client wrote the left part itself
        (1, f"{FORGED}, {FORGED}, {CLIENT}", CLIENT),
        (2, f"{FORGED}, {CLIENT}, {PROXY}", CLIENT),
        (2, f"{CLIENT}, {PROXY}", CLIENT),
        (1, "niet-een-adres", "127.0.0.1"),
    ],
)
def test_the_client_address_is_the_one_the_outermost_trusted_proxy_wrote(settings, proxies, forwarded_for, expected):
    settings.TRUSTED_PROXY_COUNT = proxies

    assert client_address(_request(forwarded_for)) == expected


@pytest.mark.real_login
def test_failed_logins_from_another_address_do_not_lock_the_owner_out(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = CaseFactory(active=True).responsible
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    attacker = Client(HTTP_X_FORWARDED_FOR=f"{CLIENT}, {FORGED}")  # claims the owner's address, in vain
    owner = Client(HTTP_X_FORWARDED_FOR=CLIENT)

    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        attacker.post(reverse("accounts:login"), {"username": user.username, "password": "fout-wachtwoord"})
    locked = attacker.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})
    own = owner.post(reverse("accounts:login"), {"username": user.username, "password": PASSWORD})

    assert locked.status_code == 429  # the attacker's address is locked for this name
    assert own.status_code == 302  # the owner, from their own address, goes on to the second factor


def test_the_audit_log_keeps_the_address_the_proxy_saw_not_a_forged_one(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    case = CaseFactory(active=True)
    client.login(username=case.responsible.username, password=PASSWORD)

    client.post(
        reverse("cases:journal_add", args=[case.pk]),
        {"text": "Gebeld", "visibility": "professionals"},
        HTTP_X_FORWARDED_FOR=f"{FORGED}, {CLIENT}",
    )

    entry = LogEntry.objects.filter(actor=case.responsible).latest("timestamp")
    assert entry.remote_addr == CLIENT
