"""The social map (sociale kaart, R12), referrals to it, and collective signals (R13)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OfferKind(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    CLUB = "club", _("Club or association")
    SERVICE = "service", _("Service")
    ORGANISATION = "organisation", _("Organisation")


class Offer(models.Model):
    """A local offer: a coffee morning, a shared-meals project, a club, a service (R12).
    Volunteer staff and professionals both keep it up to date; the audit log is its history."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OfferKind.choices)
    villages = models.ManyToManyField("accounts.Village", related_name="offers", verbose_name=_("villages"))
    domains = models.ManyToManyField(
        "cases.LifeDomain", blank=True, related_name="offers", verbose_name=_("life domains")
    )
    topics = models.ManyToManyField("cases.Topic", blank=True, related_name="offers", verbose_name=_("topics"))
    description = models.TextField(_("description"), blank=True)
    when = models.CharField(_("when"), max_length=200, blank=True)
    where = models.CharField(_("where"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    cost = models.CharField(_("cost"), max_length=100, blank=True)
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)  # base.updates

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ReferralOutcome(models.TextChoices):
    PENDING = "pending", _("Not known yet")
    WENT = "went", _("Went and liked it")
    STOPPED = "stopped", _("Went, but stopped")
    DID_NOT_GO = "did_not_go", _("Did not go")


class Referral(models.Model):
    """A resident referred to an offer, from a case or a home visit; later, how it went."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="referrals", verbose_name=_("case"))
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("offer"))
    visit = models.ForeignKey(
        "cases.HomeVisit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("during the home visit"),
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("referred by")
    )
    referred_at = models.DateTimeField(_("referred at"), default=timezone.now)
    outcome = models.CharField(
        _("how it went"), max_length=20, choices=ReferralOutcome.choices, default=ReferralOutcome.PENDING
    )
    outcome_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-referred_at"]

    def __str__(self) -> str:
        return f"Referral #{self.pk}"

    def get_additional_data(self) -> dict:
        return {"case_id": self.case_id}


class SignalStatus(models.TextChoices):
    NEW = "new", _("New")
    PASSED_ON = "passed_on", _("Passed to the welfare organisation")
    ACTED_ON = "acted_on", _("Acted on")


class CollectiveSignal(models.Model):
    """A village-level need (R13): volunteer staff pick it up, professionals develop the offer."""

    village = models.ForeignKey(
        "accounts.Village", on_delete=models.PROTECT, related_name="signals", verbose_name=_("village")
    )
    theme = models.CharField(_("theme"), max_length=200)
    description = models.TextField(_("description"))
    source = models.CharField(_("source"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=SignalStatus.choices, default=SignalStatus.NEW)
    offers = models.ManyToManyField(
        Offer, blank=True, related_name="signals", verbose_name=_("offers that came from it")
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)  # base.updates

    class Meta:
        verbose_name = _("collective signal")
        verbose_name_plural = _("collective signals")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"Signal #{self.pk}"
