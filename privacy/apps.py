from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy (GDPR)")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import DataSubjectRequest, RetentionRule

        auditlog.register(RetentionRule)
        auditlog.register(DataSubjectRequest)
