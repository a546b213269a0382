"""One way to change a record's fields, for every service (HackSoft's ``model_update``), with
one optimistic-concurrency check for every record that has a ``version``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

M = TypeVar("M", bound=Model)


class ConcurrentEditError(ValidationError):
    """Someone else saved the record since this edit started; nothing was overwritten.

    ``current`` is the record as it is saved now: the conflict page shows it beside what was
    typed (``base.forms.conflict_rows``) and lets the user save theirs over it deliberately."""

    def __init__(self, message: str = "", *, current: Model | None = None) -> None:
        super().__init__(
            message or _("Someone else saved this while you were editing. Nothing was overwritten; see below.")
        )
        self.current = current


def is_versioned(instance: Model) -> bool:
    return any(field.name == "version" for field in instance._meta.concrete_fields)


def model_update(
    *,
    instance: M,
    fields: Iterable[str],
    data: Mapping[str, Any],
    expected_version: int | None = None,
    clean_exclude: Iterable[str] = (),
    extra_updates: Mapping[str, Any] | None = None,
) -> tuple[M, list[str]]:
    """Set the allow-listed ``fields`` from ``data``, validate, and save only what changed.

    Names in ``data`` outside ``fields`` are a programming error (``TypeError``), never silently
    dropped. Many-to-many fields in ``fields`` are set after the save. The caller has entered
    ``acting_as(actor)``, so auditlog writes one entry with exactly the changed fields.
    ``extra_updates`` are set and saved too (a timestamp) but do not count as a change.

    A record with a ``version`` is changed only from the version the editor saw
    (``expected_version``, required): the caller has locked the row (``select_for_update``), a
    different version raises :class:`ConcurrentEditError` when the data would change the record
    (the same values again change nothing and raise nothing), and every change raises the version.
    Returns the instance and the names of the fields that changed.
    """
    stale = False
    if is_versioned(instance):
        if expected_version is None:
            raise TypeError(f"{type(instance).__name__} is versioned: give the expected_version the editor saw")
        stale = instance.version != expected_version
    allowed = set(fields)
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"Not editable here: {sorted(unknown)}")
    values: dict[str, Any] = {}
    m2m: dict[str, list] = {}
    many_to_many = {field.name for field in instance._meta.many_to_many}
    for name, value in data.items():
        if name in many_to_many:
            wanted = list(value)
            current = set(getattr(instance, name).values_list("pk", flat=True)) if instance.pk else set()
            if {getattr(item, "pk", item) for item in wanted} != current:
                m2m[name] = wanted
            continue
        field = instance._meta.get_field(name)
        if getattr(instance, field.attname) != _raw(field, value):
            values[name] = value
    changed = [name for name in data if name in values or name in m2m]
    if stale:
        # Saved since the editor's version. Only a change would overwrite theirs; the same
        # values again (a double tap, a resend whose answer was lost) find the record as they
        # say already: nothing to do, and no conflict with oneself.
        if changed:
            raise ConcurrentEditError(current=instance)
        return instance, []
    if not changed and not extra_updates:
        return instance, []
    for name, value in values.items():
        setattr(instance, name, value)
    extra_updates = dict(extra_updates or {})
    if is_versioned(instance) and changed:
        extra_updates["version"] = instance.version + 1
    for name, value in extra_updates.items():
        setattr(instance, name, value)
    instance.full_clean(exclude=list(clean_exclude))
    concrete = [name for name in changed if name not in m2m]
    # auto_now fields (updated_at) move with any change, also one of only many-to-many fields
    instance.save(update_fields=sorted({*concrete, *extra_updates, *_auto_now_fields(instance)}))
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
