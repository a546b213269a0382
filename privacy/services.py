"""GDPR (AVG) services: restriction, objection, the right of access, erasure and the retention
purge, and recording a search of the access log.

Each is keyword-only, atomic, acts for an ``actor`` and is audited; every data-subject request
is recorded with its outcome (and why, when refused). Which records a resident's file holds,
and what erasure does to each field, is the registry's (``cases.records``): nothing here lists
models by hand.
"""

from __future__ import annotations

import datetime

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, has_role
from base.audit import acting_as, log_access
from base.chain import seal_pending, verify
from base.models import AuditChainCheck
from cases.constants import CaseStatus
from cases.models import Case, Resident
from cases.permissions import sync_case_permissions
from cases.records import ERASED, erase_case, erase_resident

from . import document
from .document import AccessDocument
from .models import DataSubjectRequest, RequestKind, RequestOutcome, one_month_after
from .policies import residents


def _require_privacy_officer(actor: User, resident: Resident | None = None) -> None:
    if not has_role(actor, Role.PRIVACY_OFFICER):
        raise PermissionDenied(_("Only the privacy officer may do this."))
    if resident is not None:
        residents.require(actor, residents.Action.HANDLE, resident, _("This resident is not yours to handle."))


# --- retention -------------------------------------------------------------------------------


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
        "date": date_format(case.retention_until, "j F Y"),
    }


# --- requests: received, then handled --------------------------------------------------------


@transaction.atomic
def request_register(
    *, actor: User, resident: Resident, kind: str, received_on: datetime.date, note: str = ""
) -> DataSubjectRequest:
    """A request received (by letter, at the desk, by e-mail): open until handled, to be
    answered within one month of receipt (art. 12(3))."""
    _require_privacy_officer(actor, resident)
    with acting_as(actor):
        return DataSubjectRequest.objects.create(
            resident=resident,
            kind=kind,
            received_on=received_on,
            deadline=one_month_after(received_on),
            registered_by=actor,
            note=note,
        )


def request_handled(
    *, actor: User, resident: Resident, kind: str, outcome: str = RequestOutcome.DONE, note: str = ""
) -> DataSubjectRequest:
    """Record that a request of ``kind`` was carried out (or refused): the oldest open one of
    that kind is closed; without one, it is recorded as received and handled today. Called
    inside the service that carried it out (its transaction, its actor)."""
    request = (
        DataSubjectRequest.objects.select_for_update()
        .filter(resident=resident, kind=kind, outcome="")
        .order_by("received_on", "pk")
        .first()
    )
    if request is None:
        request = DataSubjectRequest(resident=resident, kind=kind, registered_by=actor)
    return _close(request, actor, outcome, note)


def _close(request: DataSubjectRequest, actor: User, outcome: str, note: str) -> DataSubjectRequest:
    request.handled_at, request.handled_by, request.outcome = timezone.now(), actor, outcome
    request.note = "\n".join(part for part in (request.note, note) if part)
    request.save()
    return request


@transaction.atomic
def request_close(*, actor: User, request: DataSubjectRequest, outcome: str, note: str) -> DataSubjectRequest:
    """Close an open request handled outside these pages (a rectification the team made, say),
    or refused: what was done, or why not."""
    _require_privacy_officer(actor, request.resident)
    with acting_as(actor):
        request = DataSubjectRequest.objects.select_for_update().get(pk=request.pk)
        return _close(request, actor, outcome, note) if request.is_open else request


# --- restriction and objection ---------------------------------------------------------------


@transaction.atomic
def resident_restrict(*, actor: User, resident: Resident, reason: str, restricted: bool = True) -> Resident:
    """Restrict processing (art. 18): the file becomes read-only and volunteer staff lose access.
    ``restricted=False`` lifts the restriction."""
    _require_privacy_officer(actor, resident)
    with acting_as(actor):
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        resident.restricted_at = timezone.now() if restricted else None
        resident.restriction_reason = reason if restricted else ""
        resident.save(update_fields=["restricted_at", "restriction_reason", "updated_at"])
        for case in Case.objects.filter(resident=resident):
            sync_case_permissions(case)
        request_handled(actor=actor, resident=resident, kind=RequestKind.RESTRICTION, note=reason)
        return resident


@transaction.atomic
def resident_object(*, actor: User, resident: Resident, note: str) -> Resident:
    """Record an objection (art. 21). The team weighs it; the file shows it to every reader."""
    _require_privacy_officer(actor, resident)
    with acting_as(actor):
        resident = Resident.objects.select_for_update().get(pk=resident.pk)
        resident.objection_at = timezone.now()
        resident.objection_note = note
        resident.save(update_fields=["objection_at", "objection_note", "updated_at"])
        request_handled(actor=actor, resident=resident, kind=RequestKind.OBJECTION, note=note)
        return resident


# --- right of access (art. 15) ---------------------------------------------------------------


@transaction.atomic
def access_export(*, actor: User, resident: Resident, language: str = "nl") -> AccessDocument:
    """Everything we hold about one resident (art. 15) as a document they can read, in
    ``language``: every record the registry declares, who received data and who looked at the
    file (``privacy.document``). Producing it is logged and recorded as a request."""
    _require_privacy_officer(actor, resident)
    with acting_as(actor):
        log_access(actor=actor, instance=resident, view="gdpr_export")
        request_handled(actor=actor, resident=resident, kind=RequestKind.ACCESS)
    return document.build(resident, language=language)


# --- erasure (art. 17) and the purge of expired files ----------------------------------------


@transaction.atomic
def resident_erase(*, actor: User, resident: Resident, note: str = "") -> DataSubjectRequest:
    """Erase (anonymise) a resident and everything about them, including personal data in
    audit entries, unless a legal retention period applies: then refuse and record why."""
    _require_privacy_officer(actor, resident)
    reason = retention_blocks_erasure(resident)
    with acting_as(actor):
        if reason is not None:
            return request_handled(
                actor=actor,
                resident=resident,
                kind=RequestKind.ERASURE,
                outcome=RequestOutcome.REFUSED,
                note=f"{reason} {note}".strip(),
            )
        anonymise_resident(resident)
        return request_handled(actor=actor, resident=resident, kind=RequestKind.ERASURE, note=note)


def anonymise_resident(resident: Resident) -> None:
    """Anonymise the resident, all their cases and every record of their file, and the values in
    the audit entries (the registry says which fields and how). The erasure itself is recorded
    as a DataSubjectRequest by the caller, after this."""
    for case_id in Case.objects.filter(resident=resident).values_list("pk", flat=True):
        erase_case(case_id)
    erase_resident(resident.pk, extra={"erased_at": timezone.now()})


def expired_cases(today: datetime.date | None = None) -> QuerySet[Case]:
    """Closed cases past their retention end, not yet anonymised."""
    today = today or timezone.localdate()
    return (
        Case.objects.filter(status=CaseStatus.CLOSED, retention_until__lt=today)
        .exclude(request_for_help=ERASED)
        .select_related("resident")
        .order_by("pk")
    )


@transaction.atomic
def retention_purge(*, actor: User, today: datetime.date | None = None) -> list[Case]:
    """Anonymise every closed case past its keep-until date, recording each as an erasure;
    when none of the resident's cases is kept any longer, the resident is anonymised too.
    ``purge_expired --apply`` calls this from a daily timer, as the named system user."""
    expired = list(expired_cases(today))
    with acting_as(actor):
        for case in expired:
            erase_case(case.pk)
            resident = case.resident
            still_kept = Case.objects.filter(resident=resident).exclude(request_for_help=ERASED).exists()
            if not still_kept and retention_blocks_erasure(resident, today) is None:
                anonymise_resident(resident)
            DataSubjectRequest.objects.create(
                resident=resident,
                kind=RequestKind.ERASURE,
                handled_by=actor,
                outcome=RequestOutcome.DONE,
                note=f"Retention period of {case} ended; anonymised by purge_expired.",
            )
    return expired


# --- the access log --------------------------------------------------------------------------


@transaction.atomic
def access_log_search_record(*, actor: User, filters: dict) -> LogEntry:
    """Reading the access log is itself logged: an ACCESS entry on the log with the filters."""
    _require_privacy_officer(actor)
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(LogEntry),
        object_pk="search",
        object_repr="Access log search",
        action=LogEntry.Action.ACCESS,
        actor=actor,
        actor_email=actor.email,
        timestamp=timezone.now(),
        additional_data={
            "view": "access_log",
            "filters": {k: str(getattr(v, "pk", v)) for k, v in filters.items() if v not in (None, "")},
        },
    )


# --- the audit chain -------------------------------------------------------------------------


def audit_chain_check() -> AuditChainCheck:
    """Seal what is waiting, walk the whole chain (``base.chain.verify``) from the head the last
    good check saw, and record the result; when it is broken, e-mail every privacy officer.
    ``verify_audit_chain`` calls this from a daily timer; the privacy officer's desk shows the
    last result."""
    seal_pending()
    last_good = AuditChainCheck.objects.filter(ok=True).order_by("-checked_at", "-pk").first()
    found = verify(anchor=(last_good.head_seq, last_good.head_hash) if last_good else None)
    check = AuditChainCheck.objects.create(
        ok=found.ok,
        checked=found.checked,
        redacted=found.redacted,
        head_seq=found.head_seq,
        head_hash=found.head_hash,
        broken_seq=found.broken_seq,
        broken_entry_id=found.broken_entry_id,
        problem="\n".join(found.problems[:20]),
        seconds=found.seconds,
    )
    if not check.ok:
        transaction.on_commit(lambda: notify_chain_broken(check))
    return check


def notify_chain_broken(check: AuditChainCheck) -> None:
    """E-mail the privacy officers that the audit chain is broken. Names no person or resident:
    the seal and entry numbers, and a link to the desk."""
    recipients = sorted(
        User.objects.filter(groups__name=Role.PRIVACY_OFFICER.value, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )
    if not recipients:
        return
    send_mail(
        subject=_("Wijkteam: the audit log was altered"),
        message=_(
            "The daily check of the audit log found a broken link at %(when)s: %(problem)s\n\n"
            "Entries of the audit and access log were changed or removed outside the app. "
            "Report this as a security incident. See Wijkteam: %(link)s"
        )
        % {
            "when": date_format(timezone.localtime(check.checked_at), "j F Y H:i"),
            "problem": check.problem.splitlines()[0] if check.problem else "",
            "link": settings.SITE_URL + reverse("home"),
        },
        from_email=None,
        recipient_list=recipients,
        fail_silently=True,
    )
