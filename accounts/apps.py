from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and teams")

    def ready(self) -> None:
        from .roles import connect_role_signals, sync_role_permissions

        connect_role_signals()
        _audit_accounts()
        _audit_passkeys()
        _audit_api_clients()
        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts.sync_role_permissions")


def _audit_accounts() -> None:
    """Who holds which role where is in the audit log, with its actor: an account's roles (its
    groups), whether it may open the admin or log in at all, its team as a professional, a team's
    coordinators and a municipality's privacy officers. Not the password hash, nor what every
    login or request updates (last login, the access version)."""
    from auditlog.registry import auditlog

    from .models import Municipality, ProfessionalProfile, Team, User

    auditlog.register(
        User,
        m2m_fields={"groups"},
        include_fields=["username", "first_name", "last_name", "email", "phone", "is_active", "is_staff"],
    )
    auditlog.register(ProfessionalProfile)
    auditlog.register(Team, m2m_fields={"coordinators"})
    auditlog.register(Municipality, m2m_fields={"privacy_officers"})


def _audit_passkeys() -> None:
    """Adding and removing a second step is in the audit log, with its actor: a passkey
    (accounts/passkeys.py), the authenticator app and the backup codes (accounts/mfa.py): who,
    which name, when. Their secrets and what every login with them updates (sign counter, last
    use, throttling) are left out, so a login writes no entry."""
    from auditlog.registry import auditlog
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    for model in (WebAuthnCredential, TOTPDevice, StaticDevice):
        auditlog.register(model, include_fields=["user", "name", "confirmed"])


def _audit_api_clients() -> None:
    """Making an API client, a new token (its prefix changes) and switching it off or on are in
    the audit log, with the administrator as actor (accounts/api_clients.py); never the token's
    hash, nor the "last used" time every request updates."""
    from auditlog.registry import auditlog

    from .models import ApiClient

    auditlog.register(ApiClient, include_fields=["name", "municipality", "user", "token_prefix", "is_active"])
