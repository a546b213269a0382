from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BaseConfig(AppConfig):
    """The base module: actor and access-log infrastructure (with the audit chain), policies,
    the update helper, the submission keys of create forms, and the application log."""

    name = "base"
    verbose_name = _("Base")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from auditlog.models import LogEntry
        from django.db.models.signals import post_save

        from . import logs  # its receivers shape django-structlog's request line
        from .chain import schedule_sealing

        post_save.connect(schedule_sealing, sender=LogEntry, dispatch_uid="base.chain.schedule_sealing")
        logs.configure()
