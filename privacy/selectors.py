"""Reads for the privacy officer: the access log and residents' identities for GDPR requests.
No case content outside the right-of-access export."""

import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from cases.models import Resident
from cases.selectors import matching_residents

AUDITED_MODELS = ("resident", "case", "casemembership", "volunteerconsent", "journalentry", "homevisit", "agreement",
                  "meetingdecision", "caseinterest", "alarm", "volunteerstaff", "datasubjectrequest")  # fmt: skip


def access_log(
    *,
    actor: str = "",
    model: str = "",
    object_id: int | None = None,
    case_id: int | None = None,
    action: int | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    limit: int = 200,
) -> list[LogEntry]:
    """Who read or changed what, when, in which role, from where (in the spirit of NEN 7513)."""
    entries = LogEntry.objects.filter(content_type__app_label__in=["cases", "volunteers", "privacy", "auditlog"])
    if actor:
        entries = entries.filter(actor__username__iexact=actor)
    if model:
        entries = entries.filter(content_type__model=model)
    if object_id:
        entries = entries.filter(object_id=object_id)
    if case_id:
        case_type = ContentType.objects.get(app_label="cases", model="case")
        entries = entries.filter(content_type=case_type, object_id=case_id) | entries.filter(
            additional_data__case_id=case_id
        )
    if action is not None:
        entries = entries.filter(action=action)
    if date_from:
        entries = entries.filter(timestamp__date__gte=date_from)
    if date_to:
        entries = entries.filter(timestamp__date__lte=date_to)
    return list(
        entries.select_related("actor", "content_type")
        .prefetch_related("actor__groups")
        .order_by("-timestamp", "-pk")[:limit]
    )


def log_search_read(*, actor: User, filters: dict) -> None:
    """Reading the access log is itself logged (an ACCESS entry on the log)."""
    LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(LogEntry),
        object_pk="search",
        object_repr="Access log search",
        action=LogEntry.Action.ACCESS,
        actor=actor,
        actor_email=actor.email,
        timestamp=timezone.now(),
        additional_data={"view": "access_log", "filters": {k: str(v) for k, v in filters.items() if v}},
    )


def residents_search(query: str) -> QuerySet[Resident]:
    return matching_residents(Resident.objects.all(), query).select_related("village").order_by("last_name")[:50]
