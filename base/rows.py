"""A short list that comes with its owner's row instead of a query of its own.

``json_rows(rows, key, **fields)`` is a correlated subquery: the ``fields`` of ``rows``
(filtered on an ``OuterRef``) as one JSON array of objects, ``JSONB_AGG`` on PostgreSQL and
``JSON_GROUP_ARRAY`` on SQLite (the two databases this app runs on). No rows gives ``None``.
Values come back as JSON: times as ISO 8601 text, booleans as ``true``/``false`` (PostgreSQL)
or ``1``/``0`` (SQLite).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db.models import (
    Aggregate,
    BooleanField,
    DateField,
    DateTimeField,
    Field,
    JSONField,
    Model,
    QuerySet,
    Subquery,
)
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime


class JSONRows(Aggregate):
    """A group's values as one JSON array."""

    function = "JSONB_AGG"
    name = "JSONRows"
    output_field = JSONField()

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, function="JSON_GROUP_ARRAY", **extra_context)


def json_rows(rows: QuerySet, key: str, **fields) -> Subquery:
    """``fields`` of ``rows`` as a JSON array of objects, grouped by the column ``key`` (the one
    the ``OuterRef`` filters on, so there is one group)."""
    return Subquery(
        rows.order_by().values(key).annotate(rows=JSONRows(JSONObject(**fields))).values("rows"),
        output_field=JSONField(),
    )


def typed(model: type[Model], rows: list[dict] | None, names: Iterable[str]) -> list[dict]:
    """``rows`` of :func:`json_rows` with each value as ``.values()`` would give it: dates and
    times parsed (times aware, in UTC when the database wrote them without an offset),
    booleans as booleans. ``names`` are the rows' keys, each a field path on ``model``."""
    fields = {name: _field(model, name) for name in names}
    return [{name: _python(field, row.get(name)) for name, field in fields.items()} for row in rows or []]


def moment(value: str | None) -> datetime.datetime | None:
    """A time from JSON: ISO 8601 with its offset (PostgreSQL) or naive UTC (SQLite's storage)."""
    if value is None:
        return None
    parsed = parse_datetime(value)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, datetime.UTC)


def _field(model: type[Model], path: str) -> Field:
    *relations, name = path.split("__")
    for relation in relations:
        model = model._meta.get_field(relation).related_model
    return model._meta.get_field(name)


def _python(field: Field, value):
    if value is None:
        return None
    if isinstance(field, DateTimeField):
        return moment(value)
    if isinstance(field, DateField):
        return parse_date(value[:10])
    if isinstance(field, BooleanField):
        return bool(value)
    return value
