"""GDPR (AVG): the requests of data subjects. (Retention rules live with the case file: cases.RetentionRule.)"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RequestKind(models.TextChoices):
    ACCESS = "access", _("Right of access (art. 15)")
    RECTIFICATION = "rectification", _("Rectification (art. 16)")
    ERASURE = "erasure", _("Erasure (art. 17)")
    RESTRICTION = "restriction", _("Restriction (art. 18)")
    OBJECTION = "objection", _("Objection (art. 21)")


class RequestOutcome(models.TextChoices):
    DONE = "done", _("Carried out")
    REFUSED = "refused", _("Refused")


class DataSubjectRequest(models.Model):
    """A resident's GDPR request and what was done with it (and why, when refused)."""

    resident = models.ForeignKey(
        "cases.Resident", on_delete=models.SET_NULL, null=True, related_name="gdpr_requests", verbose_name=_("resident")
    )
    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    handled_at = models.DateTimeField(_("handled at"), default=timezone.now)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(_("outcome"), max_length=20, choices=RequestOutcome.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("GDPR request")
        verbose_name_plural = _("GDPR requests")
        ordering = ["-handled_at"]

    def __str__(self) -> str:
        return f"GDPR request #{self.pk}"
