"""What every service of the case file shares: the permission checks, the row lock, the
status transition, activity, ending memberships and the conflict error."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role, has_role

from ..constants import NEEDS_RESPONSIBLE, CaseStatus, MembershipRole, can_transition
from ..models import Case, CaseMembership
from ..permissions import CaseAction, can


def require(actor: User, action: CaseAction, case: Case) -> None:
    if not can(actor, action, case):
        raise PermissionDenied(_("You may not do this on this case."))


def require_professional(actor: User) -> None:
    if not has_role(actor, Role.PROFESSIONAL):
        raise PermissionDenied(_("Only a professional may do this."))


def lock(case: Case) -> None:
    """Take the case's row lock, in a statement of its own: a read after it sees what the
    previous holder committed (a read in the locking statement itself would not, on
    PostgreSQL: its subqueries keep the snapshot from before the wait)."""
    list(Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True))


def locked(case: Case) -> Case:
    """Re-read the case under a row lock, so concurrent services serialise on it."""
    return Case.objects.select_for_update().get(pk=case.pk)


def move(case: Case, target: CaseStatus, *, responsible: CaseMembership | None = None) -> None:
    """Move ``case`` to ``target`` if the transition table allows it (constants.TRANSITIONS).
    ``responsible``: the responsible membership the caller has just made (else it is read)."""
    if not can_transition(case.status, target):
        raise ValidationError(
            _("A case with status “%(current)s” cannot move to status “%(target)s”.")
            % {"current": case.get_status_display(), "target": CaseStatus(target).label}
        )
    if target in NEEDS_RESPONSIBLE and not (responsible or responsible_membership(case)):
        raise ValidationError(_("A running case needs a responsible professional."))
    case.status = target


def responsible_membership(case: Case) -> CaseMembership | None:
    return (
        CaseMembership.objects.filter(case=case, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True)
        .select_related("user")
        .first()
    )


def end_memberships(
    memberships: QuerySet[CaseMembership] | Iterable[CaseMembership], when: datetime.datetime | None = None
) -> int:
    """End every open membership in ``memberships`` (a query, or open memberships just read) one
    by one, so each end is audited; returns how many ended. Callers re-derive the grants afterwards."""
    when = when or timezone.now()
    ended = 0
    if isinstance(memberships, QuerySet):
        memberships = memberships.filter(ended_at__isnull=True)
    for membership in memberships:
        membership.ended_at = when
        membership.save(update_fields=["ended_at"])
        ended += 1
    return ended


def join_now(*, case: Case, user: User, role: str, actor: User, when: datetime.datetime) -> CaseMembership:
    """``user`` is on the case from ``when`` (a professional: accepted at once)."""
    return CaseMembership.objects.create(
        case=case, user=user, role=role, started_at=when, accepted_at=when, created_by=actor
    )


def touch(case: Case, when: datetime.datetime | None = None) -> None:
    """Record activity on the case (for 'no activity for N weeks'); not an edit of its fields.

    ``last_activity_at`` is excluded from the audit (it is derived from audited entries), so
    this one-column update loses no audit trail.
    """
    Case.objects.filter(pk=case.pk).update(last_activity_at=when or timezone.now())
