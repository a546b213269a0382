"""Reads for the privacy officer: the desk (open requests, reads this week, what is worth a
look, the audit chain), the access log in words, and residents' identities for GDPR requests.
No case content outside the right-of-access export."""

from __future__ import annotations

import datetime
import enum
import json
from dataclasses import dataclass

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.fields.json import KT
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from accounts.facts import privacy_municipality_ids
from accounts.models import User
from accounts.roles import Role
from base.models import AuditChainCheck
from cases.models import Case, CaseMembership, Resident
from cases.selectors import matching_residents

from .events import Event, describe
from .models import DataSubjectRequest
from .policies import access_log as access_log_policy
from .policies import municipality_staff, residents

LOG_LIMIT = 200  # entries on the page; the CSV export takes up to EXPORT_LIMIT
EXPORT_LIMIT = 10_000
WORKING_HOURS = (7, 19)  # reads from 19:00 until 7:00 and in the weekend are outside them
MANY_FILES = 10  # files read in a week without being on the case: worth a look


class Concern(enum.StrEnum):
    """Reads worth a look: each one filter of the log, the same query on the desk and in the log."""

    NOT_ON_CASE = "not_on_case"
    RESTRICTED = "restricted"
    OUTSIDE_HOURS = "outside_hours"

    @property
    def label(self) -> str:
        return {
            Concern.NOT_ON_CASE: _("Opened files they are not on"),
            Concern.RESTRICTED: _("Read a file whose processing is restricted"),
            Concern.OUTSIDE_HOURS: _("Read outside working hours (19:00–7:00, weekend)"),
        }[self]


def _case_type() -> ContentType:
    return ContentType.objects.get_for_model(Case)


def with_concern(entries: QuerySet[LogEntry], concern: Concern) -> QuerySet[LogEntry]:
    """The reads among ``entries`` that give ``concern``."""
    reads = entries.filter(action=LogEntry.Action.ACCESS)
    if concern is Concern.NOT_ON_CASE:
        on_case = CaseMembership.objects.filter(case_id=OuterRef("object_id"), user_id=OuterRef("actor_id"))
        return reads.filter(content_type=_case_type(), additional_data__view="case_file").filter(~Exists(on_case))
    if concern is Concern.RESTRICTED:
        restricted = Case.objects.filter(pk=OuterRef("object_id"), resident__restricted_at__lte=OuterRef("timestamp"))
        return reads.filter(content_type=_case_type()).filter(Exists(restricted))
    start, end = WORKING_HOURS
    return reads.filter(Q(timestamp__hour__lt=start) | Q(timestamp__hour__gte=end) | Q(timestamp__week_day__in=[1, 7]))


def with_role(entries: QuerySet[LogEntry], role: str) -> QuerySet[LogEntry]:
    """Reads by someone who held ``role`` then (stored with the read); changes by someone who
    holds it now."""
    holds_now = User.groups.through.objects.filter(user_id=OuterRef("actor_id"), group__name=role)
    return entries.filter(
        Q(action=LogEntry.Action.ACCESS, additional_data__roles__icontains=f'"{role}"')
        | (~Q(action=LogEntry.Action.ACCESS) & Q(Exists(holds_now)))
    )


def about_residents(resident_ids: list[int]) -> Q:
    """Entries about these residents, their cases and every record on them."""
    case_ids = list(Case.objects.filter(resident_id__in=resident_ids).values_list("pk", flat=True))
    return (
        Q(content_type=ContentType.objects.get_for_model(Resident), object_id__in=resident_ids)
        | Q(content_type=_case_type(), object_id__in=case_ids)
        | Q(additional_data__case_id__in=case_ids)
    )


def week_start(today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return today - datetime.timedelta(days=today.weekday())


def _since(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# --- the access log --------------------------------------------------------------------------


def staff_choices(user: User) -> QuerySet[User]:
    """The people whose reads and changes the privacy officer may see (the person filter)."""
    return municipality_staff(privacy_municipality_ids(user)).distinct().order_by("last_name", "first_name", "username")


@dataclass
class LogPage:
    events: list[Event]
    more: bool  # more entries matched than shown
    residents: list[Resident]  # the residents the resident filter matched


def access_log(
    *,
    user: User,
    resident: str = "",
    date_of_birth: datetime.date | None = None,
    person: User | None = None,
    role: str = "",
    case_id: int | None = None,
    action: int | None = None,
    concern: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    limit: int = LOG_LIMIT,
) -> LogPage:
    """Who read or changed what, when, in which role, from where (in the spirit of NEN 7513),
    in words (``privacy.events``)."""
    logged = [*auditlog.get_models(), LogEntry]
    entries = access_log_policy.scope(user).filter(
        content_type__in=ContentType.objects.get_for_models(*logged).values()
    )
    found: list[Resident] = []
    if resident or date_of_birth:
        matches = residents.scope(user, residents.Action.HANDLE)
        if resident:
            matches = matching_residents(matches, resident)
        if date_of_birth:
            matches = matches.filter(date_of_birth=date_of_birth)
        found = list(matches.select_related("village").order_by("last_name", "pk")[:20])
        entries = entries.filter(about_residents([r.pk for r in found]))
    if person is not None:
        entries = entries.filter(actor=person)
    if role:
        entries = with_role(entries, role)
    if case_id:
        entries = entries.filter(Q(content_type=_case_type(), object_id=case_id) | Q(additional_data__case_id=case_id))
    if action is not None:
        entries = entries.filter(action=action)
    if concern:
        entries = with_concern(entries, Concern(concern))
    if date_from:
        entries = entries.filter(timestamp__gte=_since(date_from))
    if date_to:
        entries = entries.filter(timestamp__lt=_since(date_to + datetime.timedelta(days=1)))
    rows = list(entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")[: limit + 1])
    return LogPage(events=describe(rows[:limit]), more=len(rows) > limit, residents=found)


# --- the desk --------------------------------------------------------------------------------


@dataclass
class Attention:
    """One reader worth a look, and the log's filter that shows why."""

    concern: Concern
    who: str
    count: int
    link: str


@dataclass
class RoleReads:
    label: str
    count: int
    link: str


@dataclass
class Desk:
    open_requests: list[DataSubjectRequest]
    since: datetime.date
    reads_per_role: list[RoleReads]
    attention: list[Attention]
    last_check: AuditChainCheck | None
    last_good_check: AuditChainCheck | None


def _log_link(**filters) -> str:
    return f"{reverse('privacy:access_log')}?{urlencode({k: v for k, v in filters.items() if v is not None})}"


def desk(user: User, today: datetime.date | None = None) -> Desk:
    """The privacy officer's home page: open GDPR requests by deadline; this week's reads per
    role; the readers worth a look; the last check of the audit chain."""
    since = week_start(today)
    requests = list(
        DataSubjectRequest.objects.filter(outcome="", resident__in=residents.scope(user, residents.Action.HANDLE))
        .select_related("resident")
        .order_by("deadline", "received_on", "pk")[:50]
    )
    week = access_log_policy.scope(user).filter(timestamp__gte=_since(since))
    reads = week.filter(action=LogEntry.Action.ACCESS)
    per_role: dict[str, int] = {}
    grouped = reads.annotate(roles=KT("additional_data__roles")).values_list("roles").annotate(n=Count("id"))
    for stored, count in grouped:
        for role in _roles(stored):
            per_role[role] = per_role.get(role, 0) + count
    read_action = LogEntry.Action.ACCESS
    reads_per_role = [
        RoleReads(Role(role).label, count, _log_link(role=role, action=read_action, date_from=since))
        for role, count in sorted(per_role.items(), key=lambda item: -item[1])
        if role in Role.values
    ]
    attention = []
    for concern in Concern:
        rows = with_concern(week, concern).values("actor_id").annotate(n=Count("object_id", distinct=True))
        threshold = MANY_FILES if concern is Concern.NOT_ON_CASE else 1
        rows = rows.filter(n__gte=threshold).order_by("-n")[:10]
        people = {person.pk: person for person in User.objects.filter(pk__in=[row["actor_id"] for row in rows])}
        for row in rows:
            person = people.get(row["actor_id"])
            attention.append(
                Attention(
                    concern,
                    person.display_name if person else "—",
                    row["n"],
                    _log_link(person=row["actor_id"], concern=concern.value, date_from=since),
                )
            )
    checks = AuditChainCheck.objects.order_by("-checked_at", "-pk")
    return Desk(
        open_requests=requests,
        since=since,
        reads_per_role=reads_per_role,
        attention=attention,
        last_check=checks.first(),
        last_good_check=checks.filter(ok=True).first(),
    )


def _roles(stored) -> list[str]:
    if isinstance(stored, str):
        try:
            stored = json.loads(stored)
        except ValueError:
            return []
    return [role for role in stored or [] if isinstance(role, str)]


def residents_search(*, user: User, query: str) -> QuerySet[Resident]:
    """Residents of the privacy officer's own municipalities matching ``query`` (``policies.residents``)."""
    scope = residents.scope(user, residents.Action.HANDLE)
    return matching_residents(scope, query).select_related("village").order_by("last_name", "pk")[:50]


def resident_requests(resident: Resident) -> QuerySet[DataSubjectRequest]:
    return DataSubjectRequest.objects.filter(resident=resident).select_related("handled_by", "registered_by")
