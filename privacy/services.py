"""GDPR (AVG) services: retention, restriction, objection, the right of access, erasure.

Each is keyword-only, atomic, acts for an ``actor`` and is audited; every data-subject request
is recorded with its outcome (and why, when refused).
"""

from __future__ import annotations

import datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, has_role
from cases.audit import acting_as, log_access
from cases.constants import CaseStatus
from cases.models import (
    Agreement,
    Case,
    CaseInterest,
    CaseMembership,
    HomeVisit,
    JournalEntry,
    MeetingDecision,
    Resident,
    VolunteerConsent,
)
from cases.permissions import sync_case_permissions
from volunteers.models import Alarm

from .models import DataSubjectRequest, RequestKind, RequestOutcome, RetentionRule

ERASED = "[gewist]"


def _require_privacy_officer(actor: User) -> None:
    if not has_role(actor, Role.PRIVACY_OFFICER):
        raise PermissionDenied(_("Only the privacy officer may do this."))


# --- retention -------------------------------------------------------------------------------


def retention_until_for(case: Case, closed_on: datetime.date) -> datetime.date | None:
    """Keep-until date of a closed case: the longest period of the rules for its life domains,
    else its team's rule, else the municipality's default. None: no rule, keep (and say so)."""
    rules = RetentionRule.objects.filter(municipality_id=case.team.municipality_id)
    years = rules.filter(domain__in=case.domains.all()).order_by("-years").values_list("years", flat=True).first()
    if years is None:
        years = rules.filter(team=case.team_id).order_by("-years").values_list("years", flat=True).first()
    if years is None:
        years = rules.filter(is_default=True).order_by("-years").values_list("years", flat=True).first()
    if years is None:
        return None
    try:
        return closed_on.replace(year=closed_on.year + years)
    except ValueError:  # 29 February
        return closed_on.replace(year=closed_on.year + years, day=28)


def retention_blocks_erasure(resident: Resident, today: datetime.date | None = None) -> str | None:
    """Why the resident's data must still be kept, or None when erasure may go ahead."""
    today = today or timezone.localdate()
    cases = Case.objects.filter(resident=resident)
    if cases.exclude(status=CaseStatus.CLOSED).exists():
        return _("A case of this resident is still open.")
    kept = cases.filter(Q(retention_until__gte=today) | Q(retention_until__isnull=True)).order_by("-retention_until")
    case = kept.first()
    if case is None:
        return None
    if case.retention_until is None:
        return _("No retention rule applies to case %(ref)s yet; it is kept until one is set.") % {
            "ref": case.reference
        }
    return _("Case %(ref)s must be kept until %(date)s (legal retention period).") % {
        "ref": case.reference,
        "date": case.retention_until.strftime("%d-%m-%Y"),
    }


# --- restriction and objection ---------------------------------------------------------------


@transaction.atomic
def resident_restrict(*, actor: User, resident: Resident, reason: str, restricted: bool = True) -> Resident:
    """Restrict processing (art. 18): the file becomes read-only and volunteer staff lose access.
    ``restricted=False`` lifts the restriction."""
    _require_privacy_officer(actor)
    with acting_as(actor):
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        resident.restricted_at = timezone.now() if restricted else None
        resident.restriction_reason = reason if restricted else ""
        resident.save(update_fields=["restricted_at", "restriction_reason", "updated_at"])
        for case in Case.objects.filter(resident=resident):
            sync_case_permissions(case)
        DataSubjectRequest.objects.create(
            resident=resident, kind=RequestKind.RESTRICTION, handled_by=actor, outcome=RequestOutcome.DONE, note=reason
        )
        return resident


@transaction.atomic
def resident_object(*, actor: User, resident: Resident, note: str) -> Resident:
    """Record an objection (art. 21). The team weighs it; the file shows it to every reader."""
    _require_privacy_officer(actor)
    with acting_as(actor):
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        resident.objection_at = timezone.now()
        resident.objection_note = note
        resident.save(update_fields=["objection_at", "objection_note", "updated_at"])
        DataSubjectRequest.objects.create(
            resident=resident, kind=RequestKind.OBJECTION, handled_by=actor, outcome=RequestOutcome.DONE, note=note
        )
        return resident


# --- right of access (art. 15) ---------------------------------------------------------------


def _values(instance, exclude: tuple[str, ...] = ()) -> dict:
    data = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude:
            continue
        value = getattr(instance, field.attname)
        data[field.name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


@transaction.atomic
def access_export(*, actor: User, resident: Resident) -> dict:
    """Everything we hold about one resident: their details, cases, journal, visits,
    agreements, consent history, decisions, and who accessed the file. Producing it is logged."""
    _require_privacy_officer(actor)
    cases = list(Case.objects.filter(resident=resident).select_related("team").prefetch_related("domains", "topics"))
    case_ids = [case.pk for case in cases]
    export = {
        "generated_at": timezone.now().isoformat(),
        "resident": _values(resident),
        "cases": [
            {
                "id": case.pk,
                "details": _values(case, exclude=("submission_key", "version")),
                "team": case.team.name,
                "domains": [str(d) for d in case.domains.all()],
                "topics": [str(t) for t in case.topics.all()],
                "people": [
                    {
                        "name": m.user.display_name,
                        "role": m.get_role_display(),
                        "from": m.started_at.isoformat(),
                        "until": m.ended_at.isoformat() if m.ended_at else None,
                    }
                    for m in CaseMembership.objects.filter(case=case).select_related("user")
                ],
                "consents": [_values(c, exclude=("case",)) for c in VolunteerConsent.objects.filter(case=case)],
                "journal": [
                    {
                        "date": e.created_at.isoformat(),
                        "author": e.author.display_name,
                        "visibility": e.visibility,
                        "text": e.text,
                    }
                    for e in JournalEntry.objects.filter(case=case).select_related("author")
                ],
                "home_visits": [
                    {**_values(v, exclude=("case", "visitor", "submission_key")), "visitor": v.visitor.display_name}
                    for v in HomeVisit.objects.filter(case=case).select_related("visitor")
                ],
                "agreements": [
                    {**_values(a, exclude=("case", "assignee", "created_by")), "who": a.assignee.display_name}
                    for a in Agreement.objects.filter(case=case).select_related("assignee")
                ],
                "decisions": [
                    {"date": d.decided_at.isoformat(), "next_step": d.next_step, "notes": d.notes}
                    for d in MeetingDecision.objects.filter(case=case)
                ],
            }
            for case in cases
        ],
        "access_log": [
            {
                "when": entry.timestamp.isoformat(),
                "who": entry.actor.display_name if entry.actor else None,
                "action": entry.get_action_display(),
                "what": f"{entry.content_type.model} #{entry.object_pk}",
                "from": entry.remote_addr,
            }
            for entry in _entries_about(resident, case_ids)
            .select_related("actor", "content_type")
            .order_by("timestamp")
        ],
        "requests": [
            {
                "kind": r.get_kind_display(),
                "received_on": r.received_on.isoformat(),
                "outcome": r.get_outcome_display(),
                "note": r.note,
            }
            for r in DataSubjectRequest.objects.filter(resident=resident)
        ],
    }
    with acting_as(actor):
        log_access(actor=actor, instance=resident, view="gdpr_export")
        DataSubjectRequest.objects.create(
            resident=resident, kind=RequestKind.ACCESS, handled_by=actor, outcome=RequestOutcome.DONE
        )
    return export


def _entries_about(resident: Resident, case_ids: list[int]):
    resident_type = ContentType.objects.get_for_model(Resident)
    case_type = ContentType.objects.get_for_model(Case)
    return LogEntry.objects.filter(
        Q(content_type=resident_type, object_id=resident.pk)
        | Q(content_type=case_type, object_id__in=case_ids)
        | Q(additional_data__case_id__in=case_ids)
    )


# --- erasure (art. 17) and the purge of expired files ----------------------------------------


@transaction.atomic
def resident_erase(*, actor: User, resident: Resident, note: str = "") -> DataSubjectRequest:
    """Erase (anonymise) a resident and everything about them, including personal data in
    audit entries, unless a legal retention period applies: then refuse and record why."""
    _require_privacy_officer(actor)
    reason = retention_blocks_erasure(resident)
    with acting_as(actor):
        if reason is not None:
            return DataSubjectRequest.objects.create(
                resident=resident,
                kind=RequestKind.ERASURE,
                handled_by=actor,
                outcome=RequestOutcome.REFUSED,
                note=f"{reason} {note}".strip(),
            )
        anonymise_resident(resident)
        return DataSubjectRequest.objects.create(
            resident=resident, kind=RequestKind.ERASURE, handled_by=actor, outcome=RequestOutcome.DONE, note=note
        )


def anonymise_case(case: Case) -> None:
    """Replace every personal text of one case and its records, and scrub its audit entries."""
    Case.objects.filter(pk=case.pk).update(request_for_help=ERASED, volunteer_summary=ERASED, closing_note=ERASED)
    JournalEntry.objects.filter(case=case).update(text=ERASED)
    HomeVisit.objects.filter(case=case).update(summary=ERASED, note_for_responsible=ERASED)
    Agreement.objects.filter(case=case).update(description=ERASED)
    VolunteerConsent.objects.filter(case=case).update(note="")
    MeetingDecision.objects.filter(case=case).update(next_step=ERASED, notes="")
    CaseInterest.objects.filter(case=case).update(note="")
    Alarm.objects.filter(case=case).update(note="")
    _scrub_log(_entries_about_case(case))


def anonymise_resident(resident: Resident) -> None:
    """Anonymise the resident and all their cases (bulk writes on purpose: erasure must not
    write the erased values into new audit entries). The erasure itself is recorded as a
    DataSubjectRequest by the caller."""
    for case in Case.objects.filter(resident=resident):
        anonymise_case(case)
    Resident.objects.filter(pk=resident.pk).update(
        first_name=ERASED,
        last_name="",
        date_of_birth=None,
        street="",
        house_number="",
        postcode="",
        phone="",
        email="",
        notes="",
        restriction_reason="",
        objection_note="",
        erased_at=timezone.now(),
    )
    resident_type = ContentType.objects.get_for_model(Resident)
    _scrub_log(LogEntry.objects.filter(content_type=resident_type, object_id=resident.pk))


def _entries_about_case(case: Case):
    case_type = ContentType.objects.get_for_model(Case)
    return LogEntry.objects.filter(Q(content_type=case_type, object_id=case.pk) | Q(additional_data__case_id=case.pk))


def _scrub_log(entries) -> None:
    """Keep who did what when; drop the values (they may hold personal data)."""
    for entry in entries.only("pk", "changes"):
        changes = entry.changes if isinstance(entry.changes, dict) else {}
        scrubbed = {field: [ERASED, ERASED] for field in changes}
        LogEntry.objects.filter(pk=entry.pk).update(changes=scrubbed, changes_text="", serialized_data=None)


def expired_cases(today: datetime.date | None = None):
    """Closed cases past their retention end, not yet anonymised."""
    today = today or timezone.localdate()
    return (
        Case.objects.filter(status=CaseStatus.CLOSED, retention_until__lt=today)
        .exclude(request_for_help=ERASED)
        .select_related("resident")
    )
