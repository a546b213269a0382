"""Second factor (django-otp): TOTP in an authenticator app, plus one-time backup codes."""

from base64 import b32encode

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from base.audit import acting_as

from .models import User

BACKUP_CODES = 10


def pending_totp_device(user: User) -> TOTPDevice:
    """The unconfirmed TOTP device being set up (one per user, reused until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


def secret_for_display(device: TOTPDevice) -> str:
    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code, made here (nothing leaves the server)."""
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    return image.to_string(encoding="unicode")


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm the new device with a first code; returns fresh backup codes, or None."""
    if not device.verify_token(token.replace(" ", "")):
        return None
    with acting_as(user):
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        return backup_codes_renew(user=user)


@transaction.atomic
def backup_codes_renew(*, user: User) -> list[str]:
    """Replace all backup codes of the user; each code works once."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="Backup codes", defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes
