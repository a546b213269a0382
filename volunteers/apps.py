from django.apps import AppConfig
from django.utils.translation import pgettext_lazy


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = pgettext_lazy("app name", "Volunteer staff")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from .models import Absence, Equipment, Shift, VolunteerStaff, WellbeingCheckIn

        auditlog.register(VolunteerStaff, exclude_fields=["version"])  # the version is bookkeeping
        for model in (Equipment, WellbeingCheckIn, Shift, Absence):
            auditlog.register(model)
