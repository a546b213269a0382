from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy (GDPR)")

    def ready(self) -> None:
        from cases.records import Erasure, register

        from .models import DataSubjectRequest

        register(
            DataSubjectRequest,
            resident_path="resident",
            purpose="the resident's GDPR requests and what was done with them (art. 5(2), 12)",
            personal={"note": Erasure.CLEAR},
        )
