"""Audit and access entries in words: who did what, when, in which role, about whom.

One reading of the log for everyone who sees it: the privacy officer's access log and its CSV
export, and "who looked at your file" in the resident's right-of-access export. The words come
from the kind of read (``additional_data["view"]``) or the kind of change and the record's
own name (``verbose_name``), never from field or model names."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from base.chain import REDACTION
from cases.models import Case, Resident

READS = {
    "case_file": gettext_lazy("opened the case file"),
    "case_history": gettext_lazy("opened the history of the case file"),
    "volunteer_slice": gettext_lazy("saw the volunteer view of the case"),
    "volunteer_proposal": gettext_lazy("saw who the resident is, to say whether they know them"),
    "visit_note": gettext_lazy("read a home visit that volunteer staff could no longer add to the case"),
    "gdpr_export": gettext_lazy("made an overview of the personal data (right of access)"),
    "existence_lookup": gettext_lazy("looked up whether the resident is known to a team"),
    "access_log": gettext_lazy("searched the access log"),
}
# The same, as the resident reads it in their right-of-access document.
READS_TO_RESIDENT = {
    "case_file": gettext_lazy("opened your case file"),
    "case_history": gettext_lazy("opened the history of your case file (who changed or read what)"),
    "volunteer_slice": gettext_lazy("saw the volunteer view of your request"),
    "gdpr_export": gettext_lazy("made an overview of your personal data, like this one"),
    "existence_lookup": gettext_lazy("looked up whether a team knows you (saw only the team and whom to call)"),
    "volunteer_proposal": gettext_lazy("saw your name and street, to say whether they know you"),
    "visit_note": gettext_lazy("read a home visit that volunteer staff could no longer add to your request"),
}
READS_FOR_RESIDENT = {**READS, **READS_TO_RESIDENT}


class ChangeWords(NamedTuple):
    added: str
    removed: str
    changed_fields: str
    changed: str


CHANGES = ChangeWords(
    gettext_lazy("added: %(record)s"),
    gettext_lazy("removed: %(record)s"),
    gettext_lazy("changed: %(record)s (%(fields)s)"),
    gettext_lazy("changed: %(record)s"),
)
CHANGES_TO_RESIDENT = ChangeWords(
    gettext_lazy("added to your file: %(record)s"),
    gettext_lazy("removed from your file: %(record)s"),
    gettext_lazy("changed in your file: %(record)s (%(fields)s)"),
    gettext_lazy("changed in your file: %(record)s"),
)


@dataclass(frozen=True)
class Event:
    pk: int
    when: datetime.datetime  # local time
    who: str
    who_id: int | None
    roles: str
    action: int
    what: str
    subject: str
    case_id: int | None
    resident_id: int | None
    remote_addr: str | None = None


def _role_labels(names) -> str:
    labels = [str(Role(name).label) for name in names if name in Role.values]
    return ", ".join(labels)


def _what(entry: LogEntry, data: dict, to_resident: bool = False) -> str:
    model = entry.content_type.model_class() if entry.content_type_id else None
    if entry.action == LogEntry.Action.ACCESS:
        view = data.get("view", "")
        reads = READS_FOR_RESIDENT if to_resident else READS
        if view in reads:
            return str(reads[view])
        name = model._meta.verbose_name if model else _("a record")
        return _("read: %(record)s") % {"record": name}
    if model is LogEntry and entry.object_pk == REDACTION:
        return _("erased personal data from the log (erasure on request)")
    name = str(model._meta.verbose_name) if model else _("a record")
    words = CHANGES_TO_RESIDENT if to_resident else CHANGES
    changed = _changed_fields(model, entry.changes if isinstance(entry.changes, dict) else {})
    if entry.action == LogEntry.Action.CREATE:
        return words.added % {"record": name}
    if entry.action == LogEntry.Action.DELETE:
        return words.removed % {"record": name}
    if changed:
        return words.changed_fields % {"record": name, "fields": ", ".join(changed)}
    return words.changed % {"record": name}


def _changed_fields(model, changes: dict) -> list[str]:
    known = {field.name: field for field in model._meta.get_fields()} if model else {}
    # A field removed since is left out rather than shown by its code name.
    return [str(known[name].verbose_name) for name in changes if hasattr(known.get(name), "verbose_name")]


def describe(entries: Sequence[LogEntry], *, to_resident: bool = False) -> list[Event]:
    """The entries in words, in the order given. A fixed number of queries: the cases and
    residents they are about, and the roles of the actors of changes. ``to_resident`` words
    them for the resident's own document ("opened your case file")."""
    entries = list(entries)
    case_ids, resident_ids, actor_ids = set(), set(), set()
    for entry in entries:
        data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
        model = entry.content_type.model_class() if entry.content_type_id else None
        if model is Case and entry.object_id:
            case_ids.add(entry.object_id)
        elif isinstance(data.get("case_id"), int):
            case_ids.add(data["case_id"])
        if model is Resident and entry.object_id:
            resident_ids.add(entry.object_id)
        if entry.actor_id and entry.action != LogEntry.Action.ACCESS:
            actor_ids.add(entry.actor_id)
    cases = {case.pk: case for case in Case.objects.filter(pk__in=case_ids)} if case_ids else {}
    resident_ids |= {case.resident_id for case in cases.values()}
    residents = {r.pk: r for r in Resident.objects.filter(pk__in=resident_ids)} if resident_ids else {}
    roles_now: dict[int, list[str]] = {}
    if actor_ids:
        for user_id, name in Group.objects.filter(user__in=actor_ids).values_list("user", "name"):
            roles_now.setdefault(user_id, []).append(name)
    return [_event(entry, cases, residents, roles_now, to_resident) for entry in entries]


def _event(entry: LogEntry, cases: dict, residents: dict, roles_now: dict, to_resident: bool) -> Event:
    data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
    model = entry.content_type.model_class() if entry.content_type_id else None
    stored_case = data.get("case_id") if isinstance(data.get("case_id"), int) else None
    case_id = entry.object_id if model is Case else stored_case
    case = cases.get(case_id)
    resident_id = entry.object_id if model is Resident else (case.resident_id if case else None)
    resident = residents.get(resident_id)
    resident_name = resident.full_name if resident else ""
    if case is not None:
        subject = _("case %(ref)s (%(name)s)") % {"ref": case.reference, "name": resident_name}
    elif resident is not None:
        subject = _("resident %(name)s") % {"name": resident_name}
    elif model is LogEntry:
        subject = _("the access log")
    else:
        subject = str(model._meta.verbose_name) if model else ""
    actor: User | None = entry.actor
    if actor is None:
        who = _("unknown")
    elif actor.username == settings.SYSTEM_ACTOR_USERNAME:
        who = _("Wijkteam (automatic daily job)")
    else:
        who = actor.display_name
    stored = data.get("roles")
    roles = _role_labels(stored if isinstance(stored, list) else roles_now.get(entry.actor_id, []))
    return Event(
        pk=entry.pk,
        when=timezone.localtime(entry.timestamp),
        who=who,
        who_id=entry.actor_id,
        roles=roles,
        action=entry.action,
        what=_what(entry, data, to_resident),
        subject=subject,
        case_id=case_id,
        resident_id=resident_id,
        remote_addr=entry.remote_addr,
    )
