"""Volunteer staff (vrijwillig medewerkers) as staff: profile and screening (R14)."""

import datetime

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
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


class AllowanceKind(models.TextChoices):
    NONE = "none", _("No allowance")
    PER_HOUR = "per_hour", _("Per hour")
    PER_MONTH = "per_month", _("Fixed per month")


class AllowanceArrangement(models.Model):
    """How a volunteer's allowance (vrijwilligersvergoeding) is calculated (R14)."""

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="allowance_arrangements"
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=AllowanceKind.choices)
    amount = models.DecimalField(_("amount (EUR)"), max_digits=8, decimal_places=2, default=0)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)  # base.updates

    class Meta:
        verbose_name = _("allowance arrangement")
        verbose_name_plural = _("allowance arrangements")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AllowanceLimit(models.Model):
    """The tax-free limits for volunteer allowances of one year: data an administrator keeps,
    not constants in code."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    max_per_hour = models.DecimalField(_("maximum per hour (EUR)"), max_digits=6, decimal_places=2)
    max_per_month = models.DecimalField(_("maximum per month (EUR)"), max_digits=8, decimal_places=2)
    max_per_year = models.DecimalField(_("maximum per year (EUR)"), max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = _("allowance limit")
        verbose_name_plural = _("allowance limits")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


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
    vog_requested_on = models.DateField(_("VOG requested on"), null=True, blank=True)
    vog_issued_on = models.DateField(_("VOG issued on"), null=True, blank=True)
    organisation_email = models.EmailField(_("e-mail address of the organisation"), blank=True)
    confidentiality_signed_on = models.DateField(_("confidentiality statement signed on"), null=True, blank=True)
    introduction_done_on = models.DateField(_("introduction done on"), null=True, blank=True)
    allowance = models.ForeignKey(
        AllowanceArrangement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="volunteers",
        verbose_name=_("allowance arrangement"),
    )
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)  # base.updates

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

    def vog_expires_within(self, weeks: int, on: datetime.date | None = None) -> bool:
        valid_until = self.vog_valid_until()
        today = on or timezone.localdate()
        return valid_until is not None and today <= valid_until < today + datetime.timedelta(weeks=weeks)

    @property
    def onboarding_complete(self) -> bool:
        return bool(self.screening_valid() and self.confidentiality_signed_on and self.introduction_done_on)


class EquipmentKind(models.TextChoices):
    PHONE = "phone", _("Phone")
    LAPTOP = "laptop", _("Laptop")
    OTHER = "other", _("Other")


class Equipment(models.Model):
    """Equipment on loan: the phone, a laptop (R14)."""

    volunteer = models.ForeignKey(VolunteerStaff, on_delete=models.CASCADE, related_name="equipment")
    kind = models.CharField(_("kind"), max_length=20, choices=EquipmentKind.choices)
    description = models.CharField(_("description"), max_length=200, blank=True)
    identifier = models.CharField(_("number or serial"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"))
    returned_on = models.DateField(_("returned on"), null=True, blank=True)

    class Meta:
        verbose_name = _("equipment on loan")
        verbose_name_plural = _("equipment on loan")
        ordering = ["-issued_on"]

    def __str__(self) -> str:
        return f"Equipment #{self.pk}"


class WellbeingCheckIn(models.Model):
    """How is it going? (R11): a coordinator's or supervisor's regular check-in."""

    volunteer = models.ForeignKey(VolunteerStaff, on_delete=models.CASCADE, related_name="checkins")
    held_on = models.DateField(_("date"), default=datetime.date.today)
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    how_are_you = models.TextField(_("how are you doing?"), blank=True)
    load = models.PositiveSmallIntegerField(
        _("load (1 light – 5 too heavy)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    notes = models.TextField(_("notes"), blank=True)
    follow_up = models.CharField(_("follow-up"), max_length=500, blank=True)
    follow_up_on = models.DateField(_("follow-up by"), null=True, blank=True)

    class Meta:
        verbose_name = _("well-being check-in")
        verbose_name_plural = _("well-being check-ins")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Check-in #{self.pk}"


# --- rosters for the weekly walk-in hour (R3) ------------------------------------------------


class Location(models.Model):
    """Where a team holds its walk-in hour (inloopspreekuur)."""

    team = models.ForeignKey("accounts.Team", on_delete=models.PROTECT, related_name="locations")
    name = models.CharField(_("name"), max_length=100)
    address = models.CharField(_("address"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class RosterSlot(models.Model):
    """A recurring walk-in hour: every week on a weekday, from-to, at a location."""

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start_time = models.TimeField(_("from"))
    end_time = models.TimeField(_("until"))
    volunteers_needed = models.PositiveSmallIntegerField(_("volunteer staff needed"), default=1)
    valid_from = models.DateField(_("from date"), default=datetime.date.today)
    valid_until = models.DateField(_("until date"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)  # base.updates

    class Meta:
        verbose_name = _("walk-in hour")
        verbose_name_plural = _("walk-in hours")
        ordering = ["weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")), name="slot_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start_time:%H:%M}"

    @property
    def hours(self) -> float:
        start = datetime.datetime.combine(datetime.date.min, self.start_time)
        end = datetime.datetime.combine(datetime.date.min, self.end_time)
        return round((end - start).total_seconds() / 3600, 2)

    def runs_on(self, day: datetime.date) -> bool:
        return (
            day.weekday() == self.weekday
            and day >= self.valid_from
            and (self.valid_until is None or day <= self.valid_until)
        )


class ShiftRole(models.TextChoices):
    VOLUNTEER = "volunteer", _("Volunteer staff")
    PROFESSIONAL = "professional", _("Professional")


class Shift(models.Model):
    """Who is on duty at one walk-in hour on one date."""

    slot = models.ForeignKey(RosterSlot, on_delete=models.CASCADE, related_name="shifts")
    date = models.DateField(_("date"))
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=ShiftRole.choices)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)  # base.updates

    class Meta:
        verbose_name = _("shift")
        verbose_name_plural = _("shifts")
        ordering = ["date", "slot__start_time"]
        constraints = [models.UniqueConstraint(fields=["slot", "date", "person"], name="shift_once_per_person")]
        indexes = [models.Index(fields=["person", "date"], name="shift_person_date")]

    def __str__(self) -> str:
        return f"Shift #{self.pk}"


class Absence(models.Model):
    """Holidays and other absence: a person is not available between two dates."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="absences", verbose_name=_("person")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("absence")
        verbose_name_plural = _("absences")
        ordering = ["start_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")), name="absence_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"Absence #{self.pk}"


class CalendarFeed(models.Model):
    """A secret token for a person's iCalendar feed of their shifts (no case content in it)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"Calendar feed #{self.pk}"
