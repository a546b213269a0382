"""My week on the home page (issue [12]): the case file's follow-up appointments and agreements
due (``cases.selectors.case_week``), the walk-in shifts (``volunteers.selectors.week_shifts``)
and the open alarms a professional follows up, as one list per day, each item a link to the
page where it is handled. Only plain values: a volunteer's part comes from the slice."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import selectors as case_selectors
from volunteers import selectors as volunteer_selectors

WEEK_DAYS = 7


@dataclass(frozen=True)
class WeekItem:
    kind: str  # follow_up, agreement, shift, alarm
    day: datetime.date
    time: datetime.time | None
    label: str
    text: str
    url: str
    overdue: bool
    order: datetime.time = datetime.time.min  # within the day: alarms first, then by time


@dataclass(frozen=True)
class WeekDay:
    day: datetime.date
    items: list[WeekItem]


@dataclass(frozen=True)
class MyWeek:
    days: list[WeekDay]

    @property
    def overdue(self) -> int:
        return sum(1 for day in self.days for item in day.items if item.overdue)


def my_week(user, *, alarms=()) -> MyWeek:
    """The next seven days from today and what is overdue, grouped per day, oldest first.
    ``alarms``: the open alarms the home page already read for ``user`` (no second query)."""
    today = timezone.localdate()
    week = case_selectors.case_week(user, start=today, days=WEEK_DAYS)
    items = [
        *(_follow_up(f, today, in_slice=False) for f in week.follow_ups),
        *(_follow_up(f, today, in_slice=True) for f in week.slice_follow_ups),
        *(_agreement(a, today, in_slice=False) for a in week.agreements),
        *(_agreement(a, today, in_slice=True) for a in week.slice_agreements),
        *(_shift(s) for s in volunteer_selectors.week_shifts(user, start=today, days=WEEK_DAYS)),
        *(_alarm(a, today) for a in alarms),
    ]
    days: dict[datetime.date, list[WeekItem]] = {}
    for item in sorted(items, key=lambda i: (i.day, i.kind != "alarm", i.order)):
        days.setdefault(item.day, []).append(item)
    return MyWeek(days=[WeekDay(day, day_items) for day, day_items in days.items()])


def _case_url(case_id: int, in_slice: bool, anchor: str) -> str:
    if in_slice:
        return reverse("volunteers:my_case", args=[case_id])
    return reverse("cases:detail", args=[case_id]) + anchor


def _about(case_id: int, resident_name: str, other: str) -> str:
    parts = [f"{_('Case')} #{case_id}", resident_name]
    if other:
        parts.append(other)
    return " · ".join(part for part in parts if part)


def _follow_up(follow_up, today: datetime.date, *, in_slice: bool) -> WeekItem:
    local = timezone.localtime(follow_up.at)
    return WeekItem(
        kind="follow_up",
        day=local.date(),
        time=local.time(),
        order=local.time(),
        label=_("Follow-up appointment"),
        text=_about(follow_up.case_id, follow_up.resident_name, follow_up.visitor_name),
        url=_case_url(follow_up.case_id, in_slice, "#visits-h"),
        overdue=local.date() < today,
    )


def _agreement(agreement, today: datetime.date, *, in_slice: bool) -> WeekItem:
    return WeekItem(
        kind="agreement",
        day=agreement.due_on,
        time=None,
        label=f"{agreement.kind_label}: {agreement.description}",
        text=_about(agreement.case_id, agreement.resident_name, agreement.assignee_name),
        url=_case_url(agreement.case_id, in_slice, "#agreements-h"),
        overdue=agreement.due_on < today,
    )


def _shift(shift) -> WeekItem:
    return WeekItem(
        kind="shift",
        day=shift.date,
        time=None,
        order=shift.start_time,
        label=_("Walk-in hour"),
        text=f"{shift.start_time:%H:%M}–{shift.end_time:%H:%M} · {shift.location}",
        url=reverse("my_calendar"),
        overdue=False,
    )


def _alarm(alarm, today: datetime.date) -> WeekItem:
    """An open alarm is to be followed up now (R11): today, or overdue since the day it was raised."""
    raised = timezone.localtime(alarm.raised_at)
    url = (
        reverse("cases:detail", args=[alarm.case_id]) + "#alarms-h" if alarm.case_id else reverse("home") + "#alarms-h"
    )
    return WeekItem(
        kind="alarm",
        day=raised.date(),
        time=raised.time(),
        order=raised.time(),
        label=_("alarm raised"),
        text=alarm.volunteer.display_name + (f" · {_('Case')} #{alarm.case_id}" if alarm.case_id else ""),
        url=url,
        overdue=raised.date() < today,
    )
