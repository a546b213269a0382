"""The case file: residents, cases and everything recorded on them.

``__str__`` of personal-data models holds no personal data, because auditlog keeps it as
``object_repr`` and it would outlive an erasure.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from accounts.models import Team, Village

from .constants import (
    AgreementKind,
    CaseStatus,
    ConsentAnswer,
    IntakeChannel,
    JournalVisibility,
    LifeDomainCode,
    MembershipRole,
    Outcome,
    TopicCode,
    Urgency,
    VisitActivity,
    VisitCompany,
)


class LifeDomain(models.Model):
    """The five life domains every team covers (R2); reference data from a migration."""

    code = models.CharField(_("code"), max_length=20, unique=True, choices=LifeDomainCode.choices)

    class Meta:
        verbose_name = _("life domain")
        verbose_name_plural = _("life domains")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class Topic(models.Model):
    """A frequent topic within a life domain: loneliness, finances, informal care… (R2)."""

    code = models.CharField(_("code"), max_length=30, unique=True, choices=TopicCode.choices)
    domain = models.ForeignKey(
        LifeDomain, on_delete=models.PROTECT, related_name="topics", verbose_name=_("life domain")
    )

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.get_code_display())


class Resident(models.Model):
    """The person asking for help: never logs in; the data subject under the GDPR (AVG)."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    street = models.CharField(_("street"), max_length=150, blank=True)
    house_number = models.CharField(_("house number"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    village = models.ForeignKey(Village, on_delete=models.PROTECT, related_name="residents", verbose_name=_("village"))
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    # GDPR (AVG) rights, recorded and honoured (art. 18, 21, 17)
    restricted_at = models.DateTimeField(_("processing restricted since"), null=True, blank=True)
    restriction_reason = models.CharField(_("reason for the restriction"), max_length=500, blank=True)
    objection_at = models.DateTimeField(_("objected on"), null=True, blank=True)
    objection_note = models.CharField(_("objection"), max_length=1000, blank=True)
    erased_at = models.DateTimeField(_("erased on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)  # base.updates

    class Meta:
        verbose_name = _("resident")
        verbose_name_plural = _("residents")
        indexes = [
            models.Index(fields=["last_name", "first_name"]),
            models.Index(fields=["postcode"]),
            models.Index(fields=["date_of_birth"]),  # the duplicate check at intake
        ]

    def __str__(self) -> str:
        return f"Resident #{self.pk}"

    def clean(self) -> None:
        """Checked by every form and service that saves a resident (``full_clean``)."""
        if self.date_of_birth and self.date_of_birth > timezone.localdate():
            raise ValidationError({"date_of_birth": _("A date of birth cannot be in the future.")})

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Case(models.Model):
    """A request for help (casus) and its file (dossier)."""

    resident = models.ForeignKey(Resident, on_delete=models.PROTECT, related_name="cases", verbose_name=_("resident"))
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="cases", verbose_name=_("team"))
    intake_channel = models.CharField(_("intake channel"), max_length=30, choices=IntakeChannel.choices)
    domains = models.ManyToManyField(LifeDomain, related_name="cases", verbose_name=_("life domains"))
    topics = models.ManyToManyField(Topic, blank=True, related_name="cases", verbose_name=_("topics"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    request_for_help = models.TextField(_("request for help"), help_text=_("For professionals only."))
    volunteer_summary = models.TextField(
        _("summary for volunteer staff"),
        blank=True,
        help_text=_("A short summary of what a volunteer may know. Volunteer staff see only this."),
    )
    status = models.CharField(_("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.NEW)
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    flagged_for_meeting = models.BooleanField(_("flagged for the weekly meeting"), default=False)
    # Set by the intake API when the resident it registered may be registered already: the
    # professionals check in triage (the page asks the professional at intake instead).
    # (Database defaults too: a server of the previous release, running while this one migrates,
    # and the scale data's COPY insert cases without these columns.)
    possible_duplicate = models.BooleanField(_("possible duplicate resident: check"), default=False, db_default=False)
    form_reference = models.CharField(
        _("reference of the online form"),
        max_length=50,
        blank=True,
        default="",
        db_default="",
        help_text=_("The reference the resident received from the online form (Open Formulieren)."),
    )
    retention_until = models.DateField(_("keep until"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        permissions = [
            ("close_case", _("Can close the case")),
            ("reopen_case", _("Can reopen the case")),
            ("view_case_slice", _("Can view the volunteer slice of the case")),
            ("log_home_visit", _("Can log a home visit on the case")),
        ]
        indexes = [
            models.Index(fields=["team", "status", "-opened_at"], name="case_team_status"),
            models.Index(fields=["team", "last_activity_at"], name="case_team_activity"),
            # The case list walks one of these in its sort order and stops after a page: open
            # cases (its default) by opening or by last activity, or one status by either.
            models.Index(fields=["opened_at", "id"], condition=~Q(status="closed"), name="case_open_opened"),
            models.Index(fields=["last_activity_at", "id"], condition=~Q(status="closed"), name="case_open_activity"),
            models.Index(fields=["status", "opened_at", "id"], name="case_status_opened"),
            models.Index(fields=["status", "last_activity_at", "id"], name="case_status_activity"),
            models.Index(fields=["team"], condition=Q(flagged_for_meeting=True), name="case_flagged"),  # agenda
            models.Index(fields=["team", "opened_at"], name="case_team_opened"),  # reports, agenda
            models.Index(fields=["team", "closed_at"], name="case_team_closed"),  # reports
            # reports: the open cases per responsible professional, a current state read live
            models.Index(fields=["team", "id"], condition=Q(closed_at__isnull=True), name="case_team_open"),
        ]

    def __str__(self) -> str:
        return f"Case #{self.pk}"

    @property
    def reference(self) -> str:
        return f"#{self.pk}"


class CaseChildMixin:
    """Audit entries of records that belong to a case carry ``case_id``, so the case's
    history shows them too (auditlog calls ``get_additional_data``)."""

    def get_additional_data(self) -> dict:
        return {"case_id": self.case_id}


class CaseUserObjectPermission(UserObjectPermissionBase):
    """Derived by ``cases.permissions.sync_case_permissions``; never edited by hand."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        abstract = False


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    """Derived: the team's professionals group holds the team's case grants."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)

    class Meta(GroupObjectPermissionBase.Meta):
        abstract = False


class CaseMembership(CaseChildMixin, models.Model):
    """Who works on a case: the responsible professional, other professionals, volunteer staff.

    A volunteer joins in two steps (R7): the team *proposes* them (``accepted_at`` empty: no
    slice, only the resident's name and street, so they can say whether they know them), and
    they accept (``accepted_at`` set: the slice opens) or decline (the membership ends).
    Professionals are accepted when they are added."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("case"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="case_memberships", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=20, choices=MembershipRole.choices)
    started_at = models.DateTimeField(_("start"), default=timezone.now)
    ended_at = models.DateTimeField(_("end"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )

    class Meta:
        verbose_name = _("case membership")
        verbose_name_plural = _("case memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(role=MembershipRole.RESPONSIBLE, ended_at__isnull=True),
                name="case_one_responsible",
            ),
            models.UniqueConstraint(
                fields=["case", "user"], condition=Q(ended_at__isnull=True), name="case_one_open_membership_per_user"
            ),
            # Only volunteer staff can be proposed and not (yet) accepted.
            models.CheckConstraint(
                condition=Q(role=MembershipRole.VOLUNTEER) | Q(accepted_at__isnull=False),
                name="membership_professionals_accepted",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "ended_at"], name="membership_user_open"),
            models.Index(  # reports: the open cases per responsible professional
                fields=["case", "user"],
                condition=Q(role=MembershipRole.RESPONSIBLE, ended_at__isnull=True),
                name="membership_responsible_user",
            ),
        ]

    def __str__(self) -> str:
        return f"Case membership #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.ended_at is None

    @property
    def is_proposal(self) -> bool:
        """Proposed by the team, not yet accepted by the volunteer: no slice (R7)."""
        return self.ended_at is None and self.accepted_at is None


class VolunteerConsent(CaseChildMixin, models.Model):
    """One answer of the resident to 'may a volunteer join?' (R6). The newest row counts."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents", verbose_name=_("case"))
    answer = models.CharField(_("answer"), max_length=10, choices=ConsentAnswer.choices)
    asked_at = models.DateTimeField(_("asked at"), null=True, blank=True)
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("asked by")
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        verbose_name = _("volunteer consent")
        verbose_name_plural = _("volunteer consents")
        ordering = ["-recorded_at", "-pk"]
        indexes = [models.Index(fields=["case", "-recorded_at"], name="consent_case_latest")]

    def __str__(self) -> str:
        return f"Consent #{self.pk}"

    @property
    def allows_volunteer(self) -> bool:
        return self.answer == ConsentAnswer.YES and self.withdrawn_at is None


class JournalEntry(CaseChildMixin, models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="journal_entries", verbose_name=_("case"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("author")
    )
    visibility = models.CharField(
        _("visibility"), max_length=20, choices=JournalVisibility.choices, default=JournalVisibility.PROFESSIONALS
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["case", "-created_at"], name="journal_case_created")]

    def __str__(self) -> str:
        return f"Journal entry #{self.pk}"


class VisitFields(models.Model):
    """What a volunteer writes about a home visit: the visit itself, and a visit the server
    refused and the volunteer sent as a note (``VisitNote``). The visit form's fields."""

    visited_on = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"), null=True, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    company = models.CharField(
        _("visited with"), max_length=20, choices=VisitCompany.choices, default=VisitCompany.ALONE
    )
    activities = models.JSONField(_("what was done"), default=list, blank=True)
    summary = models.TextField(_("summary for the professionals"), blank=True)
    note_for_responsible = models.TextField(_("note for the responsible professional"), blank=True)
    follow_up_on = models.DateTimeField(_("follow-up appointment"), null=True, blank=True)

    class Meta:
        abstract = True

    def activity_labels(self) -> list[str]:
        labels = dict(VisitActivity.choices)
        return [str(labels.get(code, code)) for code in self.activities]


class HomeVisit(CaseChildMixin, VisitFields):
    """A home visit (huisbezoek) logged by volunteer staff or a professional (R9)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="home_visits", verbose_name=_("case"))
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="home_visits", verbose_name=_("visitor")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)  # base.updates

    class Meta:
        verbose_name = _("home visit")
        verbose_name_plural = _("home visits")
        ordering = ["-visited_on", "-pk"]
        indexes = [
            models.Index(fields=["case", "-visited_on"], name="visit_case_date"),
            models.Index(fields=["visitor", "visited_on"], name="visit_visitor_date"),
            models.Index(fields=["visited_on"], name="visit_date"),  # reports
        ]

    def __str__(self) -> str:
        return f"Home visit #{self.pk}"


class Agreement(CaseChildMixin, models.Model):
    """Who does what by when. Care and medical kinds never go to volunteer staff (R10)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="agreements", verbose_name=_("case"))
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    description = models.CharField(_("what"), max_length=500)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("who")
    )
    due_on = models.DateField(_("by when"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return f"Agreement #{self.pk}"


class InterestAnswer(models.TextChoices):
    INTERESTED = "interested", _("I would like to join")
    DECLINED = "declined", _("Not for me")


class DeclineReason(models.TextChoices):
    """Why volunteer staff decline a case (R7)."""

    KNOWS_RESIDENT = "knows_resident", _("I know this resident")
    OUTSIDE_EXPERTISE = "outside_expertise", _("Outside my expertise")
    OTHER = "other", _("Other")


# The board hides who the resident is, so "I know this resident" is a reason only for a
# proposal, which shows the name and street (R7). Old board answers may still hold it.
BOARD_DECLINE_REASONS = (DeclineReason.OUTSIDE_EXPERTISE, DeclineReason.OTHER)
PROPOSAL_DECLINE_REASONS = (DeclineReason.KNOWS_RESIDENT, DeclineReason.OUTSIDE_EXPERTISE, DeclineReason.OTHER)


class CaseInterest(CaseChildMixin, models.Model):
    """A volunteer's answer on the open-questions board (R5, R7), or their decline of a
    proposal. A decline or conflict is seen by professionals only and keeps the volunteer out
    of the suggestions for this case."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interests", verbose_name=_("case"))
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="case_interests", verbose_name=_("volunteer")
    )
    answer = models.CharField(_("answer"), max_length=20, choices=InterestAnswer.choices)
    reason = models.CharField(_("reason"), max_length=30, choices=DeclineReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    answered_at = models.DateTimeField(_("answered at"), default=timezone.now)

    class Meta:
        verbose_name = _("interest in a case")
        verbose_name_plural = _("interests in cases")
        constraints = [models.UniqueConstraint(fields=["case", "volunteer"], name="interest_one_per_volunteer")]

    def __str__(self) -> str:
        return f"Case interest #{self.pk}"


class Alarm(CaseChildMixin, models.Model):
    """'This is getting too heavy' (R11): on a case or in general. It reaches the supervising
    professional and the case's responsible professional, and puts the case on the next
    meeting's agenda. A case-file record when it is raised on a case."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="alarms", verbose_name=_("volunteer")
    )
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, null=True, blank=True, related_name="alarms", verbose_name=_("case")
    )
    note = models.TextField(_("note"), blank=True)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("followed up by"),
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


class VisitNoteOutcome(models.TextChoices):
    LOGGED = "logged", _("added to the case file as a home visit")
    SET_ASIDE = "set_aside", _("set aside, text deleted")


class VisitNote(CaseChildMixin, VisitFields):
    """A home visit the volunteer kept on their phone without a connection, which the server
    refused because their access to the case ended meanwhile (issue [15]): its text, sent to
    their supervising professional (and the case's responsible professional) instead of the
    case file. Nothing of it is on the case until a professional adds it as a home visit; set
    aside, its text is deleted (``services.visit_note_handle``)."""

    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="visit_notes", verbose_name=_("volunteer")
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="visit_notes", verbose_name=_("case"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=20, choices=VisitNoteOutcome.choices, blank=True)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    visit = models.OneToOneField(
        "HomeVisit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="from_note",
        verbose_name=_("home visit made from it"),
    )

    class Meta:
        verbose_name = _("note of a visit that could not be logged")
        verbose_name_plural = _("notes of visits that could not be logged")
        ordering = ["-sent_at", "-pk"]
        indexes = [models.Index(fields=["case", "handled_at"], name="visitnote_case_open")]

    def __str__(self) -> str:
        return f"Visit note #{self.pk}"


class Meeting(models.Model):
    """The weekly meeting of a team (R4): its agenda builds itself; decisions make the minutes."""

    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="meetings", verbose_name=_("team"))
    week_start = models.DateField(_("week"), help_text=_("The Monday of the meeting's week."))
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("chair")
    )

    class Meta:
        verbose_name = _("weekly meeting")
        verbose_name_plural = _("weekly meetings")
        ordering = ["-week_start"]
        constraints = [models.UniqueConstraint(fields=["team", "week_start"], name="meeting_one_per_team_week")]

    def __str__(self) -> str:
        return f"Meeting #{self.pk}"


class AgendaReason(models.TextChoices):
    NEW = "new", _("New since the last meeting")
    FLAGGED = "flagged", _("Flagged for discussion")
    ALARM = "alarm", _("Volunteer staff raised the alarm")
    INACTIVE = "inactive", _("No activity for a while")


class MeetingDecision(CaseChildMixin, models.Model):
    """What the team decided on one agenda item (R4, R5)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("case"))
    reasons = models.JSONField(_("on the agenda because"), default=list)
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible professional")
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("volunteer staff joining"),
    )
    next_step = models.CharField(_("next step"), max_length=500)
    notes = models.TextField(_("notes"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by")
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("meeting decision")
        verbose_name_plural = _("meeting decisions")
        ordering = ["decided_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="decision_one_per_case_per_meeting")]

    def __str__(self) -> str:
        return f"Meeting decision #{self.pk}"


class RetentionRule(models.Model):
    """How long a closed case is kept, by legal basis: per life domain or team, else the
    municipality's default (e.g. Wmo 15 years, youth care 20 years, the voorliggend veld as the
    municipality chooses). Data an administrator keeps, not constants in code."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.CASCADE, related_name="retention_rules")
    legal_basis = models.CharField(_("legal basis"), max_length=200)
    years = models.PositiveSmallIntegerField(_("years after closing"))
    domain = models.ForeignKey(
        "cases.LifeDomain", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("life domain")
    )
    team = models.ForeignKey("accounts.Team", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("team"))
    is_default = models.BooleanField(_("default of the municipality"), default=False)
    version = models.PositiveIntegerField(_("version"), default=1, db_default=1, editable=False)  # base.updates

    class Meta:
        verbose_name = _("retention rule")
        verbose_name_plural = _("retention rules")
        ordering = ["municipality", "-years"]

    def __str__(self) -> str:
        return f"{self.legal_basis} ({self.years})"
