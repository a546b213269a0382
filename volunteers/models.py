"""Volunteer staff (vrijwillig medewerkers) as staff: profile and screening (R14)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, Village


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` plus ``months`` calendar months, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)


class VolunteerStaff(models.Model):
    """A volunteer staff member: not a 'vrijwilliger', but staff who help find one (domain.md)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile", verbose_name=_("user")
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="volunteer_staff", verbose_name=_("team"))
    village = models.ForeignKey(
        Village, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("home village")
    )
    expertise = models.ManyToManyField("cases.LifeDomain", blank=True, related_name="+", verbose_name=_("expertise"))
    interests = models.CharField(_("interests"), max_length=300, blank=True)
    hours_per_week = models.DecimalField(_("agreed hours per week"), max_digits=4, decimal_places=1, default=8)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="supervised_volunteers",
        verbose_name=_("supervising professional"),
    )
    started_on = models.DateField(_("start date"), default=datetime.date.today)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    vog_issued_on = models.DateField(_("VOG issued on"), null=True, blank=True)

    class Meta:
        verbose_name = _("volunteer staff member")
        verbose_name_plural = _("volunteer staff")

    def __str__(self) -> str:
        return f"Volunteer staff #{self.pk}"

    def vog_valid_until(self) -> datetime.date | None:
        if self.vog_issued_on is None:
            return None
        return add_months(self.vog_issued_on, self.team.municipality.vog_validity_months)

    def screening_valid(self, on: datetime.date | None = None) -> bool:
        """A volunteer may hold case access only with a valid VOG (design: the slice conditions)."""
        valid_until = self.vog_valid_until()
        return valid_until is not None and valid_until >= (on or timezone.localdate())

    @property
    def is_active(self) -> bool:
        return self.ended_on is None or self.ended_on > timezone.localdate()


class Alarm(models.Model):
    """'This is getting too heavy' (R11): on a case or in general. It reaches the supervising
    professional and puts the case on the next meeting's agenda."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alarms", verbose_name=_("volunteer")
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, null=True, blank=True, related_name="alarms", verbose_name=_("case")
    )
    note = models.TextField(_("note"), blank=True)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("alarm")
        verbose_name_plural = _("alarms")
        ordering = ["-raised_at"]
        indexes = [models.Index(fields=["case", "resolved_at"], name="alarm_case_open")]

    def __str__(self) -> str:
        return f"Alarm #{self.pk}"

    def get_additional_data(self) -> dict:
        return {"case_id": self.case_id} if self.case_id else {}
