"""The weekly meeting's agenda (R4): it builds itself from the facts of the team's cases."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.facts import professional_team_ids
from accounts.models import Team, User
from base.policy import parse_id

from ..constants import CaseStatus, MembershipRole
from ..models import (
    AgendaReason,
    Alarm,
    Case,
    CaseInterest,
    CaseMembership,
    InterestAnswer,
    Meeting,
    MeetingDecision,
)
from ..permissions import CaseAction, cases_for
from .files import team_cases


@dataclass(frozen=True)
class AlarmNote:
    """An open alarm on an agenda item: who raised it, when, and what they wrote."""

    volunteer: str
    raised_at: datetime.datetime
    note: str


@dataclass
class AgendaItem:
    case: Case
    reasons: list[str]
    decision: MeetingDecision | None
    alarms: list[AlarmNote] = field(default_factory=list)
    # The decision's volunteer, since (R7): "proposed" (waiting for their answer), "declined", or "".
    volunteer_answer: str = ""

    @property
    def reason_labels(self) -> list[str]:
        return [str(AgendaReason(reason).label) for reason in self.reasons]


def current_meeting_team(user: User) -> Team | None:
    """The team whose weekly meeting is the user's own (their first team as a professional)."""
    return Team.objects.filter(pk__in=professional_team_ids(user)).order_by("pk").first()


AGENDA_PAGE_SIZE = 40


@dataclass
class AgendaPage:
    """One page of the agenda: items in agenda order, and where this page sits in the whole."""

    items: list[AgendaItem]
    total: int
    page: int
    pages: int

    @property
    def first_number(self) -> int:
        """The position of the first item here, for numbering the list across pages."""
        return 0 if not self.items else (self.page - 1) * AGENDA_PAGE_SIZE + 1


def meeting_agenda(*, user: User, meeting: Meeting, page: int | None = None) -> AgendaPage:
    """The agenda builds itself (R4): cases new since the last meeting, cases a professional
    flagged, cases where volunteer staff raised the alarm, and cases without activity for the
    team's number of weeks; plus whatever was decided in this meeting already.

    ``page`` (from 1) gives one page of ``AGENDA_PAGE_SIZE`` items; without it, all of them."""
    return _agenda(meeting, team_cases(user).filter(team=meeting.team), page=page)


def meeting_agenda_for_team(*, meeting: Meeting) -> list[int]:
    """The ids on the same agenda without a reader's scope: only for narrowing it down further
    (the volunteer view intersects it with the cases the volunteer may see)."""
    ranked, _alarms, _decisions = _ranked_agenda(meeting, Case.objects.filter(team=meeting.team))
    return [case_id for case_id, _reasons, _decided in ranked]


def decided_item(*, meeting: Meeting, case: Case) -> AgendaItem:
    """An agenda item with the team's decision on it (the answer to deciding it, also to a repeat)."""
    decision = MeetingDecision.objects.select_related("responsible", "volunteer", "case__resident__village").get(
        meeting=meeting, case=case
    )
    answers = volunteer_answers([decision.case_id])
    return AgendaItem(
        case=decision.case,
        reasons=decision.reasons,
        decision=decision,
        volunteer_answer=answers.get((decision.case_id, decision.volunteer_id), ""),
    )


def volunteer_answers(case_ids: list[int]) -> dict[tuple[int, int], str]:
    """(case id, volunteer id) -> "proposed" while a proposed volunteer has not answered yet,
    "declined" once they declined (R7); accepted or never proposed: absent. Two queries."""
    declined = CaseInterest.objects.filter(case_id__in=case_ids, answer=InterestAnswer.DECLINED)
    answers = dict.fromkeys(declined.values_list("case_id", "volunteer_id"), "declined")
    for case_id, user_id, accepted_at in CaseMembership.objects.filter(
        case_id__in=case_ids, role=MembershipRole.VOLUNTEER, ended_at__isnull=True
    ).values_list("case_id", "user_id", "accepted_at"):
        if accepted_at is None:
            answers[case_id, user_id] = "proposed"
        else:
            answers.pop((case_id, user_id), None)
    return answers


def meeting_case(*, user: User, meeting: Meeting, case_id) -> Case:
    """A case of the meeting's team whose file ``user`` may read, to decide on; else 404. One
    query: the case and its resident (whose village the suggestions rank by)."""
    number = parse_id(case_id)
    case = (
        cases_for(user, CaseAction.VIEW_FILE, case_id=number)
        .filter(team_id=meeting.team_id)
        .select_related("resident")
        .first()
        if number is not None
        else None
    )
    if case is None:
        raise Http404
    return case


def responsible_of(case: Case) -> User | None:
    """The responsible professional: from the memberships ``team_cases`` read with the case, or
    one query."""
    memberships = getattr(case, "responsible_memberships", None)
    if memberships is None:
        memberships = CaseMembership.objects.filter(
            case=case, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True
        ).select_related("user")[:1]
    return next((membership.user for membership in memberships), None)


AGENDA_ORDER = {AgendaReason.NEW: 0, AgendaReason.ALARM: 1, AgendaReason.FLAGGED: 2, AgendaReason.INACTIVE: 3}


def _ranked_agenda(
    meeting: Meeting, scope: QuerySet[Case]
) -> tuple[list[tuple[int, list[str], bool]], dict[int, list[AlarmNote]], dict[int, MeetingDecision]]:
    """(case id, reasons, decided here) of every agenda item, in agenda order: undecided first,
    by their most pressing reason, then by opening; the open alarms by case, with their
    notes; and this meeting's decisions by case. Read as a few plain columns per case, so a
    long agenda costs one light query; the page shown loads its cases afterwards."""
    team = meeting.team
    previous = Meeting.objects.filter(team=team, week_start__lt=meeting.week_start).order_by("-week_start").first()
    since = previous.started_at if previous else None
    quiet_before = timezone.now() - datetime.timedelta(weeks=team.inactivity_weeks)
    # The few cases with an open alarm or a decision in this meeting, as ids: then every arm of
    # the filter below has an index of its own, and PostgreSQL combines them (BitmapOr) instead
    # of testing every case of the team.
    alarms: dict[int, list[AlarmNote]] = {}
    for case_id, first, last, username, raised_at, note in (
        Alarm.objects.filter(case__team=team, resolved_at__isnull=True)
        .order_by("raised_at", "pk")
        .values_list(
            "case_id", "volunteer__first_name", "volunteer__last_name", "volunteer__username", "raised_at", "note"
        )
    ):
        name = f"{first} {last}".strip() or username
        alarms.setdefault(case_id, []).append(AlarmNote(volunteer=name, raised_at=raised_at, note=note))
    alarmed = set(alarms)
    # This meeting's decisions (a few dozen at most), read once for the ranking and the page.
    decisions = {
        decision.case_id: decision
        for decision in MeetingDecision.objects.filter(meeting=meeting).select_related("responsible", "volunteer")
    }
    decided = set(decisions)

    new_q = Q(status__in=[CaseStatus.NEW, CaseStatus.IN_TRIAGE])
    if since is not None:
        new_q |= Q(opened_at__gte=since)
    running = Q(status__in=[CaseStatus.ACTIVE, CaseStatus.ON_HOLD])
    rows = (
        scope.select_related(None)
        .prefetch_related(None)
        .filter(
            # open cases for any reason; a closed case only when it was decided in this meeting
            (new_q | Q(flagged_for_meeting=True) | Q(pk__in=alarmed) | (running & Q(last_activity_at__lt=quiet_before)))
            & ~Q(status=CaseStatus.CLOSED)
            | Q(pk__in=decided)
        )
        .order_by("opened_at", "pk")
        .values_list("pk", "status", "opened_at", "flagged_for_meeting", "last_activity_at")
    )
    ranked = []
    for pk, status, opened_at, flagged, last_activity_at in rows:
        has_open_alarm, decided_here = pk in alarmed, pk in decided
        reasons = []
        if status in (CaseStatus.NEW, CaseStatus.IN_TRIAGE) or (since and opened_at >= since):
            reasons.append(AgendaReason.NEW)
        if has_open_alarm:
            reasons.append(AgendaReason.ALARM)
        if flagged:
            reasons.append(AgendaReason.FLAGGED)
        if status in (CaseStatus.ACTIVE, CaseStatus.ON_HOLD) and last_activity_at < quiet_before:
            reasons.append(AgendaReason.INACTIVE)
        ranked.append((pk, reasons, decided_here))
    # stable: within a rank, the order of opening stays
    ranked.sort(key=lambda row: (row[2], min((AGENDA_ORDER[r] for r in row[1]), default=9)))
    return ranked, alarms, decisions


def _agenda(meeting: Meeting, scope: QuerySet[Case], *, page: int | None = None) -> AgendaPage:
    ranked, alarms, decisions = _ranked_agenda(meeting, scope)
    pages = max(1, -(-len(ranked) // AGENDA_PAGE_SIZE))
    shown = ranked
    if page is not None:
        page = min(max(page, 1), pages)
        shown = ranked[(page - 1) * AGENDA_PAGE_SIZE : page * AGENDA_PAGE_SIZE]
    ids = [pk for pk, _reasons, _decided in shown]
    cases = scope.filter(pk__in=ids).in_bulk() if ids else {}
    answers = volunteer_answers(ids)
    items = []
    for pk, reasons, _decided in shown:
        decision = decisions.get(pk)
        items.append(
            AgendaItem(
                case=cases[pk],
                reasons=reasons or list(decision.reasons if decision else []),
                decision=decision,
                alarms=alarms.get(pk, []),
                volunteer_answer=answers.get((pk, decision.volunteer_id), "") if decision else "",
            )
        )
    return AgendaPage(items=items, total=len(ranked), page=page or 1, pages=pages if page is not None else 1)
