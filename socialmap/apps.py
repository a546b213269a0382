from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialMapConfig(AppConfig):
    name = "socialmap"
    verbose_name = _("Social map")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from cases.records import KEPT_WITH_CASE, PUBLIC_TASK, Erasure, register

        from .models import CollectiveSignal, Offer, Referral
        from .selectors import REFERRAL_FIELDS, referrals_by_case

        auditlog.register(Offer, m2m_fields={"villages", "domains", "topics"}, exclude_fields=["version"])
        auditlog.register(CollectiveSignal, m2m_fields={"offers"}, exclude_fields=["version"])
        register(
            Referral,
            case_path="case",
            purpose=_("referrals of the resident to a local offer, and how it went"),
            title=_("Referrals"),
            description=_(
                "Local activities and organisations we pointed you to, and how it went. The app sends them no data."
            ),
            legal_basis=PUBLIC_TASK,
            retention=KEPT_WITH_CASE,
            personal={"outcome_note": Erasure.CLEAR},
            section="referrals",
            file_reader=referrals_by_case,
            slice_reader=referrals_by_case,
            volunteer_fields=REFERRAL_FIELDS,
        )
