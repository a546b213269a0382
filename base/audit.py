"""Who acts and who reads: the actor of audit entries and explicit access (read) entries.

Every change to an audited model is written by django-auditlog's signal receivers; the actor
comes from :func:`acting_as`, which every service enters with its keyword-only ``actor``.
Reads are written explicitly by :func:`log_access`, with the actor passed in. Which models are
audited is decided by the registry of case-file records (``cases.records``) and by each app
for its own records.
"""

import contextlib
import functools
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from auditlog.context import auditlog_value, set_actor
from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Model

from accounts.roles import user_roles

from .chain import sealed_before_commit

R = TypeVar("R")


@contextlib.contextmanager
def acting_as(actor: Any) -> Iterator[None]:
    """Attribute every audit entry written inside to ``actor``.

    Nests safely inside the middleware's request context (or another ``acting_as``): the
    outer context, whatever it was, is restored afterwards. auditlog's own ``set_actor``
    leaves its value behind after the block, which would leak a stale actor context.
    """
    outer = auditlog_value.get(None)
    token = auditlog_value.set(outer)
    try:
        with set_actor(actor, remote_addr=(outer or {}).get("remote_addr")):
            yield
    finally:
        auditlog_value.reset(token)


def logs_reads(service: Callable[..., R]) -> Callable[..., R]:
    """For a service that reads and writes access entries (:func:`log_access`): one
    transaction, its entries sealed before its one commit (not after it, in a second one)."""

    @functools.wraps(service)
    def recorded(*args, **kwargs) -> R:
        with transaction.atomic(), sealed_before_commit():
            return service(*args, **kwargs)

    return recorded


def log_access(*, actor: Any, instance: Model, view: str, extra: dict | None = None) -> LogEntry:
    """Write an ACCESS entry: ``actor`` read ``instance`` through ``view`` (e.g. 'case_file').

    The reader's roles at that moment are stored with it, so the log says in which role a
    file was read even after the roles changed. Written and sealed in one transaction when the
    page writes nothing else (one commit per page, not two)."""
    context = auditlog_value.get(None) or {}
    with transaction.atomic(savepoint=False), sealed_before_commit():
        return LogEntry.objects.log_create(
            instance,
            force_log=True,
            action=LogEntry.Action.ACCESS,
            actor=actor,
            actor_email=getattr(actor, "email", None),
            remote_addr=context.get("remote_addr"),
            additional_data={"view": view, "roles": sorted(user_roles(actor)), **(extra or {})},
        )
