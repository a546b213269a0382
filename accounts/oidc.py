"""Single sign-on with the municipality's identity provider (OpenID Connect, mozilla-django-oidc).

The provider says who someone is; Wijkteam decides what they may do. A sign-in is matched to an
account the functional administrator made (``OIDC_MATCH_CLAIM`` of the provider against
``OIDC_MATCH_FIELD`` of the account); nobody gets an account or a role from a sign-in. Single
sign-on is for the staff roles: volunteer staff keep their own login with a second step (they
often have no municipal account). Whether the provider's own second step counts as Wijkteam's is
the setting ``OIDC_PROVIDER_MFA`` (its ``amr``/``acr`` claims); otherwise the local second step
follows, as after a password. See docs/deploy.md "Single sign-on".
"""

from __future__ import annotations

from enum import StrEnum

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .roles import Role, user_roles

# Staff roles sign in through the provider; volunteer staff do not (they keep a local account).
SSO_ROLES = frozenset({Role.PROFESSIONAL, Role.COORDINATOR, Role.PRIVACY_OFFICER, Role.ADMINISTRATOR})

REFUSAL_KEY = "wijkteam_sso_refusal"  # why the last sign-in did not open Wijkteam (for its page)
PROVIDER_STEP_KEY = "wijkteam_sso_second_step"  # the provider did the second step for this user


class Refusal(StrEnum):
    UNKNOWN = "unknown"  # no account has this identity
    AMBIGUOUS = "ambiguous"  # more than one account has it
    VOLUNTEER = "volunteer"  # volunteer staff log in with their own account
    NO_ROLE = "no_role"  # an account without a staff role, or switched off


def sso_enabled() -> bool:
    return bool(settings.OIDC_RP_CLIENT_ID)


def may_use_sso(user) -> bool:
    return user.is_active and bool(user_roles(user) & {role.value for role in SSO_ROLES})


def local_login_for_volunteers_only() -> bool:
    return settings.LOCAL_LOGIN == "volunteers"


def password_login_allowed(user) -> bool:
    """``LOCAL_LOGIN=volunteers`` keeps the password for accounts without a staff role
    (volunteer staff); staff sign in through the provider. A superuser keeps the password as the
    way in when the provider is down (docs/deploy.md), with the second step as always."""
    if not local_login_for_volunteers_only() or user.is_superuser:
        return True
    return not (user_roles(user) & {role.value for role in SSO_ROLES})


def provider_did_second_step(id_claims: dict) -> bool:
    """With ``OIDC_PROVIDER_MFA`` on, the ID token's ``amr`` (authentication methods) naming one
    of ``OIDC_MFA_AMR``, or its ``acr`` (level) being one of ``OIDC_MFA_ACR``, counts as the
    second step. Claims of another shape count as nothing."""
    if not settings.OIDC_PROVIDER_MFA:
        return False
    amr = id_claims.get("amr")
    methods = {value for value in amr if isinstance(value, str)} if isinstance(amr, list) else set()
    acr = id_claims.get("acr")
    return bool(methods & set(settings.OIDC_MFA_AMR)) or (isinstance(acr, str) and acr in settings.OIDC_MFA_ACR)


def not_a_password_login(request, credentials) -> bool:
    """django-axes counts failed logins per login name and address to stop password guessing.
    A sign-in through the provider guesses nothing here (the provider has its own protection)
    and has no login name: counted, a few refused colleagues behind one municipal address would
    lock the whole office out. Its credentials are the callback's nonce and PKCE verifier."""
    return bool(credentials) and "code_verifier" in credentials


class ProviderStep:
    """The provider's second step, standing in for an OTP device of the session (django-otp's
    ``is_verified()`` asks for one): nothing is stored but the session's mark."""

    persistent_id = "wijkteam.identity_provider"
    confirmed = True
    name = _("The municipality's sign-in")

    def __init__(self, user) -> None:
        self.user = user
        self.user_id = user.pk


def provider_step(request, user) -> ProviderStep | None:
    if request.session.get(PROVIDER_STEP_KEY) == user.pk:
        return ProviderStep(user)
    return None


class Backend(OIDCAuthenticationBackend):
    """Matches a sign-in to an existing account; never makes one (``OIDC_CREATE_USER`` is off,
    and ``create_user`` refuses all the same). Why a sign-in was refused is kept in the session
    for the page that explains it."""

    def authenticate(self, request, **kwargs):
        if not sso_enabled() or request is None:
            return None
        return super().authenticate(request, **kwargs)

    def get_or_create_user(self, access_token, id_token, payload):
        self.request.oidc_id_claims = payload  # the ID token's claims, for the second step
        return super().get_or_create_user(access_token, id_token, payload)

    def get_payload_data(self, token, key):
        """The ID token as mozilla-django-oidc checks it (signature, expiry, nonce), and also
        meant for this client (``aud``) from this provider (``iss``, when ``OIDC_OP_ISSUER`` is
        set): a token the provider gave another application does not sign anyone in here."""
        payload = super().get_payload_data(token, key)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is meant for another client.")
        issuer = settings.OIDC_OP_ISSUER
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def verify_claims(self, claims) -> bool:
        value = claims.get(settings.OIDC_MATCH_CLAIM)
        return isinstance(value, str) and bool(value.strip())

    def describe_user_by_claims(self, claims) -> str:
        return f"claim {settings.OIDC_MATCH_CLAIM}"  # never the value: it names a person

    def filter_users_by_claims(self, claims):
        value = claims[settings.OIDC_MATCH_CLAIM].strip()
        field = settings.OIDC_MATCH_FIELD
        users = list(self.UserModel.objects.filter(**{f"{field}__iexact": value})[:2])
        refusal = None
        if not users:
            refusal = Refusal.UNKNOWN
        elif len(users) > 1:
            refusal = Refusal.AMBIGUOUS
        elif not may_use_sso(users[0]):
            refusal = Refusal.VOLUNTEER if users[0].is_active and user_roles(users[0]) else Refusal.NO_ROLE
        if refusal is not None:
            self.request.session[REFUSAL_KEY] = [refusal.value, value[:254]]
            return self.UserModel.objects.none()
        return users

    def create_user(self, claims):
        raise AssertionError("OIDC_CREATE_USER must stay off: roles and teams are Wijkteam's facts")

    def get_user(self, user_id):
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None
