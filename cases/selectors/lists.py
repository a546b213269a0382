"""The team case list: filters, sorts and keyset pages over the cases the reader may read.

Not a django-filter ``FilterSet``: weighed for issue [14] and left, because it would not make
the list simpler. Most filters are no field lookup but a rule of their own (an ``EXISTS`` on
life domains, topics or the responsible professional's open membership; "no activity for N
weeks" from today; the resident search of ``residents.matching_residents``), the page is a
keyset page rather than an offset, and a malformed filter is ignored rather than an error
(``CaseFilterForm``). A ``FilterSet`` would hold those same methods and move half of the rule
out of this selector into a class the view builds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from base.policy import parse_id

from ..constants import CaseStatus, MembershipRole
from ..models import Case, CaseMembership, Resident
from .files import team_cases
from .residents import matching_residents

SORTS = {
    "newest": ("-opened_at", "-pk"),
    "oldest": ("opened_at", "pk"),
    "quiet": ("last_activity_at", "pk"),
    "recent": ("-last_activity_at", "-pk"),
}


@dataclass
class CasePage:
    cases: list[Case]
    next_cursor: str | None
    is_first: bool


def team_case_list(
    *,
    user: User,
    status: str = "",
    domain: str = "",
    topic: str = "",
    village: int | None = None,
    responsible: int | None = None,
    urgency: str = "",
    quiet_weeks: int | None = None,
    query: str = "",
    sort: str = "newest",
    cursor: str = "",
    page_size: int = 25,
) -> CasePage:
    """One page of the cases whose file the user may read, filtered and sorted.

    Keyset pagination (a cursor of the sort value and the pk) instead of counting the table:
    every page costs the same, however deep.
    """
    cases = team_cases(user)
    cases = cases.filter(status=status) if status else cases.exclude(status=CaseStatus.CLOSED)
    if domain:
        cases = cases.filter(Exists(Case.domains.through.objects.filter(case=OuterRef("pk"), lifedomain__code=domain)))
    if topic:
        cases = cases.filter(Exists(Case.topics.through.objects.filter(case=OuterRef("pk"), topic__code=topic)))
    if village:
        cases = cases.filter(resident__village_id=village)
    if responsible:
        cases = cases.filter(
            Exists(
                CaseMembership.objects.filter(
                    case=OuterRef("pk"), user_id=responsible, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True
                )
            )
        )
    if urgency:
        cases = cases.filter(urgency=urgency)
    if quiet_weeks:
        cases = cases.filter(last_activity_at__lt=timezone.now() - datetime.timedelta(weeks=quiet_weeks))
    if query.strip():
        cases = cases.filter(resident__in=matching_residents(Resident.objects.all(), query))
    field, tie = SORTS.get(sort, SORTS["newest"])
    cases = cases.order_by(field, tie)
    if cursor:
        cases = _after_cursor(cases, field, cursor)
    rows = list(cases[: page_size + 1])
    next_cursor = None
    if len(rows) > page_size:
        rows = rows[:page_size]
        last = rows[-1]
        next_cursor = f"{getattr(last, field.lstrip('-')).isoformat()}|{last.pk}"
    return CasePage(cases=rows, next_cursor=next_cursor, is_first=not cursor)


def _after_cursor(cases: QuerySet[Case], field: str, cursor: str) -> QuerySet[Case]:
    try:
        raw_value, raw_pk = cursor.rsplit("|", 1)
        value, pk = datetime.datetime.fromisoformat(raw_value), parse_id(raw_pk)
    except ValueError:
        pk = None
    if pk is None:
        return cases  # a broken cursor shows the first page, never an error
    name = field.lstrip("-")
    if field.startswith("-"):
        return cases.filter(Q(**{f"{name}__lt": value}) | Q(**{name: value, "pk__lt": pk}))
    return cases.filter(Q(**{f"{name}__gt": value}) | Q(**{name: value, "pk__gt": pk}))
