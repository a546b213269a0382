"""Writes on the case file. Views, admin actions and commands all call these.

Every service is keyword-only, atomic, takes the ``actor`` it acts for (audit entries carry
it), checks permissions through :mod:`cases.permissions`, and calls
:func:`~cases.permissions.sync_case_permissions` whenever it changes a fact access rests on.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, has_role

from .audit import acting_as
from .constants import (
    NEEDS_RESPONSIBLE,
    PROFESSIONAL_ONLY_AGREEMENT_KINDS,
    AgreementKind,
    CaseStatus,
    ConsentAnswer,
    JournalVisibility,
    MembershipRole,
    Outcome,
    Urgency,
    can_transition,
)
from .models import (
    Agreement,
    Case,
    CaseInterest,
    CaseMembership,
    HomeVisit,
    InterestAnswer,
    JournalEntry,
    LifeDomain,
    Meeting,
    MeetingDecision,
    Resident,
    Topic,
    VolunteerConsent,
)
from .permissions import (
    CaseAction,
    can,
    current_consent,
    forget_volunteer_profile,
    sync_case_permissions,
    volunteer_may_hold_access,
)


def retention_until_for(case: Case, closed_on: datetime.date):
    from privacy.services import retention_until_for as rule

    return rule(case, closed_on)


class ConcurrentEditError(ValidationError):
    """Somebody else saved the case since this edit started; nothing was overwritten."""


RESIDENT_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "street",
    "house_number",
    "postcode",
    "village",
    "phone",
    "email",
    "notes",
)
CASE_EDITABLE_FIELDS = ("intake_channel", "urgency", "request_for_help", "volunteer_summary", "flagged_for_meeting")


# --- helpers ---------------------------------------------------------------------------------


def _require(actor: User, action: CaseAction, case: Case) -> None:
    if not can(actor, action, case):
        raise PermissionDenied(_("You may not do this on this case."))


def _require_professional(actor: User) -> None:
    if not has_role(actor, Role.PROFESSIONAL):
        raise PermissionDenied(_("Only a professional may do this."))


def _locked(case: Case) -> Case:
    """Re-read the case under a row lock, so concurrent services serialise on it."""
    return Case.objects.select_for_update().get(pk=case.pk)


def _move(case: Case, target: CaseStatus) -> None:
    if not can_transition(case.status, target):
        raise ValidationError(
            _("A case with status “%(current)s” cannot move to status “%(target)s”.")
            % {"current": case.get_status_display(), "target": CaseStatus(target).label}
        )
    if target in NEEDS_RESPONSIBLE and not _responsible_membership(case):
        raise ValidationError(_("A running case needs a responsible professional (R9)."))
    case.status = target


def _responsible_membership(case: Case) -> CaseMembership | None:
    return (
        CaseMembership.objects.filter(case=case, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True)
        .select_related("user")
        .first()
    )


def _touch(case: Case, when: datetime.datetime | None = None) -> None:
    """Record activity on the case (for 'no activity for N weeks'); not an edit of its fields.

    ``last_activity_at`` is excluded from the audit (it is derived from audited entries), so
    this one-column update loses no audit trail.
    """
    Case.objects.filter(pk=case.pk).update(last_activity_at=when or timezone.now())


# --- residents -------------------------------------------------------------------------------


@transaction.atomic
def resident_create(*, actor: User, **fields) -> Resident:
    _require_professional(actor)
    unknown = set(fields) - set(RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    with acting_as(actor):
        resident = Resident(**fields)
        resident.full_clean()
        resident.save()
        return resident


# --- opening and editing a case --------------------------------------------------------------


@transaction.atomic
def case_open(
    *,
    actor: User,
    resident: Resident,
    intake_channel: str,
    domains: Iterable[LifeDomain],
    request_for_help: str,
    topics: Iterable[Topic] = (),
    urgency: str = Urgency.NORMAL,
    volunteer_summary: str = "",
) -> Case:
    """Register a request for help. The team follows from the resident's village (R1)."""
    _require_professional(actor)
    domains = list(domains)
    if not domains:
        raise ValidationError({"domains": _("Choose at least one life domain.")})
    with acting_as(actor):
        case = Case(
            resident=resident,
            team_id=resident.village.team_id,
            intake_channel=intake_channel,
            urgency=urgency,
            request_for_help=request_for_help,
            volunteer_summary=volunteer_summary,
            created_by=actor,
        )
        case.full_clean(exclude=["resident", "team", "created_by"])
        case.save()
        case.domains.set(domains)
        case.topics.set(list(topics))
        VolunteerConsent.objects.create(case=case, answer=ConsentAnswer.NOT_ASKED, asked_by=None)
        sync_case_permissions(case)
        return case


@transaction.atomic
def case_update(
    *,
    actor: User,
    case: Case,
    expected_version: int,
    domains: Iterable[LifeDomain] | None = None,
    topics: Iterable[Topic] | None = None,
    **fields,
) -> Case:
    """Edit the case's own fields; refuse when someone saved since ``expected_version``."""
    unknown = set(fields) - set(CASE_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable here: {sorted(unknown)}")
    _require(actor, CaseAction.CHANGE_FILE, case)
    with acting_as(actor):
        locked = _locked(case)
        if locked.version != expected_version:
            raise ConcurrentEditError(
                _(
                    "Someone else changed this case while you were editing. "
                    "Your text is kept below; check and save again."
                )
            )
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.full_clean(exclude=["resident", "team", "created_by"])
        locked.version += 1
        locked.last_activity_at = timezone.now()
        locked.save()
        if domains is not None:
            domains = list(domains)
            if not domains:
                raise ValidationError({"domains": _("Choose at least one life domain.")})
            locked.domains.set(domains)
        if topics is not None:
            locked.topics.set(list(topics))
        return locked


# --- the workflow ----------------------------------------------------------------------------


@transaction.atomic
def case_start_triage(*, actor: User, case: Case) -> Case:
    _require(actor, CaseAction.CHANGE_FILE, case)
    with acting_as(actor):
        case = _locked(case)
        _move(case, CaseStatus.IN_TRIAGE)
        case.save()
        return case


@transaction.atomic
def case_activate(*, actor: User, case: Case, responsible: User | None = None) -> Case:
    """Start working on the case; it needs exactly one responsible professional (R9)."""
    _require(actor, CaseAction.CHANGE_FILE, case)
    with acting_as(actor):
        case = _locked(case)
        if responsible is not None:
            case_set_responsible(actor=actor, case=case, professional=responsible)
        _move(case, CaseStatus.ACTIVE)
        case.save()
        sync_case_permissions(case)
        return case


@transaction.atomic
def case_hold(*, actor: User, case: Case) -> Case:
    _require(actor, CaseAction.CHANGE_FILE, case)
    with acting_as(actor):
        case = _locked(case)
        _move(case, CaseStatus.ON_HOLD)
        case.save()
        return case


@transaction.atomic
def case_resume(*, actor: User, case: Case) -> Case:
    _require(actor, CaseAction.CHANGE_FILE, case)
    with acting_as(actor):
        case = _locked(case)
        _move(case, CaseStatus.ACTIVE)
        case.save()
        return case


@transaction.atomic
def case_close(*, actor: User, case: Case, outcome: str, closing_note: str = "") -> Case:
    """Close the case. Only a professional holding ``close_case`` on it may (R9).

    Both are checked, as defence in depth: a wrong grant alone cannot let a volunteer or a
    coordinator close a case. Closing ends every volunteer's assignment and so their access.
    """
    _require_professional(actor)
    _require(actor, CaseAction.CLOSE, case)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome.")})
    with acting_as(actor):
        case = _locked(case)
        _move(case, CaseStatus.CLOSED)
        now = timezone.now()
        case.outcome = outcome
        case.closing_note = closing_note
        case.closed_at = now
        case.retention_until = retention_until_for(case, timezone.localdate())
        case.version += 1
        case.save()
        for membership in CaseMembership.objects.filter(
            case=case, role=MembershipRole.VOLUNTEER, ended_at__isnull=True
        ):
            membership.ended_at = now
            membership.save(update_fields=["ended_at"])
        sync_case_permissions(case)
        return case


@transaction.atomic
def case_reopen(*, actor: User, case: Case, responsible: User | None = None) -> Case:
    """Reopen a closed case as active; a professional only, with a responsible professional."""
    _require_professional(actor)
    _require(actor, CaseAction.REOPEN, case)
    with acting_as(actor):
        case = _locked(case)
        if responsible is not None:
            case_set_responsible(actor=actor, case=case, professional=responsible)
        _move(case, CaseStatus.ACTIVE)
        case.closed_at = None
        case.retention_until = None
        case.outcome = ""
        case.version += 1
        case.save()
        sync_case_permissions(case)
        return case


# --- who works on the case -------------------------------------------------------------------


@transaction.atomic
def case_set_responsible(*, actor: User, case: Case, professional: User) -> CaseMembership:
    """Make ``professional`` the one responsible professional; the previous one stays involved."""
    _require_professional(actor)
    _require(actor, CaseAction.CHANGE_FILE, case)
    _check_professional_of_team(professional, case)
    with acting_as(actor):
        now = timezone.now()
        current = _responsible_membership(case)
        if current is not None and current.user_id == professional.pk:
            return current
        if current is not None:
            current.ended_at = now
            current.save(update_fields=["ended_at"])
            CaseMembership.objects.create(
                case=case, user=current.user, role=MembershipRole.PROFESSIONAL, started_at=now, created_by=actor
            )
        existing = CaseMembership.objects.filter(case=case, user=professional, ended_at__isnull=True).first()
        if existing is not None:
            existing.ended_at = now
            existing.save(update_fields=["ended_at"])
        membership = CaseMembership.objects.create(
            case=case, user=professional, role=MembershipRole.RESPONSIBLE, started_at=now, created_by=actor
        )
        sync_case_permissions(case)
        return membership


@transaction.atomic
def case_add_professional(*, actor: User, case: Case, professional: User) -> CaseMembership:
    _require(actor, CaseAction.CHANGE_FILE, case)
    if not has_role(professional, Role.PROFESSIONAL):
        raise ValidationError(_("Only professionals can be added as a professional."))
    with acting_as(actor):
        membership = _create_membership(case=case, user=professional, role=MembershipRole.PROFESSIONAL, actor=actor)
        sync_case_permissions(case)
        return membership


@transaction.atomic
def volunteer_assign(*, actor: User, case: Case, volunteer: User) -> CaseMembership:
    """Let a volunteer join a case: only with the resident's consent (R6) and a valid VOG."""
    _require_professional(actor)
    _require(actor, CaseAction.CHANGE_FILE, case)
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(_("A closed case cannot get volunteer staff."))
    if not has_role(volunteer, Role.VOLUNTEER_STAFF):
        raise ValidationError(_("This person is not volunteer staff."))
    consent = current_consent(case)
    if consent is None or not consent.allows_volunteer:
        raise ValidationError(_("The resident has not consented to a volunteer joining (R6)."))
    forget_volunteer_profile(volunteer)  # screening may have changed since this object was loaded
    if not volunteer_may_hold_access(volunteer):
        raise ValidationError(_("This volunteer has no valid certificate of good conduct (VOG)."))
    with acting_as(actor):
        membership = _create_membership(case=case, user=volunteer, role=MembershipRole.VOLUNTEER, actor=actor)
        sync_case_permissions(case)
        return membership


@transaction.atomic
def membership_end(*, actor: User, membership: CaseMembership) -> CaseMembership:
    """End someone's involvement; the responsible professional is replaced, never just removed."""
    case = membership.case
    _require_professional(actor)
    _require(actor, CaseAction.CHANGE_FILE, case)
    if membership.role == MembershipRole.RESPONSIBLE and case.status in NEEDS_RESPONSIBLE:
        raise ValidationError(_("Choose a new responsible professional first (R9)."))
    if membership.ended_at is not None:
        return membership
    with acting_as(actor):
        membership.ended_at = timezone.now()
        membership.save(update_fields=["ended_at"])
        sync_case_permissions(case)
        return membership


def _create_membership(*, case: Case, user: User, role: str, actor: User) -> CaseMembership:
    if CaseMembership.objects.filter(case=case, user=user, ended_at__isnull=True).exists():
        raise ValidationError(_("This person already works on the case."))
    try:
        with transaction.atomic():
            return CaseMembership.objects.create(case=case, user=user, role=role, created_by=actor)
    except IntegrityError as error:
        raise ValidationError(_("This person already works on the case.")) from error


def _check_professional_of_team(professional: User, case: Case) -> None:
    from accounts.models import ProfessionalProfile

    if not has_role(professional, Role.PROFESSIONAL) or not professional.is_active:
        raise ValidationError(_("The responsible professional must be an active professional."))
    if not ProfessionalProfile.objects.filter(user=professional, team_id=case.team_id).exists():
        raise ValidationError(_("The responsible professional must belong to the case's team."))


# --- consent (R6) ----------------------------------------------------------------------------


@transaction.atomic
def consent_record(
    *,
    actor: User,
    case: Case,
    answer: str,
    asked_at: datetime.datetime | None = None,
    note: str = "",
) -> VolunteerConsent:
    """Record the resident's answer; anything but 'yes' removes volunteer access at once."""
    _require(actor, CaseAction.CHANGE_FILE, case)
    if answer not in ConsentAnswer.values:
        raise ValidationError({"answer": _("Choose an answer.")})
    with acting_as(actor):
        consent = VolunteerConsent.objects.create(
            case=case,
            answer=answer,
            asked_at=asked_at or (timezone.now() if answer != ConsentAnswer.NOT_ASKED else None),
            asked_by=actor if answer != ConsentAnswer.NOT_ASKED else None,
            note=note,
        )
        sync_case_permissions(case)
        return consent


@transaction.atomic
def consent_withdraw(*, actor: User, case: Case, note: str = "") -> VolunteerConsent:
    """The resident withdraws consent: every volunteer loses access on the next request."""
    _require(actor, CaseAction.CHANGE_FILE, case)
    consent = current_consent(case)
    if consent is None or not consent.allows_volunteer:
        raise ValidationError(_("There is no consent to withdraw."))
    with acting_as(actor):
        consent.withdrawn_at = timezone.now()
        consent.withdrawn_by = actor
        if note:
            consent.note = note
        consent.save()
        sync_case_permissions(case)
        return consent


# --- journal, visits, agreements -------------------------------------------------------------


@transaction.atomic
def journal_entry_add(
    *, actor: User, case: Case, text: str, visibility: str = JournalVisibility.PROFESSIONALS
) -> JournalEntry:
    _require(actor, CaseAction.CHANGE_FILE, case)
    if not text.strip():
        raise ValidationError({"text": _("Write something first.")})
    with acting_as(actor):
        entry = JournalEntry.objects.create(case=case, author=actor, text=text, visibility=visibility)
        _touch(case, entry.created_at)
        return entry


@transaction.atomic
def home_visit_log(
    *,
    actor: User,
    case: Case,
    visited_on: datetime.date,
    duration_minutes: int,
    submission_key: uuid.UUID | None = None,
    **fields,
) -> HomeVisit:
    """Log a home visit on a case the actor is assigned to (R9). A repeated
    ``submission_key`` (double tap, retry after a lost connection) returns the first visit."""
    if not (can(actor, CaseAction.LOG_VISIT, case) or can(actor, CaseAction.CHANGE_FILE, case)):
        raise PermissionDenied(_("You may not log a visit on this case."))
    if submission_key is not None:
        existing = HomeVisit.objects.filter(submission_key=submission_key, visitor=actor, case=case).first()
        if existing is not None:
            return existing
    with acting_as(actor):
        visit = HomeVisit(
            case=case,
            visitor=actor,
            visited_on=visited_on,
            duration_minutes=duration_minutes,
            submission_key=submission_key,
            **fields,
        )
        visit.full_clean(exclude=["case", "visitor"])
        visit.save()
        _touch(case)
        return visit


@transaction.atomic
def home_visit_correct(*, actor: User, visit: HomeVisit, **fields) -> HomeVisit:
    """The author corrects their own visit, within the correction window; audited."""
    from .slice import VISIT_CORRECTION_WINDOW

    if visit.visitor_id != actor.pk or not can(actor, CaseAction.LOG_VISIT, visit.case):
        raise PermissionDenied(_("Only the author can correct this visit."))
    if timezone.now() - visit.created_at > VISIT_CORRECTION_WINDOW:
        raise ValidationError(_("This visit can no longer be corrected. Ask the responsible professional."))
    allowed = {
        "visited_on",
        "start_time",
        "duration_minutes",
        "company",
        "activities",
        "summary",
        "note_for_responsible",
        "follow_up_on",
    }
    if set(fields) - allowed:
        raise TypeError(f"Not correctable: {sorted(set(fields) - allowed)}")
    with acting_as(actor):
        visit = HomeVisit.objects.select_for_update().get(pk=visit.pk)
        for name, value in fields.items():
            setattr(visit, name, value)
        visit.full_clean(exclude=["case", "visitor"])
        visit.save()
        return visit


@transaction.atomic
def agreement_add(
    *,
    actor: User,
    case: Case,
    kind: str,
    description: str,
    assignee: User,
    due_on: datetime.date | None = None,
) -> Agreement:
    """Record who does what by when. Care and medical kinds never go to volunteer staff (R10)."""
    _require(actor, CaseAction.CHANGE_FILE, case)
    if kind not in AgreementKind.values:
        raise ValidationError({"kind": _("Choose a kind.")})
    is_volunteer_member = CaseMembership.objects.filter(
        case=case, user=assignee, role=MembershipRole.VOLUNTEER, ended_at__isnull=True
    ).exists()
    if kind in PROFESSIONAL_ONLY_AGREEMENT_KINDS and (is_volunteer_member or not has_role(assignee, Role.PROFESSIONAL)):
        raise ValidationError({"assignee": _("Care and medical tasks are for professionals only (R10).")})
    if not is_volunteer_member and not has_role(assignee, Role.PROFESSIONAL):
        raise ValidationError({"assignee": _("Agreements are for people who work on the case.")})
    with acting_as(actor):
        agreement = Agreement.objects.create(
            case=case, kind=kind, description=description, assignee=assignee, due_on=due_on, created_by=actor
        )
        _touch(case)
        return agreement


# --- intake (R3) -----------------------------------------------------------------------------


@transaction.atomic
def intake_register(
    *,
    actor: User,
    intake_channel: str,
    domains: Iterable[LifeDomain],
    request_for_help: str,
    resident: Resident | None = None,
    resident_fields: dict | None = None,
    topics: Iterable[Topic] = (),
    urgency: str = Urgency.NORMAL,
    volunteer_summary: str = "",
    consent_answer: str = ConsentAnswer.NOT_ASKED,
    submission_key: uuid.UUID | None = None,
) -> Case:
    """Register a request for help for an existing or a new resident, with the consent answer.

    One ``submission_key`` registers one case: a double submit or a retry returns the first.
    """
    _require_professional(actor)
    if submission_key is not None:
        existing = Case.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return existing
    if (resident is None) == (resident_fields is None):
        raise TypeError("Give either an existing resident or the fields of a new one.")
    if resident is None:
        resident = resident_create(actor=actor, **resident_fields)
    case = case_open(
        actor=actor,
        resident=resident,
        intake_channel=intake_channel,
        domains=domains,
        topics=topics,
        urgency=urgency,
        request_for_help=request_for_help,
        volunteer_summary=volunteer_summary,
    )
    if submission_key is not None:
        Case.objects.filter(pk=case.pk).update(submission_key=submission_key)  # not audited: a technical key
        case.submission_key = submission_key
    if consent_answer != ConsentAnswer.NOT_ASKED:
        consent_record(actor=actor, case=case, answer=consent_answer)
    return case


@transaction.atomic
def resident_update(*, actor: User, case: Case, expected_updated_at=None, **fields) -> Resident:
    """Rectify the resident's details from one of their cases; the audit log keeps the history."""
    _require(actor, CaseAction.CHANGE_FILE, case)
    unknown = set(fields) - set(RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    with acting_as(actor):
        resident = Resident.objects.select_for_update().get(pk=case.resident_id)
        if expected_updated_at is not None and resident.updated_at != expected_updated_at:
            raise ConcurrentEditError(
                _("Someone else changed these details while you were editing. Your text is kept; check and save again.")
            )
        for name, value in fields.items():
            setattr(resident, name, value)
        resident.full_clean()
        resident.save()
        return resident


# --- more of the lifecycle -------------------------------------------------------------------


@transaction.atomic
def case_transfer(*, actor: User, case: Case, team, responsible: User) -> Case:
    """Hand the case to another team with a responsible professional of that team.

    The old team loses access with its group grant; volunteer staff of the old team leave the
    case (their consent and assignment were for that team's work).
    """
    _require_professional(actor)
    _require(actor, CaseAction.CHANGE_FILE, case)
    if team.pk == case.team_id:
        raise ValidationError(_("The case already belongs to this team."))
    from accounts.models import ProfessionalProfile

    if not ProfessionalProfile.objects.filter(user=responsible, team=team).exists():
        raise ValidationError(_("The responsible professional must belong to the new team."))
    with acting_as(actor):
        case = _locked(case)
        now = timezone.now()
        for membership in CaseMembership.objects.filter(case=case, ended_at__isnull=True).exclude(user=responsible):
            membership.ended_at = now
            membership.save(update_fields=["ended_at"])
        case.team = team
        case.version += 1
        case.save()
        existing = CaseMembership.objects.filter(case=case, user=responsible, ended_at__isnull=True).first()
        if existing is None or existing.role != MembershipRole.RESPONSIBLE:
            if existing is not None:
                existing.ended_at = now
                existing.save(update_fields=["ended_at"])
            CaseMembership.objects.create(
                case=case, user=responsible, role=MembershipRole.RESPONSIBLE, started_at=now, created_by=actor
            )
        sync_case_permissions(case)
        return case


@transaction.atomic
def case_flag_for_meeting(*, actor: User, case: Case, flagged: bool = True) -> Case:
    """A professional puts a running case on the next weekly meeting's agenda (R4)."""
    _require(actor, CaseAction.CHANGE_FILE, case)
    with acting_as(actor):
        case = _locked(case)
        case.flagged_for_meeting = flagged
        case.save(update_fields=["flagged_for_meeting"])
        return case


@transaction.atomic
def agreement_complete(*, actor: User, agreement: Agreement) -> Agreement:
    case = agreement.case
    if not (can(actor, CaseAction.CHANGE_FILE, case) or agreement.assignee_id == actor.pk):
        raise PermissionDenied(_("You may not do this on this case."))
    if agreement.done_at is not None:
        return agreement
    with acting_as(actor):
        agreement.done_at = timezone.now()
        agreement.save(update_fields=["done_at"])
        _touch(case)
        return agreement


# --- the weekly meeting (R4, R5) -------------------------------------------------------------


def week_monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@transaction.atomic
def meeting_start(*, actor: User, team, day: datetime.date | None = None) -> Meeting:
    """Open (or return) this week's meeting of ``team``; only its professionals may."""
    _require_professional(actor)
    if not actor.groups.filter(pk=team.professionals_group_id).exists():
        raise PermissionDenied(_("Only the team's professionals hold its meeting."))
    monday = week_monday(day or timezone.localdate())
    with acting_as(actor):
        meeting, _created = Meeting.objects.get_or_create(team=team, week_start=monday, defaults={"chair": actor})
        return meeting


@transaction.atomic
def meeting_decide(
    *,
    actor: User,
    meeting: Meeting,
    case: Case,
    responsible: User,
    next_step: str,
    volunteer: User | None = None,
    notes: str = "",
    reasons: Iterable[str] = (),
) -> MeetingDecision:
    """Record the team's decision on an agenda item and carry it out through the services:
    the responsible professional (R9), the case into active work, and a volunteer only when the
    resident consented (R6). One decision per case per meeting; a second one replaces nothing."""
    _require_professional(actor)
    _require(actor, CaseAction.CHANGE_FILE, case)
    if meeting.ended_at is not None:
        raise ValidationError(_("This meeting has ended; decisions go on the next one."))
    if case.team_id != meeting.team_id:
        raise ValidationError(_("This case belongs to another team."))
    if not next_step.strip():
        raise ValidationError({"next_step": _("Write down the next step.")})
    if MeetingDecision.objects.filter(meeting=meeting, case=case).exists():
        raise ValidationError(_("The team already decided on this case in this meeting."))
    with acting_as(actor):
        case = _locked(case)
        if case.status == CaseStatus.NEW:
            _move(case, CaseStatus.IN_TRIAGE)
            case.save()
        case_set_responsible(actor=actor, case=case, professional=responsible)
        if case.status == CaseStatus.IN_TRIAGE:
            case = case_activate(actor=actor, case=case)
        if (
            volunteer is not None
            and not CaseMembership.objects.filter(case=case, user=volunteer, ended_at__isnull=True).exists()
        ):
            volunteer_assign(actor=actor, case=case, volunteer=volunteer)
        if case.flagged_for_meeting:
            case.flagged_for_meeting = False
            case.save(update_fields=["flagged_for_meeting"])
        decision = MeetingDecision.objects.create(
            meeting=meeting,
            case=case,
            reasons=list(reasons),
            responsible=responsible,
            volunteer=volunteer,
            next_step=next_step,
            notes=notes,
            decided_by=actor,
        )
        _touch(case, decision.decided_at)
        return decision


@transaction.atomic
def meeting_end(*, actor: User, meeting: Meeting) -> Meeting:
    """Close the meeting; its decisions form the minutes. Alarms discussed are resolved."""
    _require_professional(actor)
    if not actor.groups.filter(pk=meeting.team.professionals_group_id).exists():
        raise PermissionDenied(_("Only the team's professionals hold its meeting."))
    with acting_as(actor):
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.ended_at is None:
            meeting.ended_at = timezone.now()
            meeting.save(update_fields=["ended_at"])
            from volunteers.models import Alarm

            decided = meeting.decisions.values_list("case_id", flat=True)
            for alarm in Alarm.objects.filter(case_id__in=decided, resolved_at__isnull=True):
                alarm.resolved_at = meeting.ended_at
                alarm.resolved_by = actor
                alarm.save(update_fields=["resolved_at", "resolved_by"])
        return meeting


# --- volunteer staff's own answers (R5, R7, R11) ---------------------------------------------


@transaction.atomic
def interest_record(*, actor: User, case: Case, answer: str, reason: str = "", note: str = "") -> CaseInterest:
    """A volunteer says 'I would like to join' or 'not for me' (with a reason) about a new case
    of their own team whose resident consented (R5, R7)."""
    from .selectors import open_questions_for

    if not open_questions_for(actor).filter(pk=case.pk).exists():
        raise PermissionDenied(_("This question is not open for you."))
    if answer == InterestAnswer.DECLINED and not reason:
        raise ValidationError({"reason": _("Say why this is not for you.")})
    with acting_as(actor):
        interest, _created = CaseInterest.objects.update_or_create(
            case=case,
            volunteer=actor,
            defaults={
                "answer": answer,
                "reason": reason if answer == InterestAnswer.DECLINED else "",
                "note": note,
                "answered_at": timezone.now(),
            },
        )
        return interest


@transaction.atomic
def alarm_raise(*, actor: User, note: str = "", case: Case | None = None):
    """'This is getting too heavy' (R11): reaches the supervising professional and puts the
    case on the next meeting's agenda."""
    from volunteers.models import Alarm

    if not has_role(actor, Role.VOLUNTEER_STAFF):
        raise PermissionDenied(_("Only volunteer staff raise the alarm here."))
    if case is not None and not can(actor, CaseAction.VIEW_SLICE, case):
        raise PermissionDenied(_("You may not do this on this case."))
    with acting_as(actor):
        alarm = Alarm.objects.create(volunteer=actor, case=case, note=note)
        if case is not None:
            _touch(case)
        transaction.on_commit(lambda: notify_alarm(alarm))
        return alarm


def notify_alarm(alarm) -> None:
    """E-mail the supervising professional (and the case's responsible professional) that a
    volunteer raised the alarm. The message holds no case content: it links to the app."""
    from django.core.mail import send_mail
    from django.urls import reverse

    from volunteers.models import VolunteerStaff

    profile = VolunteerStaff.objects.select_related("supervisor").filter(user=alarm.volunteer).first()
    recipients = {profile.supervisor.email} if profile and profile.supervisor and profile.supervisor.email else set()
    if alarm.case_id:
        responsible = (
            CaseMembership.objects.filter(case_id=alarm.case_id, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True)
            .select_related("user")
            .first()
        )
        if responsible and responsible.user.email:
            recipients.add(responsible.user.email)
    if not recipients:
        return
    from django.conf import settings

    path = reverse("cases:detail", args=[alarm.case_id]) if alarm.case_id else reverse("home")
    link = settings.SITE_URL + path
    send_mail(
        subject=_("Volunteer staff raised the alarm"),
        message=_("%(name)s says the work is getting too heavy. See Wijkteam: %(link)s")
        % {"name": alarm.volunteer.display_name, "link": link},
        from_email=None,
        recipient_list=sorted(recipients),
        fail_silently=True,
    )


@transaction.atomic
def alarm_resolve(*, actor: User, alarm) -> object:
    """The supervising or responsible professional has followed the alarm up."""
    _require_professional(actor)
    supervises = alarm.volunteer.volunteer_profile.supervisor_id == actor.pk
    if not supervises and not (alarm.case_id and can(actor, CaseAction.CHANGE_FILE, alarm.case)):
        raise PermissionDenied(_("You may not do this on this case."))
    if alarm.resolved_at is not None:
        return alarm
    with acting_as(actor):
        alarm.resolved_at = timezone.now()
        alarm.resolved_by = actor
        alarm.save(update_fields=["resolved_at", "resolved_by"])
        return alarm
