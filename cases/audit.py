"""The audit trail: which models are audited, who the actor is, and access (read) entries.

Every change to a case-file model is written by django-auditlog's signal receivers; the actor
comes from :func:`acting_as`, which every service enters with its keyword-only ``actor``.
Reads are written explicitly by :func:`log_access`, with the actor passed in.
"""

import contextlib
from collections.abc import Iterator
from typing import Any

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models import Model


def register_models() -> None:
    from .models import Agreement, Case, CaseMembership, HomeVisit, JournalEntry, Resident, VolunteerConsent

    auditlog.register(Resident)
    auditlog.register(Case, m2m_fields={"domains", "topics"}, exclude_fields=["version", "last_activity_at"])
    for model in (CaseMembership, VolunteerConsent, JournalEntry, HomeVisit, Agreement):
        auditlog.register(model)


@contextlib.contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Attribute every audit entry written inside to ``actor``.

    Inside a request the middleware already set the request's user; a service called with
    the same actor then changes nothing. Otherwise (commands, tests, another actor) the
    actor is set for the block and the outer context restored afterwards.
    """
    outer = auditlog_value.get(None)
    if outer is not None and outer.get("actor") == actor:
        yield
        return
    try:
        with set_actor(actor, remote_addr=(outer or {}).get("remote_addr")):
            yield
    finally:
        if outer is not None:
            auditlog_value.set(outer)


def log_access(*, actor: Any, instance: Model, view: str) -> LogEntry:
    """Write an ACCESS entry: ``actor`` read ``instance`` through ``view`` (e.g. 'case_file')."""
    context = auditlog_value.get(None) or {}
    return LogEntry.objects.log_create(
        instance,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor,
        actor_email=getattr(actor, "email", None),
        remote_addr=context.get("remote_addr"),
        additional_data={"view": view},
    )
