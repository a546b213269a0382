from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialMapConfig(AppConfig):
    name = "socialmap"
    verbose_name = _("Social map")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import CollectiveSignal, Offer, Referral

        auditlog.register(Offer, m2m_fields={"villages", "domains", "topics"})
        auditlog.register(CollectiveSignal, m2m_fields={"offers"})
        auditlog.register(Referral)
