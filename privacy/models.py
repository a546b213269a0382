"""GDPR (AVG): the requests of data subjects. (Retention rules live with the case file: cases.RetentionRule.)"""

import calendar
import datetime

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


def one_month_after(day: datetime.date) -> datetime.date:
    """The answer's deadline (art. 12(3)): one month after receipt; the last day of a shorter month."""
    year, month = (day.year + 1, 1) if day.month == 12 else (day.year, day.month + 1)
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


class DataSubjectRequest(models.Model):
    """A resident's GDPR request: received (open, with its deadline), then handled — what was
    done, by whom, and why when refused. Requests the privacy officer carries out at once are
    recorded as received and handled together."""

    resident = models.ForeignKey(
        "cases.Resident", on_delete=models.SET_NULL, null=True, related_name="gdpr_requests", verbose_name=_("resident")
    )
    kind = models.CharField(_("request"), max_length=20, choices=RequestKind.choices)
    received_on = models.DateField(_("received on"), default=timezone.localdate)
    deadline = models.DateField(_("answer before"), null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=RequestOutcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("GDPR request")
        verbose_name_plural = _("GDPR requests")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["outcome", "deadline"], name="gdpr_request_open")]

    def __str__(self) -> str:
        return f"GDPR request #{self.pk}"

    @property
    def is_open(self) -> bool:
        return not self.outcome

    @property
    def answer_before(self) -> datetime.date:
        return self.deadline or one_month_after(self.received_on)
