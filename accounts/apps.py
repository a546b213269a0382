from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts and teams")

    def ready(self) -> None:
        from .roles import connect_role_signals, sync_role_permissions

        connect_role_signals()
        post_migrate.connect(sync_role_permissions, dispatch_uid="accounts.sync_role_permissions")
