"""Reads for the privacy officer: the access log and residents' identities for GDPR requests.
No case content outside the right-of-access export."""

import datetime

from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet

from accounts.models import User
from cases.models import Resident
from cases.records import registry
from cases.selectors import matching_residents

from .policies import access_log as access_log_policy
from .policies import residents


def record_type_choices() -> list[tuple[str, str]]:
    """(model name, label) of every audited kind of record: the case-file records of the
    registry (``cases.records``) first, then the other audited records (staff, rosters…)."""
    file_models = [record.model for record in registry]
    others = sorted((m for m in auditlog.get_models() if m not in file_models), key=lambda m: m._meta.model_name)
    return [(m._meta.model_name, str(m._meta.verbose_name)) for m in (*file_models, *others)]


def access_log(
    *,
    user: User,
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
    logged = [*auditlog.get_models(), LogEntry]
    entries = access_log_policy.scope(user).filter(
        content_type__in=ContentType.objects.get_for_models(*logged).values()
    )
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


def residents_search(*, user: User, query: str) -> QuerySet[Resident]:
    """Residents of the privacy officer's own municipalities matching ``query`` (``policies.residents``)."""
    scope = residents.scope(user, residents.Action.HANDLE)
    return matching_residents(scope, query).select_related("village").order_by("last_name", "pk")[:50]
