"""The verified second-step device is kept in the session (issue [13], fixed costs per request):
no device query on a page once verified, and a device removed or no longer confirmed still
ends the verified session on the very next request, on any app server (the version is on the
user row every request loads)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD, TeamFactory, make_professional


def _device_queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    return status, sum("otp_" in q["sql"] for q in queries)


@pytest.fixture
def professional(client):
    user = make_professional(TeamFactory())
    client.login(username=user.username, password=PASSWORD)
    return user


def test_the_second_request_reads_no_device(client, professional):
    assert _device_queries(client, reverse("cases:list")) == (200, 1)  # the first checks the device

    assert _device_queries(client, reverse("cases:list")) == (200, 0)
    assert _device_queries(client, reverse("cases:list")) == (200, 0)


def _delete(device):
    device.delete()


def _unconfirm(device):
    device.confirmed = False
    device.save()


@pytest.mark.parametrize("take_away", [_delete, _unconfirm])
def test_a_device_taken_away_ends_the_verified_session_on_the_very_next_request(client, professional, take_away):
    client.get(reverse("cases:list"))
    assert client.get(reverse("cases:list")).status_code == 200  # now from the session

    take_away(StaticDevice.objects.get(user=professional))

    response = client.get(reverse("cases:list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:mfa_setup"))  # no confirmed device left


def test_another_device_of_the_user_changing_also_checks_again(client, professional):
    client.get(reverse("cases:list"))
    TOTPDevice.objects.create(user=professional, name="phone", confirmed=False)  # a set-up begun

    assert _device_queries(client, reverse("cases:list")) == (200, 1)  # checked again, still verified
    assert _device_queries(client, reverse("cases:list")) == (200, 0)


def test_a_session_verified_for_another_user_is_not_reused(client, professional):
    client.get(reverse("cases:list"))
    other = make_professional(TeamFactory())
    session = client.session
    kept = session["wijkteam_otp_verified"]
    client.login(username=other.username, password=PASSWORD)
    session = client.session
    session["wijkteam_otp_verified"] = [professional.pk, *kept[1:]]  # as if left from the first user
    session.save()

    assert _device_queries(client, reverse("cases:list")) == (200, 1)
