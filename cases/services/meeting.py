"""The weekly meeting (R4, R5): opening it, deciding on agenda items, closing it."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.facts import is_professional_of
from accounts.models import Team, User
from base.audit import acting_as
from base.rows import json_rows

from ..constants import CaseStatus
from ..models import Alarm, Case, CaseMembership, Meeting, MeetingDecision
from ..permissions import CaseAction, cases_for, eligible_volunteers, sync_case_permissions
from ..policies import meetings, professionals_for
from ._common import lock, move, require_professional, touch
from .people import make_responsible, volunteer_assign


def week_monday(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


@transaction.atomic
def meeting_start(*, actor: User, team: Team, day: datetime.date | None = None) -> Meeting:
    """Open (or return) this week's meeting of ``team``; only its professionals may."""
    require_professional(actor)
    if not is_professional_of(actor, team.pk):
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
    the responsible professional (R9), the case into active work, and a volunteer only when
    they may join it (``permissions.eligible_volunteers``: consent, screening, not declined,
    R5–R7). The volunteer is *proposed*: they see the case once they accept (R7). One
    decision per case per meeting."""
    require_professional(actor)
    if meeting.ended_at is not None:
        raise ValidationError(_("This meeting has ended; decisions go on the next one."))
    if case.team_id != meeting.team_id:
        raise ValidationError(_("This case belongs to another team."))
    if not next_step.strip():
        raise ValidationError({"next_step": _("Write down the next step.")})
    # Two professionals deciding at once: the second waits on the lock, then finds the first's
    # decision.
    case = _decidable(actor, meeting, case, responsible)
    status_before = case.status
    already_on_case = volunteer is not None and volunteer.pk in case.members
    if volunteer is not None and not already_on_case and not eligible_volunteers(case).filter(user=volunteer).exists():
        raise ValidationError({"volunteer": _("Choose one of the suggested volunteer staff.")})
    with acting_as(actor):
        # One pass over the case, checked once above: the responsible professional, then a new
        # intake through triage into active work and off the agenda in one save (one audit
        # entry: new → active, the activity with it), the grants re-derived once.
        now = timezone.now()
        membership = make_responsible(
            actor=actor, case=case, professional=responsible, eligible=case.responsible_eligible, members=case.members
        )
        if case.status == CaseStatus.NEW:
            move(case, CaseStatus.IN_TRIAGE, responsible=membership)
        if case.status == CaseStatus.IN_TRIAGE:
            move(case, CaseStatus.ACTIVE, responsible=membership)
        if case.flagged_for_meeting or case.status != status_before:
            case.flagged_for_meeting = False
            case.last_activity_at = now
            case.save()
        else:
            touch(case, now)
        sync_case_permissions(case)
        if volunteer is not None and not already_on_case:
            volunteer_assign(actor=actor, case=case, volunteer=volunteer)
        return MeetingDecision.objects.create(
            meeting=meeting,
            case=case,
            reasons=list(reasons),
            responsible=responsible,
            volunteer=volunteer,
            next_step=next_step,
            notes=notes,
            decided_by=actor,
            decided_at=now,
        )


def _decidable(actor: User, meeting: Meeting, case: Case, responsible: User) -> Case:
    """The case under its row lock, then read through the policies with everything the
    decision checks, in one statement: may the actor change it (the case policy), do they hold
    this meeting (the meeting policy), did the team decide on it in this meeting already, may
    ``responsible`` be made responsible (``professionals_for``), and who is on it."""
    lock(case)
    found = (
        cases_for(actor, CaseAction.CHANGE_FILE, case_id=case.pk)
        .annotate(
            holds_meeting=Exists(meetings.scope(actor, meetings.Action.HOLD).filter(pk=meeting.pk)),
            decided_here=Exists(MeetingDecision.objects.filter(meeting=meeting, case=OuterRef("pk"))),
            responsible_eligible=Exists(professionals_for(case, responsible=True).filter(pk=responsible.pk)),
            member_rows=json_rows(
                CaseMembership.objects.filter(case_id=OuterRef("pk"), ended_at__isnull=True),
                "case_id",
                user_id=F("user_id"),
                role=F("role"),
            ),
        )
        .first()
    )
    if found is None:
        raise PermissionDenied(_("You may not do this on this case."))
    if not found.holds_meeting:
        raise PermissionDenied(_("Only the team's professionals hold its meeting."))
    if found.team_id != meeting.team_id:  # moved to another team meanwhile
        raise ValidationError(_("This case belongs to another team."))
    if found.decided_here:
        raise ValidationError(_("The team already decided on this case in this meeting."))
    found.members = {row["user_id"]: row["role"] for row in found.member_rows or []}
    return found


@transaction.atomic
def meeting_end(*, actor: User, meeting: Meeting) -> Meeting:
    """Close the meeting; its decisions form the minutes. Alarms on the cases decided on are
    followed up by that decision, so they are resolved."""
    require_professional(actor)
    meetings.require(actor, meetings.Action.HOLD, meeting, _("Only the team's professionals hold its meeting."))
    with acting_as(actor):
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if meeting.ended_at is None:
            meeting.ended_at = timezone.now()
            meeting.save(update_fields=["ended_at"])
            decided = meeting.decisions.values_list("case_id", flat=True)
            for alarm in Alarm.objects.filter(case_id__in=decided, resolved_at__isnull=True):
                alarm.resolved_at = meeting.ended_at
                alarm.resolved_by = actor
                alarm.save(update_fields=["resolved_at", "resolved_by"])
        return meeting
