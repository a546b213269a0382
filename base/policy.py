"""The shape every object policy has: one query answers both questions.

``scope(user, action)`` is the queryset of objects ``user`` may do ``action`` to (for lists,
404s and filters); ``can(user, action, obj)`` is the same queryset narrowed to one object, and
``get(user, action, pk)`` loads through it or raises ``Http404`` — so a page answers "absent"
for what is not yours, and the single check and the list cannot drift apart (Wagtail's
permission policies, Zulip's ``access_*`` helpers). Subclasses only write ``scope``.
"""

from __future__ import annotations

import enum
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)

MAX_ID = 2**31 - 1  # every primary key here is a 32-bit integer; a larger "id" names nothing


def parse_id(value: Any) -> int | None:
    """An id from a URL, form or query parameter, or None: never an exception, on any database."""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        text = str(value or "").strip()
        if not text.isascii() or not text.isdigit() or len(text) > 10:
            return None
        number = int(text)
    return number if 0 < number <= MAX_ID else None


class Policy(Generic[M]):
    """Subclasses set ``model`` and ``Action`` and implement :meth:`scope`."""

    model: type[M]
    Action: type[enum.Enum]

    def scope(self, user, action) -> QuerySet[M]:  # pragma: no cover - abstract
        raise NotImplementedError

    def can(self, user, action, obj: M) -> bool:
        return obj.pk is not None and self.scope(user, action).filter(pk=obj.pk).exists()

    def get(self, user, action, pk: Any, queryset: QuerySet[M] | None = None) -> M:
        """The object, loaded through the scope; 404 when it is absent *or* not yours."""
        number = parse_id(pk)
        scope = self.scope(user, action)
        if queryset is not None:
            scope = queryset & scope  # the caller's select_related is kept (the left side's)
        found = scope.filter(pk=number).first() if number is not None else None
        if found is None:
            raise Http404
        return found

    def require(self, user, action, obj: M, message: str = "") -> None:
        """For services: refuse with ``PermissionDenied`` (a page loading through :meth:`get`
        has answered 404 before a service is reached)."""
        if not self.can(user, action, obj):
            raise PermissionDenied(message or "Not allowed.")
