"""Who works in the system and where: municipalities, teams, villages (R1) and staff."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person who logs in. Residents never do; they are ``cases.Resident``."""

    phone = models.CharField(_("phone"), max_length=32, blank=True)
    # Raised whenever the user's groups or second-step devices change (accounts.roles): a session
    # keeps the roles and the verified device it read with this number and reads them again once
    # it differs (RolesInSessionMiddleware, accounts.mfa.VerifiedDeviceInSessionMiddleware).
    access_version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Municipality(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    vog_validity_months = models.PositiveSmallIntegerField(
        _("VOG validity (months)"),
        default=36,
        help_text=_("How long a certificate of good conduct counts as valid in this organisation."),
    )
    vog_warning_weeks = models.PositiveSmallIntegerField(_("warn about VOG expiry (weeks ahead)"), default=8)
    checkin_interval_weeks = models.PositiveSmallIntegerField(_("well-being check-in every (weeks)"), default=8)
    privacy_officers = models.ManyToManyField(
        "accounts.User",
        related_name="privacy_municipalities",
        blank=True,
        verbose_name=_("privacy officers"),
        help_text=_("The privacy officers who handle this municipality's residents' requests and read its access log."),
    )

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    """A social neighbourhood team serving a few villages (R1)."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="teams", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=100)
    coordinators = models.ManyToManyField(
        "accounts.User", related_name="coordinated_teams", blank=True, verbose_name=_("coordinators")
    )
    volunteers_join_meeting = models.BooleanField(
        _("volunteer staff join the case meeting"),
        default=False,
        help_text=_("Some teams let volunteer staff join the case discussion; others keep them in a second ring."),
    )

    inactivity_weeks = models.PositiveSmallIntegerField(
        _("weeks without activity before a case returns to the meeting"), default=6
    )

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return self.name


class Village(models.Model):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="villages", verbose_name=_("municipality")
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="villages", verbose_name=_("team"))
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="village_unique_name")]

    def __str__(self) -> str:
        return self.name


class Discipline(models.TextChoices):
    SOCIAL_WORKER = "social_worker", _("Social worker")
    CLIENT_SUPPORTER = "client_supporter", _("Client supporter")
    COMMUNITY_WORKER = "community_worker", _("Community worker")
    YOUTH_WORKER = "youth_worker", _("Youth worker")
    SCHOOL_SOCIAL_WORKER = "school_social_worker", _("School social worker")
    CONSULTANT_WMO = "consultant_wmo", _("Consultant Wmo")
    CONSULTANT_YOUTH = "consultant_youth", _("Consultant youth")
    CONSULTANT_PARTICIPATION = "consultant_participation", _("Consultant participation")
    CONSULTANT_DEBT = "consultant_debt", _("Consultant debt assistance")


class ProfessionalProfile(models.Model):
    """The facts about a professional: their team and where they come from."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="professional_profile", verbose_name=_("user")
    )
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="professionals", verbose_name=_("team"))
    discipline = models.CharField(_("discipline"), max_length=40, choices=Discipline.choices)
    parent_organisation = models.CharField(_("parent organisation"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("professional profile")
        verbose_name_plural = _("professional profiles")

    def __str__(self) -> str:
        return f"Professional #{self.pk}"


class ApiClient(models.Model):
    """A system that registers requests for help through the intake API (``cases/api``), such
    as the municipality's Open Formulieren. It acts as its own system user (no role, no
    password, cannot log in), so every audit entry it causes names it. Only the SHA-256 of its
    token is stored, with a short prefix to recognise the token by (``accounts.api_clients``)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="api_clients",
        verbose_name=_("municipality"),
        help_text=_("The municipality whose residents this system registers: a request names one of its villages."),
    )
    user = models.OneToOneField(
        User, on_delete=models.PROTECT, related_name="api_client", editable=False, verbose_name=_("system user")
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    token_prefix = models.CharField(
        _("token begins with"),
        max_length=8,
        editable=False,
        help_text=_("The first characters of the token, to recognise it; the token itself is not kept."),
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("An inactive client is refused (401) on its next request.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("API client")
        verbose_name_plural = _("API clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
