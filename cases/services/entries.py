"""What is recorded on a case: journal, home visits, agreements, volunteer staff's answers on
the board, their alarms, and the visits they could no longer log (visit notes)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, has_role
from base.audit import acting_as
from base.updates import model_update

from ..constants import PROFESSIONAL_ONLY_AGREEMENT_KINDS, AgreementKind, JournalVisibility, MembershipRole
from ..models import (
    BOARD_DECLINE_REASONS,
    Agreement,
    Alarm,
    Case,
    CaseInterest,
    CaseMembership,
    HomeVisit,
    InterestAnswer,
    JournalEntry,
    VisitFields,
    VisitNote,
    VisitNoteOutcome,
)
from ..permissions import CaseAction, can, works_on
from ..policies import alarms, open_questions, visit_notes
from ._common import require, touch

VISIT_CORRECTION_WINDOW = datetime.timedelta(hours=getattr(settings, "VISIT_CORRECTION_HOURS", 72))
VISIT_BACKDATE_DAYS = 60
VISIT_FIELDS = tuple(field.name for field in VisitFields._meta.fields)  # the visit form's fields


@transaction.atomic
def journal_entry_add(
    *, actor: User, case: Case, text: str, visibility: str = JournalVisibility.PROFESSIONALS
) -> JournalEntry:
    require(actor, CaseAction.CHANGE_FILE, case)
    if not text.strip():
        raise ValidationError({"text": _("Write something first.")})
    if visibility not in JournalVisibility.values:
        raise ValidationError({"visibility": _("Choose who may read this entry.")})
    with acting_as(actor):
        entry = JournalEntry.objects.create(case=case, author=actor, text=text, visibility=visibility)
        touch(case, entry.created_at)
        return entry


def validate_visit_date(day: datetime.date, today: datetime.date | None = None) -> None:
    """A visit is logged for a day that has been, and at most 60 days back; older visits go
    through the responsible professional."""
    today = today or timezone.localdate()
    if day > today:
        raise ValidationError({"visited_on": _("A visit cannot be in the future.")})
    if day < today - datetime.timedelta(days=VISIT_BACKDATE_DAYS):
        raise ValidationError({"visited_on": _("Visits older than 60 days go through the responsible professional.")})


@transaction.atomic
def home_visit_log(
    *,
    actor: User,
    case: Case,
    visited_on: datetime.date,
    duration_minutes: int,
    **fields,
) -> HomeVisit:
    """Log a home visit on a case the actor is assigned to (R9). (A double tap records one
    visit: the view sends the form through ``base.submissions``.)"""
    if not works_on(actor, case):
        raise PermissionDenied(_("You may not log a visit on this case."))
    if set(fields) - set(VISIT_FIELDS):
        raise TypeError(f"Unknown visit fields: {sorted(set(fields) - set(VISIT_FIELDS))}")
    validate_visit_date(visited_on)
    with acting_as(actor):
        visit = HomeVisit(case=case, visitor=actor, visited_on=visited_on, duration_minutes=duration_minutes, **fields)
        visit.full_clean(exclude=["case", "visitor"])
        visit.save()
        touch(case)
        return visit


@transaction.atomic
def home_visit_correct(*, actor: User, visit: HomeVisit, expected_version: int, **fields) -> HomeVisit:
    """The author corrects their own visit, within the correction window, from the version
    they saw (a correction from another phone is never silently overwritten); audited."""
    if visit.visitor_id != actor.pk or not can(actor, CaseAction.LOG_VISIT, visit.case):
        raise PermissionDenied(_("Only the author can correct this visit."))
    if timezone.now() - visit.created_at > VISIT_CORRECTION_WINDOW:
        raise ValidationError(_("This visit can no longer be corrected. Ask the responsible professional."))
    if "visited_on" in fields:
        validate_visit_date(fields["visited_on"])
    with acting_as(actor):
        visit = HomeVisit.objects.select_for_update().get(pk=visit.pk)
        visit, _changed = model_update(
            instance=visit,
            fields=VISIT_FIELDS,
            data=fields,
            expected_version=expected_version,
            clean_exclude=["case", "visitor"],
        )
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
    require(actor, CaseAction.CHANGE_FILE, case)
    if kind not in AgreementKind.values:
        raise ValidationError({"kind": _("Choose a kind.")})
    # a proposed volunteer does not work on the case yet (R7)
    on_case = CaseMembership.objects.filter(case=case, user=assignee, ended_at__isnull=True, accepted_at__isnull=False)
    is_volunteer_member = on_case.filter(role=MembershipRole.VOLUNTEER).exists()
    if kind in PROFESSIONAL_ONLY_AGREEMENT_KINDS and (is_volunteer_member or not has_role(assignee, Role.PROFESSIONAL)):
        raise ValidationError({"assignee": _("Care and medical tasks are for professionals only.")})
    if not on_case.exists():
        raise ValidationError({"assignee": _("Agreements are for people who work on the case.")})
    with acting_as(actor):
        agreement = Agreement(
            case=case, kind=kind, description=description, assignee=assignee, due_on=due_on, created_by=actor
        )
        agreement.full_clean(exclude=["case", "assignee", "created_by"])
        agreement.save()
        touch(case)
        return agreement


@transaction.atomic
def agreement_complete(*, actor: User, agreement: Agreement) -> Agreement:
    case = agreement.case
    if not (can(actor, CaseAction.CHANGE_FILE, case) or agreement.assignee_id == actor.pk):
        raise PermissionDenied(_("You may not do this on this case."))
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)  # two ticks at once: done once
    if agreement.done_at is not None:
        return agreement
    with acting_as(actor):
        agreement.done_at = timezone.now()
        agreement.save(update_fields=["done_at"])
        touch(case)
        return agreement


# --- volunteer staff's own answers (R5, R7, R11) ---------------------------------------------


@transaction.atomic
def interest_record(*, actor: User, case: Case, answer: str, reason: str = "", note: str = "") -> CaseInterest:
    """A volunteer says 'I would like to join' or 'not for me' (with a reason) about a case on
    their open-questions board (R5, R7): ``policies.open_questions`` decides which."""
    open_questions.require(actor, open_questions.Action.ANSWER, case, _("This question is not open for you."))
    if answer not in InterestAnswer.values:
        raise ValidationError({"answer": _("Choose an answer.")})
    if answer == InterestAnswer.DECLINED and reason not in BOARD_DECLINE_REASONS:
        # "I know this resident" belongs to a proposal: the board does not say who it is (R7).
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
def alarm_raise(*, actor: User, note: str = "", case: Case | None = None) -> Alarm:
    """'This is getting too heavy' (R11): reaches the supervising professional and puts the
    case on the next meeting's agenda."""
    if not has_role(actor, Role.VOLUNTEER_STAFF):
        raise PermissionDenied(_("Only volunteer staff raise the alarm here."))
    if case is not None and not can(actor, CaseAction.VIEW_SLICE, case):
        raise PermissionDenied(_("You may not do this on this case."))
    with acting_as(actor):
        alarm = Alarm.objects.create(volunteer=actor, case=case, note=note)
        if case is not None:
            touch(case)
        transaction.on_commit(lambda: notify_alarm(alarm))
        return alarm


def notify_alarm(alarm: Alarm) -> None:
    """E-mail the supervising professional (and the case's responsible professional) that a
    volunteer raised the alarm. The message holds no case content: it links to the app."""
    recipients = {person.email for person in alarms.followers(alarm) if person.email}
    if not recipients:
        return
    path = reverse("cases:detail", args=[alarm.case_id]) if alarm.case_id else reverse("home")
    send_mail(
        subject=_("Volunteer staff raised the alarm"),
        message=_("%(name)s says the work is getting too heavy. See Wijkteam: %(link)s")
        % {"name": alarm.volunteer.display_name, "link": settings.SITE_URL + path},
        from_email=None,
        recipient_list=sorted(recipients),
        fail_silently=True,
    )


@transaction.atomic
def alarm_resolve(*, actor: User, alarm: Alarm) -> Alarm:
    """The supervising or responsible professional has followed the alarm up (``policies.alarms``)."""
    alarms.require(actor, alarms.Action.FOLLOW_UP, alarm, _("You may not do this on this case."))
    alarm = Alarm.objects.select_for_update().get(pk=alarm.pk)
    if alarm.resolved_at is not None:
        return alarm
    with acting_as(actor):
        alarm.resolved_at = timezone.now()
        alarm.resolved_by = actor
        alarm.save(update_fields=["resolved_at", "resolved_by"])
        return alarm


# --- a visit the server refused: sent as a note (issue [15], docs/offline-visits-design.md) ---


@transaction.atomic
def visit_note_send(
    *, actor: User, case: Case, visited_on: datetime.date, duration_minutes: int, **fields
) -> VisitNote:
    """A visit kept on the volunteer's phone that can no longer be logged (their access to the
    case ended meanwhile), sent to the professionals who follow them up instead. Nothing is
    written to the case: the note waits for a professional's decision (:func:`visit_note_handle`).
    Only on a case the volunteer was assigned to, also after the assignment ended."""
    if not visit_notes.sendable_cases(actor).filter(pk=case.pk).exists():
        raise PermissionDenied(_("You may not send a note about this case."))
    if set(fields) - set(VISIT_FIELDS):
        raise TypeError(f"Unknown visit fields: {sorted(set(fields) - set(VISIT_FIELDS))}")
    validate_visit_date(visited_on)
    with acting_as(actor):
        note = VisitNote(case=case, volunteer=actor, visited_on=visited_on, duration_minutes=duration_minutes, **fields)
        note.full_clean(exclude=["case", "volunteer"])
        note.save()
        transaction.on_commit(lambda: notify_visit_note(note))
        return note


def notify_visit_note(note: VisitNote) -> None:
    """E-mail whoever may decide on the note. No case content: a link to the app."""
    recipients = {person.email for person in visit_notes.followers(note) if person.email}
    if not recipients:
        return
    send_mail(
        subject=_("A home visit could not be added to a case"),
        message=_(
            "%(name)s sent a home visit that could no longer be added to the case. "
            "Decide what happens with it in Wijkteam: %(link)s"
        )
        % {
            "name": note.volunteer.display_name,
            "link": settings.SITE_URL + reverse("cases:visit_note", args=[note.pk]),
        },
        from_email=None,
        recipient_list=sorted(recipients),
        fail_silently=True,
    )


@transaction.atomic
def visit_note_handle(*, actor: User, note: VisitNote, outcome: str) -> VisitNote:
    """A professional decides on a visit note: add it to the case file as the volunteer's home
    visit (it then counts as their visit), or set it aside -- its text is deleted then. Decided
    once: a second decision (a double tap, a colleague at the same time) changes nothing and
    returns the note as it is."""
    visit_notes.require(actor, visit_notes.Action.DECIDE, note, _("You may not do this on this case."))
    if outcome not in VisitNoteOutcome.values:
        raise ValidationError(_("Choose what happens with this visit."))
    note = VisitNote.objects.select_for_update().get(pk=note.pk)
    if note.handled_at is not None:
        return note
    with acting_as(actor):
        if outcome == VisitNoteOutcome.LOGGED:
            require(actor, CaseAction.CHANGE_FILE, note.case)  # its date was checked when it was sent
            visit = HomeVisit(
                case=note.case, visitor=note.volunteer, **{name: getattr(note, name) for name in VISIT_FIELDS}
            )
            visit.full_clean(exclude=["case", "visitor"])
            visit.save()
            touch(note.case)
            note.visit = visit
        else:
            note.summary = ""
            note.note_for_responsible = ""
        note.outcome = outcome
        note.handled_at = timezone.now()
        note.handled_by = actor
        note.save()
        return note
