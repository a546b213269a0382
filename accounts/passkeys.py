"""Passkeys (WebAuthn) as a second step after the password, beside the authenticator app.

django-otp-webauthn does the ceremonies: its endpoints (``otp_webauthn:*``, under
``account/webauthn/``) and its scripts; a passkey is its ``WebAuthnCredential``, a django-otp
device, so ``django_otp.login`` marks the session verified as a TOTP code does. This module holds
what is ours: the rules of the helper the library calls (``OTP_WEBAUTHN_HELPER_CLASS``), the
policy over a person's passkeys, and the one write of our own pages (removing a passkey).

The rules:

* A passkey is never the first step: ``OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN`` is off, so the
  library's verification endpoints answer only a user who gave the password.
* Only a verified session adds a passkey (BIO2 5.17.01: a stolen password alone must not enrol a
  new factor). The library lets an account *without* any device register its first passkey
  unverified; here that is refused too, and its endpoints are not exempt from
  ``MFARequiredMiddleware``.
* The authenticator app stays: passkeys are added beside it (an account gets the app at its first
  login) and a person cannot remove their app here. A passkey lives on one phone, laptop or key,
  which gets lost or replaced; the app with its backup codes is the way back in. Removing a passkey
  is refused when it would leave the account without any second step (an app removed by the
  administrator, say).
* Adding and removing are audited with their actor (``accounts.apps``); every change to a
  person's devices raises their ``access_version`` (``accounts.roles``), so a removed passkey no
  longer verifies any session of theirs from the next request on.
"""

from __future__ import annotations

import enum

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.models import WebAuthnCredential

from base.audit import acting_as
from base.policy import Policy

from .models import User

PENDING_NAME_KEY = "passkey_pending_name"  # the name typed before the browser makes the passkey
NAME_MAX_LENGTH = 64  # django-otp's Device.name


class PasskeyHelper(WebAuthnHelper):
    """django-otp-webauthn's helper with the app's rules: registering needs a verified session,
    the new passkey gets the name the person typed, and the write is audited with its actor."""

    def register_begin(self, user):
        _require_verified(self.request)
        return super().register_begin(user)

    def register_complete(self, user, state, data):
        _require_verified(self.request)
        with transaction.atomic(), acting_as(user):
            device = super().register_complete(user, state, data)
        messages.success(self.request, _("Your passkey “%(name)s” is added.") % {"name": device.name})
        return device

    def create_credential(self, user, response, parsed_credential, original_data):
        device = super().create_credential(user, response, parsed_credential, original_data)
        name = str(self.request.session.pop(PENDING_NAME_KEY, "") or "").strip()
        device.name = name[:NAME_MAX_LENGTH] or _("Passkey")
        return device


def _require_verified(request) -> None:
    user = request.user
    if not (user.is_authenticated and user.is_verified()):
        raise exceptions.NotVerified()


# --- the policy: a person's own passkeys ----------------------------------------------------------


class PasskeyPolicy(Policy[WebAuthnCredential]):
    """Everyone sees and removes only their own passkeys; someone else's answers 404."""

    model = WebAuthnCredential

    class Action(enum.Enum):
        VIEW = "view"
        REMOVE = "remove"

    def scope(self, user, action=Action.VIEW) -> QuerySet[WebAuthnCredential]:
        if not (user.is_authenticated and user.is_active):
            return WebAuthnCredential.objects.none()
        return WebAuthnCredential.objects.filter(user=user)


passkey_policy = PasskeyPolicy()


def passkeys_of(user: User) -> QuerySet[WebAuthnCredential]:
    return passkey_policy.scope(user).order_by("created_at", "pk")


def has_passkey(user: User) -> bool:
    """Whether the verification page offers "Use your passkey"."""
    return passkey_policy.scope(user).filter(confirmed=True).exists()


def second_steps(user: User) -> dict:
    """What the page "Your second step" shows: the authenticator app, the backup codes left and
    the passkeys. Three queries."""
    passkeys = list(passkeys_of(user))
    return {
        "authenticator": TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first(),
        "backup_codes_left": StaticToken.objects.filter(device__user=user, device__confirmed=True).count(),
        "passkeys": passkeys,
    }


def removal_leaves_a_second_step(*, user: User, passkey: WebAuthnCredential) -> bool:
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or WebAuthnCredential.objects.filter(user=user, confirmed=True).exclude(pk=passkey.pk).exists()
    )


@transaction.atomic
def passkey_remove(*, actor: User, passkey: WebAuthnCredential) -> None:
    """Remove one of the actor's own passkeys, audited. Refused when the account would be left
    without a second step (an authenticator app or another passkey): backup codes alone run out."""
    User.objects.select_for_update().filter(pk=actor.pk).first()  # one removal at a time per person
    passkey_policy.require(actor, PasskeyPolicy.Action.REMOVE, passkey)
    if not removal_leaves_a_second_step(user=actor, passkey=passkey):
        raise ValidationError(
            _("This passkey is your only second step, so it stays. The functional administrator can help."),
            code="last_second_step",
        )
    with acting_as(actor):
        passkey.delete()
