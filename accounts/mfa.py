"""Second factor (django-otp): TOTP in an authenticator app, plus one-time backup codes."""

from base64 import b32encode
from functools import partial

import qrcode
import qrcode.image.svg
from django.db import transaction
from django.utils.functional import SimpleLazyObject
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.middleware import OTPMiddleware
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from base.audit import acting_as

from . import oidc
from .models import User

BACKUP_CODES = 10


PENDING_KEY = "mfa_pending_totp_key"


def pending_totp_device(request) -> TOTPDevice:
    """The TOTP device being set up, *unsaved*: its secret lives in the session until the first
    code confirms it, so showing the set-up page writes nothing to the database."""
    key = request.session.get(PENDING_KEY, "")
    if len(key) != 40 or any(char not in "0123456789abcdef" for char in key):
        key = random_hex(20)
        request.session[PENDING_KEY] = key
    return TOTPDevice(user=request.user, name="Authenticator", key=key, confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code, made here (nothing leaves the server)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> TOTPDevice | None:
    """Check the first code of the device being set up (a POST): the one unconfirmed device row
    of the user carries the secret and its failed attempts (throttling). On success it becomes
    the user's device and the old one goes. Returns the confirmed device, or None."""
    pending = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    pending = pending or TOTPDevice(user=user, name=device.name, confirmed=False)
    if pending.key != device.key:
        pending.key = device.key
        pending.throttling_failure_count = 0
        pending.throttling_failure_timestamp = None
    with acting_as(user):  # the audit log: the person sets up their own app
        pending.save()
        if not pending.verify_token(token.replace(" ", "")):
            return None
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=pending.pk).delete()
        pending.confirmed = True
        pending.save(update_fields=["confirmed"])
        return pending


@transaction.atomic
def backup_codes_renew(*, user: User) -> list[str]:
    """Replace all backup codes of the user; each code works once."""
    with acting_as(user):
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name="Backup codes", defaults={"confirmed": True}
        )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


# --- the verified device in the session ----------------------------------------------------------

VERIFIED_KEY = "wijkteam_otp_verified"


class VerifiedDeviceInSessionMiddleware(OTPMiddleware):
    """django-otp's middleware, minus its device query on every request: the session keeps which
    device verified the user, with the user's ``access_version``. While both still match, the
    device is loaded only if something reads it (``is_verified()`` does not). Saving or deleting
    any of the user's devices raises the version (``accounts.roles``), so a device removed or no
    longer confirmed is checked again on the very next request, on any app server."""

    def _verify_user_sync(self, request, user):
        if user.is_authenticated and (step := oidc.provider_step(request, user)) is not None:
            self._init_user_fields(user)  # the identity provider did the second step
            user.otp_device = step
            return user
        if user.is_authenticated:
            persistent_id = request.session.get(DEVICE_ID_SESSION_KEY)
            if persistent_id and request.session.get(VERIFIED_KEY) == [user.pk, user.access_version, persistent_id]:
                self._init_user_fields(user)
                user.otp_device = SimpleLazyObject(partial(self._device_from_persistent_id, persistent_id))
                return user
        user = super()._verify_user_sync(request, user)
        if user.is_authenticated and user.otp_device is not None:
            request.session[VERIFIED_KEY] = [user.pk, user.access_version, request.session[DEVICE_ID_SESSION_KEY]]
        elif VERIFIED_KEY in request.session:
            del request.session[VERIFIED_KEY]
        return user
