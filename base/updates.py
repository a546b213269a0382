"""One way to change a record's fields, for every service (HackSoft's ``model_update``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.db.models import Model

M = TypeVar("M", bound=Model)


def model_update(
    *,
    instance: M,
    fields: Iterable[str],
    data: Mapping[str, Any],
    clean_exclude: Iterable[str] = (),
    extra_updates: Mapping[str, Any] | None = None,
) -> tuple[M, list[str]]:
    """Set the allow-listed ``fields`` from ``data``, validate, and save only what changed.

    Names in ``data`` outside ``fields`` are a programming error (``TypeError``), never silently
    dropped. Many-to-many fields in ``fields`` are set after the save. The caller has entered
    ``acting_as(actor)``, so auditlog writes one entry with exactly the changed fields.
    ``extra_updates`` are set and saved too (a version, a timestamp) but do not count as a change.
    Returns the instance and the names of the fields that changed.
    """
    allowed = set(fields)
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"Not editable here: {sorted(unknown)}")
    changed: list[str] = []
    m2m: dict[str, list] = {}
    many_to_many = {field.name for field in instance._meta.many_to_many}
    for name, value in data.items():
        if name in many_to_many:
            wanted = list(value)
            current = set(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else set()
            if {getattr(item, "pk", item) for item in wanted} != current:
                m2m[name] = wanted
                changed.append(name)
            continue
        field = instance._meta.get_field(name)
        if getattr(instance, field.attname) != _raw(field, value):
            setattr(instance, name, value)
            changed.append(name)
    if not changed and not extra_updates:
        return instance, []
    for name, value in (extra_updates or {}).items():
        setattr(instance, name, value)
    instance.full_clean(exclude=list(clean_exclude))
    concrete = [name for name in changed if name not in m2m]
    # auto_now fields (updated_at) move with any change, also one of only many-to-many fields
    instance.save(update_fields=sorted({*concrete, *(extra_updates or {}), *_auto_now_fields(instance)}))
    for name, values in m2m.items():
        getattr(instance, name).set(values)
    return instance, changed


def _raw(field, value):
    """The value as the instance stores it in ``field.attname`` (a related object as its pk)."""
    if field.is_relation and isinstance(value, Model):
        return value.pk
    return value


def _auto_now_fields(instance: Model) -> list[str]:
    return [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
