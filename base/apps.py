from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    """The base module: actor and access-log infrastructure, policies, the update helper and
    the submission keys of create forms."""

    name = "base"
    verbose_name = _("Base")
    default_auto_field = "django.db.models.BigAutoField"
