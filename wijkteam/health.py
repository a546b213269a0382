"""Health endpoints for the orchestrator and the load balancer, in the style of the Common Ground
applications (Open Zaak, Open Formulieren): ``/_healthz/livez/`` answers when the process
answers, ``/_healthz/readyz/`` (and ``/_healthz/``, the startup probe) when the database answers
and every migration of this version of the code is applied.

They are answered by the first middleware, before the rest of the stack: no session, no login,
no host check (a probe often asks by the server's address), no redirect to HTTPS, no access-log
entry. What they say is the same for everyone and holds no personal data: a status per check,
never an error text (which may name a database host). Liveness costs no query; readiness one
(docs/deploy.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache

import structlog
from django.db import DatabaseError, connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.http import HttpRequest, HttpResponse

logger = structlog.get_logger(__name__)

LIVE = "/_healthz/livez/"
READY = "/_healthz/readyz/"
STARTUP = "/_healthz/"


@cache
def expected_migrations() -> frozenset[tuple[str, str]]:
    """The leaf migrations of this version of the code, read from disk once per process: when
    they are recorded as applied, so are all migrations they depend on."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.leaf_nodes())


def _checks() -> dict[str, str]:
    """The readiness checks, in one query: the database answers, and has every leaf migration."""
    expected = expected_migrations()
    try:
        recorded = MigrationRecorder(connection).migration_qs.filter(app__in={app for app, _name in expected})
        applied = set(recorded.values_list("app", "name"))
    except DatabaseError:
        logger.warning("readiness_database_unavailable", exc_info=True)
        return {"database": "unavailable", "migrations": "unknown"}
    missing = expected - applied
    if missing:
        logger.warning("readiness_migrations_pending", pending=len(missing))
    return {"database": "ok", "migrations": "pending" if missing else "ok"}


def _answer(request: HttpRequest, checks: dict[str, str]) -> HttpResponse:
    healthy = all(value == "ok" for value in checks.values())
    body = {"status": "ok" if healthy else "unavailable", "checks": checks}
    response = HttpResponse(
        b"" if request.method == "HEAD" else json.dumps(body).encode(),
        content_type="application/json",
        status=200 if healthy else 503,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class HealthCheckMiddleware:
    """Answers the health endpoints before anything else runs (first in ``MIDDLEWARE``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path not in (LIVE, READY, STARTUP):
            return self.get_response(request)
        if request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD"
            return response
        if request.path == LIVE:
            return _answer(request, {"process": "ok"})
        return _answer(request, _checks())
