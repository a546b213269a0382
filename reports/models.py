"""Daily figures per team: the report's aggregates kept per local day, so a request sums a few
hundred rows instead of scanning the period's cases (``reports.figures``, docs/performance.md).

Only counts, keyed by choice codes, village ids and staff user ids; nothing about a resident.
The figures are derived data: ``refresh_report_figures`` rebuilds any range of days from the
case files, so a past day shows what was true at its last refresh.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FigureKind(models.TextChoices):
    """What a daily figure counts (labels: the report's own titles). The day is the local day
    of the case's opening, except for visits (visit day), outcomes (closing day) and signals
    (recording day)."""

    NEW = "new", _("New cases")
    CHANNEL = "channel", _("New cases by intake channel")
    DOMAIN = "domain", _("New cases by life domain")  # distinct cases per domain
    VILLAGE = "village", _("New cases by village")  # key: the village id
    WITH_VOLUNTEER = "with_volunteer", _("With volunteer staff")  # a volunteer accepted (R7)
    CONSENT_REFUSED = "consent_refused", _("Consent refused")
    DAYS_TO_DECISION = "days_to_decision", _("From intake to the meeting decision")  # key: days; count: cases
    VISITS = "visits", _("Home visits per volunteer")  # key: the visitor's user id; amount: minutes
    OUTCOME = "outcome", _("Closing outcomes")
    SIGNAL = "signal", _("Collective signals")


class DailyFigure(models.Model):
    """One count of one team on one local day: ``kind`` says what, ``key`` which row of the
    report (a choice code, a number of days, or the id of the village or visitor, whose foreign
    key is then set too, so names are joined when read, never stored). ``amount`` carries a sum
    beside the count where a report needs one (minutes of the home visits)."""

    team = models.ForeignKey(  # indexed by the constraint and the index below, which start with it
        "accounts.Team", on_delete=models.CASCADE, db_index=False, related_name="+", verbose_name=_("team")
    )
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=FigureKind.choices)
    key = models.CharField(_("Item"), max_length=40, blank=True)
    count = models.PositiveIntegerField(_("Value"))
    amount = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)  # of the home visits
    # No index of their own on purpose: PostgreSQL would read a visitor's figures of every
    # day through it instead of the period's through (team, kind, day).
    village = models.ForeignKey(
        "accounts.Village",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("village"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        db_index=False,
        related_name="+",
        verbose_name=_("visitor"),
    )

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        constraints = [models.UniqueConstraint(fields=["team", "day", "kind", "key"], name="figure_unique")]
        indexes = [models.Index(fields=["team", "kind", "day"], name="figure_team_kind_day")]

    def __str__(self) -> str:
        return f"Daily figure #{self.pk}"


class FiguresRefresh(models.Model):
    """Up to which day the daily figures are complete, and when they were last computed. One row
    (pk 1): every day up to ``through`` is summarised; later days are computed live."""

    through = models.DateField(_("until"))  # every day up to here is summarised
    refreshed_at = models.DateTimeField(_("updated at"))
    since = models.DateField(_("from"))  # the first day the last refresh recomputed

    class Meta:
        verbose_name = _("refresh of the daily figures")
        verbose_name_plural = _("refreshes of the daily figures")

    def __str__(self) -> str:
        return f"Figures through {self.through}"
