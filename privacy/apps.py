from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy (GDPR)")

    def ready(self) -> None:
        from cases.records import LEGAL_OBLIGATION, Erasure, register

        from .models import DataSubjectRequest

        register(
            DataSubjectRequest,
            resident_path="resident",
            purpose=_("the resident's GDPR requests and what was done with them (art. 5(2), 12)"),
            title=_("Your requests about your data"),
            description=_("What you asked about your personal data, such as this overview, and what we did."),
            legal_basis=LEGAL_OBLIGATION,
            retention=_(
                "Kept as long as your file. After erasure we keep only that the request was made "
                "and handled, without notes."
            ),
            personal={"note": Erasure.CLEAR},
        )
