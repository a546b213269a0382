"""My week (issue [12]): what someone has to do on the cases they work on in the coming days —
follow-up appointments of home visits and agreements due — and what they left open.

* professionals: the cases they are a member of (responsible or professional) whose file they
  may read; follow-ups of every visit on those cases; agreements assigned to them, and — as the
  responsible professional (R9) — every agreement on their cases;
* volunteer staff: the cases whose slice they hold, their own visits and tasks only, read from
  the slice allow-list (``cases.slice.build_week``, R8).

The home page and the daily reminders (``send_reminders``) read this one rule, so a mail never
counts what the page would not show. A fixed number of queries, however many items.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from accounts.models import User

from ..constants import CaseStatus, MembershipRole
from ..models import Agreement, Case, CaseMembership, HomeVisit
from ..permissions import CaseAction, cases_for
from ..slice import WeekAgreement, WeekFollowUp, build_week

FOLLOW_UP_OVERDUE_DAYS = 28  # an unanswered follow-up older than this is no longer shown
ITEM_LIMIT = 50  # per kind and per part: a home page, not an archive

PROFESSIONAL_ROLES = (MembershipRole.RESPONSIBLE, MembershipRole.PROFESSIONAL)


@dataclass(frozen=True)
class CaseWeek:
    """Follow-ups and agreements of one reader: ``slice_*`` from the slices (volunteer staff:
    handled on the slice page), the others from the files (professionals: the case file)."""

    follow_ups: list[WeekFollowUp] = field(default_factory=list)
    agreements: list[WeekAgreement] = field(default_factory=list)
    slice_follow_ups: list[WeekFollowUp] = field(default_factory=list)
    slice_agreements: list[WeekAgreement] = field(default_factory=list)

    @property
    def appointment_count(self) -> int:
        return len(self.follow_ups) + len(self.slice_follow_ups)

    @property
    def agreement_count(self) -> int:
        return len(self.agreements) + len(self.slice_agreements)


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def case_week(user: User, *, start: datetime.date, days: int = 7, with_overdue: bool = True) -> CaseWeek:
    """What ``user`` has to do from ``start`` for ``days`` days on the cases they work on; with
    ``with_overdue`` also what is overdue: agreements past their date and follow-up
    appointments of the last four weeks that no later visit answered. Four queries at most."""
    end = start + datetime.timedelta(days=days)
    since = _midnight(start - datetime.timedelta(days=FOLLOW_UP_OVERDUE_DAYS) if with_overdue else start)
    until = _midnight(end)
    due_since = None if with_overdue else start
    follow_ups, agreements = _professional_week(user, since=since, until=until, due_since=due_since, due_before=end)
    slice_follow_ups, slice_agreements = build_week(
        cases_for(user, CaseAction.VIEW_SLICE),
        viewer=user,
        since=since,
        until=until,
        due_since=due_since,
        due_before=end,
        limit=ITEM_LIMIT,
    )
    return CaseWeek(follow_ups, agreements, slice_follow_ups, slice_agreements)


def _member_cases(user: User, roles=PROFESSIONAL_ROLES) -> QuerySet[Case]:
    """The open cases whose file ``user`` may read and on which they are a member in ``roles``."""
    membership = CaseMembership.objects.filter(case=OuterRef("pk"), user=user, role__in=roles, ended_at__isnull=True)
    return cases_for(user, CaseAction.VIEW_FILE).exclude(status=CaseStatus.CLOSED).filter(Exists(membership))


def _professional_week(
    user: User,
    *,
    since: datetime.datetime,
    until: datetime.datetime,
    due_since: datetime.date | None,
    due_before: datetime.date,
) -> tuple[list[WeekFollowUp], list[WeekAgreement]]:
    cases = _member_cases(user)
    answered = HomeVisit.objects.filter(case=OuterRef("case"), visited_on__gte=OuterRef("follow_up_day")).exclude(
        pk=OuterRef("pk")
    )
    follow_ups = [
        WeekFollowUp(
            case_id=row["case_id"],
            resident_name=_name(row["case__resident__first_name"], row["case__resident__last_name"]),
            at=row["follow_up_on"],
            visitor_name=""
            if row["visitor_id"] == user.pk
            else _name(row["visitor__first_name"], row["visitor__last_name"]),
        )
        for row in HomeVisit.objects.filter(case__in=cases, follow_up_on__gte=since, follow_up_on__lt=until)
        .annotate(follow_up_day=TruncDate("follow_up_on"))
        .filter(~Exists(answered))
        .order_by("follow_up_on", "pk")
        .values(
            "case_id",
            "case__resident__first_name",
            "case__resident__last_name",
            "follow_up_on",
            "visitor_id",
            "visitor__first_name",
            "visitor__last_name",
        )[:ITEM_LIMIT]
    ]
    responsible = _member_cases(user, roles=(MembershipRole.RESPONSIBLE,)).values("pk")
    due = Agreement.objects.filter(
        Q(assignee=user) | Q(case__in=responsible), case__in=cases, done_at__isnull=True, due_on__lt=due_before
    )
    if due_since is not None:
        due = due.filter(due_on__gte=due_since)
    agreements = [
        WeekAgreement(
            id=row["id"],
            case_id=row["case_id"],
            resident_name=_name(row["case__resident__first_name"], row["case__resident__last_name"]),
            kind=row["kind"],
            description=row["description"],
            due_on=row["due_on"],
            assignee_name=""
            if row["assignee_id"] == user.pk
            else _name(row["assignee__first_name"], row["assignee__last_name"]),
        )
        for row in due.order_by("due_on", "pk").values(
            "id",
            "case_id",
            "case__resident__first_name",
            "case__resident__last_name",
            "kind",
            "description",
            "due_on",
            "assignee_id",
            "assignee__first_name",
            "assignee__last_name",
        )[:ITEM_LIMIT]
    ]
    return follow_ups, agreements


def people_with_work_on(day: datetime.date) -> QuerySet[User]:
    """Who may have a follow-up appointment or an agreement due on ``day`` (the reminders'
    candidates; :func:`case_week` then decides per person what they really see)."""
    start, end = _midnight(day), _midnight(day + datetime.timedelta(days=1))
    visits = HomeVisit.objects.filter(follow_up_on__gte=start, follow_up_on__lt=end).exclude(
        case__status=CaseStatus.CLOSED
    )
    agreements = Agreement.objects.filter(due_on=day, done_at__isnull=True).exclude(case__status=CaseStatus.CLOSED)
    members = CaseMembership.objects.filter(ended_at__isnull=True)
    return User.objects.filter(
        Q(pk__in=visits.values("visitor_id"))
        | Q(pk__in=members.filter(role__in=PROFESSIONAL_ROLES, case__in=visits.values("case_id")).values("user_id"))
        | Q(pk__in=agreements.values("assignee_id"))
        | Q(
            pk__in=members.filter(role=MembershipRole.RESPONSIBLE, case__in=agreements.values("case_id")).values(
                "user_id"
            )
        ),
        is_active=True,
    ).order_by("pk")


def _name(first: str, last: str) -> str:
    return f"{first} {last}".strip()
