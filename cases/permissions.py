"""The one home of case permissions: facts first, grants derived.

Facts: team membership (a professional's team), case membership, the resident's consent,
the case status, and the account (active, role, screening).

* **Team access is read from the facts in the query**: a professional may do to a case of their
  own team what the case's state allows (:func:`professional_codenames`), on the condition
  ``case.team_id IN (the user's team)`` and the case's status and resident, on the case's own
  indexed columns. No per-case rows: a team of 33,000 cases holds no 100,000 grant rows, and a
  write never re-derives a team's grants.
* **Personal access is a guardian row** on ``CaseUserObjectPermission``, *derived* from the facts
  by :func:`sync_case_permissions`, which every service that changes a fact calls in the same
  transaction: volunteer staff on the cases they accepted, professionals who are members of a
  case (also of another team's case). ``CaseGroupObjectPermission`` holds nothing any more.

Both are one rule, :func:`professional_codenames`, read by the query and by the derivation.

Both questions are answered here, from one query shape, so they cannot drift apart:

* :func:`cases_for` - which cases may this user do X to (a queryset, for lists and 404s);
* :func:`can` - may this user do X to this case (the same queryset, narrowed to one pk).

On top of the grants, live *gates* are applied per request: the account is active, the
user holds the role the action is for (so a wrong grant alone cannot let a volunteer or
coordinator read a file or close a case), and a volunteer's screening (VOG) is valid today.
No setting switches any of this off.
"""

from __future__ import annotations

import enum
import operator
from dataclasses import dataclass, field
from functools import reduce

from django.contrib.auth.models import Permission
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Subquery

from accounts.facts import professional_teams
from accounts.roles import Role, user_roles
from base.rows import json_rows

from .constants import CaseStatus, ConsentAnswer, MembershipRole
from .models import (
    Case,
    CaseGroupObjectPermission,
    CaseInterest,
    CaseMembership,
    CaseUserObjectPermission,
    InterestAnswer,
    Resident,
    VolunteerConsent,
)
from .screening import (
    VolunteerStaff,
    forget_volunteer_profile,
    screened_among,
    screened_volunteers,
    volunteer_may_hold_access,
)


class CaseAction(enum.Enum):
    """What a user may do to a case; each maps to one guardian codename and one role."""

    VIEW_FILE = ("view_case", Role.PROFESSIONAL)
    CHANGE_FILE = ("change_case", Role.PROFESSIONAL)
    CLOSE = ("close_case", Role.PROFESSIONAL)
    REOPEN = ("reopen_case", Role.PROFESSIONAL)
    VIEW_SLICE = ("view_case_slice", Role.VOLUNTEER_STAFF)
    LOG_VISIT = ("log_home_visit", Role.VOLUNTEER_STAFF)

    def __init__(self, codename: str, role: Role) -> None:
        self.codename = codename
        self.role = role


PROFESSIONAL_OPEN = ("view_case", "change_case", "close_case")
PROFESSIONAL_CLOSED = ("view_case", "reopen_case")
PROFESSIONAL_RESTRICTED = ("view_case",)  # art. 18: the file is read-only (and hidden from volunteer staff)
VOLUNTEER_SLICE = ("view_case_slice", "log_home_visit")
ALL_CODENAMES = tuple(action.codename for action in CaseAction)


# --- the answers ----------------------------------------------------------------------------


def cases_for(
    user,
    action: CaseAction,
    queryset: QuerySet[Case] | None = None,
    *,
    case_id: int | None = None,
    per_case: bool = False,
) -> QuerySet[Case]:
    """The cases ``user`` may do ``action`` to: grants on the case, behind the live gates.

    With ``case_id``: only that case (or none), checked against its own grant rows instead of
    the user's whole set, which is what a single case page needs. ``per_case`` uses that form
    for a few cases too (inside an ``EXISTS`` per resident, say).
    """
    queryset = Case.objects.all() if queryset is None else queryset
    if not _passes_gates(user, action):
        return queryset.none()
    if case_id is not None:
        return queryset.filter(_grant_condition(user, action, per_case=True), pk=case_id)
    return queryset.filter(_grant_condition(user, action, per_case=per_case))


def _grant_condition(user, action: CaseAction, *, per_case: bool = False) -> Q:
    """Professionals: the case is of their team and its state allows ``action``
    (:func:`_team_condition`), or they hold a personal grant on it. Volunteer staff: a personal
    grant only.

    Personal grants, for lists: ``pk IN (cases granted to the user)``, one id set read from the
    direct-FK grant table by its unique index (owner, permission, case), hashed once per query
    (a correlated lookup per case row made a list walk every case of the municipality:
    docs/performance.md). One case (``per_case``): ``EXISTS`` on that case's own grant rows.
    Same rows, same answer.
    """
    permission = {"permission__codename": action.codename, "permission__content_type__app_label": "cases"}
    user_grants = CaseUserObjectPermission.objects.filter(user=user, **permission)
    if per_case:
        user_grant = Q(Exists(user_grants.filter(content_object=OuterRef("pk"))))
    else:
        user_grant = Q(pk__in=user_grants.values("content_object_id"))
    if action.role is Role.VOLUNTEER_STAFF:
        # Volunteers never have team access: their access is personal, per assignment; never
        # to a resident who restricted processing, and only on a case they accepted (a proposal
        # reads no slice, R7), also when a grant was left behind.
        accepted = CaseMembership.objects.filter(
            user=user, role=MembershipRole.VOLUNTEER, ended_at__isnull=True, accepted_at__isnull=False
        )
        return user_grant & Q(pk__in=accepted.values("case_id")) & Q(resident__restricted_at__isnull=True)
    own_team = Q(team_id__in=professional_teams(user))
    return (own_team & _team_condition(action)) | user_grant


def _team_condition(action: CaseAction) -> Q:
    """The case states in which a professional of the case's team may do ``action``: the very
    rule the personal grants are derived with (:func:`professional_codenames`), tried on each
    state and written as a condition on the case's status and its resident's restriction."""
    states = {
        closed: {
            restricted for restricted in (False, True) if action.codename in professional_codenames(closed, restricted)
        }
        for closed in (False, True)
    }
    if all(restricted == {False, True} for restricted in states.values()):
        return Q()  # in every state: no condition
    conditions = []
    for closed, restricted in states.items():
        if not restricted:
            continue
        state = Q(status=CaseStatus.CLOSED) if closed else ~Q(status=CaseStatus.CLOSED)
        if len(restricted) == 1:
            state &= Q(resident__restricted_at__isnull=not restricted.pop())
        conditions.append(state)
    return reduce(operator.or_, conditions)


def can(user, action: CaseAction, case: Case) -> bool:
    """May ``user`` do ``action`` to ``case``? The same query as :func:`cases_for`."""
    return cases_for(user, action, case_id=case.pk).exists()


def allowed_actions(user, case: Case, actions) -> set[CaseAction]:
    """Which of ``actions`` ``user`` may do to ``case``: :func:`can` for each, in one query."""
    checks = action_answers(user, actions)
    if not checks:
        return set()
    row = Case.objects.filter(pk=case.pk).annotate(**checks).values(*checks).first()
    return {CaseAction[name] for name, allowed in (row or {}).items() if allowed}


def action_answers(user, actions) -> dict[str, ExpressionWrapper]:
    """For a query over cases: per action (by name), whether ``user`` may do it to the row's
    case — :func:`can`'s rule as a column, so a page gets its answers with the case it reads."""
    return {
        action.name: ExpressionWrapper(_grant_condition(user, action, per_case=True), output_field=BooleanField())
        for action in actions
        if _passes_gates(user, action)
    }


def worked_on_cases(user) -> QuerySet[Case]:
    """The cases ``user`` may record work on: change the file (professionals) or log a visit
    (volunteer staff holding the slice). Home visits and referrals are recorded on these."""
    editable = cases_for(user, CaseAction.CHANGE_FILE).values("pk")
    visitable = cases_for(user, CaseAction.LOG_VISIT).values("pk")
    return Case.objects.filter(Q(pk__in=editable) | Q(pk__in=visitable))


def works_on(user, case: Case) -> bool:
    """May ``user`` record work on ``case``? The same rule as :func:`worked_on_cases`, per case."""
    return can(user, CaseAction.LOG_VISIT, case) or can(user, CaseAction.CHANGE_FILE, case)


def visible_cases(user) -> QuerySet[Case]:
    """The cases whose full file ``user`` may read (views load through this: else 404)."""
    return cases_for(user, CaseAction.VIEW_FILE)


def _passes_gates(user, action: CaseAction) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if action.role.value not in user_roles(user):
        return False
    if action.role is Role.VOLUNTEER_STAFF:
        return volunteer_may_hold_access(user)
    return True


def eligible_volunteers(case: Case) -> QuerySet[VolunteerStaff]:
    """Who may join ``case`` as volunteer staff (R5–R7): only with the resident's consent, on an
    open and unrestricted case, screened volunteer staff of its team who did not decline it and
    are not on it already (a proposal waiting for an answer counts as on it). The case page's
    picker, the meeting's suggestions and the services all read this one rule."""
    restricted = Resident.objects.filter(pk=case.resident_id, restricted_at__isnull=False).exists()
    if case.status == CaseStatus.CLOSED or restricted or not consent_allows_volunteer(case):
        return VolunteerStaff.objects.none()
    # One subquery per condition: two conditions on a multi-valued relation in one exclude()
    # would not have to hold for the same row (a decline of *another* case would exclude).
    declined = CaseInterest.objects.filter(case=case, answer=InterestAnswer.DECLINED).values("volunteer_id")
    on_case = CaseMembership.objects.filter(case=case, ended_at__isnull=True).values("user_id")
    return screened_volunteers(team_id=case.team_id).exclude(user_id__in=declined).exclude(user_id__in=on_case)


# --- deriving the grants from the facts ------------------------------------------------------


@dataclass
class Drift:
    """What :func:`sync_case_permissions` added and removed: empty when the rows were right."""

    added: list[tuple[str, int, str]] = field(default_factory=list)
    removed: list[tuple[str, int, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)

    def extend(self, other: Drift) -> None:
        self.added.extend(other.added)
        self.removed.extend(other.removed)


@dataclass(frozen=True)
class MemberFact:
    """One open membership as the grant rule needs it."""

    user_id: int
    role: str
    account_active: bool
    volunteer_screened: bool = False  # only read for volunteer staff
    volunteer_accepted: bool = False  # only read for volunteer staff: a proposal holds no slice (R7)


def professional_codenames(closed: bool, restricted: bool) -> tuple[str, ...]:
    """What a professional of the case (its team, or a member) may do to it in this state."""
    if restricted:  # art. 18: the file is read-only, and hidden from volunteer staff
        return PROFESSIONAL_RESTRICTED
    return PROFESSIONAL_CLOSED if closed else PROFESSIONAL_OPEN


def grants_from_facts(
    *,
    closed: bool,
    restricted: bool,
    consent_allows_volunteer: bool,
    members: list[MemberFact],
) -> set[tuple[int, str]]:
    """The rule itself, on plain facts: the personal (user_id, codename) grants of one case.

    :func:`desired_grants` feeds it one case from the database; ``seed_scale`` feeds it the
    facts it generates, so scale data holds exactly the grants the services would derive.
    A professional of the case's team needs no row: the query reads the team (:func:`cases_for`).
    """
    codenames = professional_codenames(closed, restricted)
    user_grants: set[tuple[int, str]] = set()
    volunteers_allowed = not closed and not restricted and consent_allows_volunteer
    for member in members:
        if not member.account_active:
            continue
        if member.role in (MembershipRole.RESPONSIBLE, MembershipRole.PROFESSIONAL):
            user_grants.update((member.user_id, codename) for codename in codenames)
        elif (
            member.role == MembershipRole.VOLUNTEER
            and volunteers_allowed
            and member.volunteer_screened
            and member.volunteer_accepted
        ):
            user_grants.update((member.user_id, codename) for codename in VOLUNTEER_SLICE)
    return user_grants


def desired_grants(case: Case) -> set[tuple[int, str]]:
    """The personal (user_id, codename) grants the facts of ``case`` call for."""
    return _grant_facts(case).want


@dataclass(frozen=True)
class _GrantFacts:
    want: set[tuple[int, str]]  # the grants the facts call for
    have: dict[tuple[int, str], int]  # the rows there are, by (user_id, codename): row id
    permission_ids: dict[str, int]


def _grant_facts(case: Case) -> _GrantFacts:
    """Everything the derivation reads, in one statement: the case's status, its resident's
    restriction, the newest consent, the open memberships with their accounts, the guardian
    rows it holds and the permissions' ids. Volunteer members' screening is the screening
    module's rule (one more query, only when the case has volunteer members)."""
    newest_consent = VolunteerConsent.objects.filter(case_id=OuterRef("pk")).order_by("-recorded_at", "-pk")
    row = (
        Case.objects.filter(pk=case.pk)
        .annotate(
            restricted=Exists(Resident.objects.filter(pk=OuterRef("resident_id"), restricted_at__isnull=False)),
            consent_yes=Subquery(
                newest_consent.annotate(
                    yes=ExpressionWrapper(
                        Q(answer=ConsentAnswer.YES, withdrawn_at__isnull=True), output_field=BooleanField()
                    )
                ).values("yes")[:1]
            ),
            member_rows=json_rows(
                CaseMembership.objects.filter(case_id=OuterRef("pk"), ended_at__isnull=True),
                "case_id",
                user_id=F("user_id"),
                role=F("role"),
                active=F("user__is_active"),
                accepted_at=F("accepted_at"),
            ),
            grant_rows=json_rows(
                CaseUserObjectPermission.objects.filter(content_object_id=OuterRef("pk")),
                "content_object_id",
                id=F("pk"),
                user_id=F("user_id"),
                codename=F("permission__codename"),
            ),
            permission_rows=json_rows(
                Permission.objects.filter(content_type__app_label="cases", codename__in=ALL_CODENAMES),
                "content_type_id",
                id=F("pk"),
                codename=F("codename"),
            ),
        )
        .values("status", "restricted", "consent_yes", "member_rows", "grant_rows", "permission_rows")
        .get()
    )
    member_rows = row["member_rows"] or []
    volunteer_ids = [member["user_id"] for member in member_rows if member["role"] == MembershipRole.VOLUNTEER]
    screened = screened_among(volunteer_ids) if volunteer_ids else set()
    members = [
        MemberFact(
            user_id=member["user_id"],
            role=member["role"],
            account_active=bool(member["active"]),
            volunteer_screened=member["user_id"] in screened,
            volunteer_accepted=member["accepted_at"] is not None,
        )
        for member in member_rows
    ]
    return _GrantFacts(
        want=grants_from_facts(
            closed=row["status"] == CaseStatus.CLOSED,
            restricted=row["restricted"],
            consent_allows_volunteer=bool(row["consent_yes"]),
            members=members,
        ),
        have={(grant["user_id"], grant["codename"]): grant["id"] for grant in row["grant_rows"] or []},
        permission_ids={permission["codename"]: permission["id"] for permission in row["permission_rows"] or []},
    )


def current_consent(case: Case) -> VolunteerConsent | None:
    return VolunteerConsent.objects.filter(case=case).order_by("-recorded_at", "-pk").first()


def consent_allows_volunteer(case: Case) -> bool:
    """The newest answer of the resident is 'yes' and not withdrawn (R6)."""
    consent = current_consent(case)
    return consent is not None and consent.allows_volunteer


def sync_case_permissions(case: Case) -> Drift:
    """Make the personal guardian rows of ``case`` match its facts; return what changed.

    Call it inside the transaction of every service that changes a fact, so access
    follows the facts on the very next request (ASVS 5.0 8.3.2).
    """
    facts = _grant_facts(case)
    want, have, permission_ids = facts.want, facts.have, facts.permission_ids
    stale = [row_id for key, row_id in have.items() if key not in want]
    if stale:
        CaseUserObjectPermission.objects.filter(pk__in=stale).delete()
    missing = sorted(want - have.keys())
    if missing:
        CaseUserObjectPermission.objects.bulk_create(
            CaseUserObjectPermission(content_object=case, permission_id=permission_ids[codename], user_id=user_id)
            for user_id, codename in missing
        )
    return Drift(
        added=[("user", user_id, codename) for user_id, codename in missing],
        removed=[("user", user_id, codename) for user_id, codename in sorted(have.keys() - want)],
    )


def stray_group_grants() -> QuerySet[CaseGroupObjectPermission]:
    """Group rows on cases: nothing derives or reads them (team access is read from the team),
    so any row is drift, reported and removed by the ``sync_case_permissions`` command."""
    return CaseGroupObjectPermission.objects.all()


def sync_user_case_permissions(user) -> Drift:
    """Re-derive every case the user is (or was) a member of, after an account fact changed."""
    forget_volunteer_profile(user)
    drift = Drift()
    case_ids = set(CaseMembership.objects.filter(user=user).values_list("case_id", flat=True))
    case_ids |= set(CaseUserObjectPermission.objects.filter(user=user).values_list("content_object_id", flat=True))
    for case in Case.objects.filter(pk__in=case_ids).order_by("pk"):
        drift.extend(sync_case_permissions(case))
    return drift
