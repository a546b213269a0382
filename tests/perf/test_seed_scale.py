"""seed_scale: the bulk-written scale data follows the app's rules, and its grants are exactly
what the services derive (sync_case_permissions finds nothing to change)."""

import io

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.urls import reverse

from accounts.facts import professional_team_ids
from accounts.models import User
from accounts.roles import Role, user_roles
from cases.constants import CaseStatus, ConsentAnswer, MembershipRole
from cases.models import Case, CaseMembership, CaseUserObjectPermission, HomeVisit, JournalEntry, VolunteerConsent
from cases.permissions import (
    CaseAction,
    allowed_actions,
    cases_for,
    consent_allows_volunteer,
    current_consent,
    professional_codenames,
    sync_case_permissions,
)
from cases.screening import volunteer_may_hold_access
from perf.scale import MUNICIPALITY, SIZES
from volunteers.models import VolunteerStaff
from wijkteam import demo


@pytest.fixture
def scale_xs(settings):
    settings.SCALE_DATA_ALLOWED = True
    call_command("seed_scale", "--size", "XS", stdout=io.StringIO())


def test_counts_follow_the_size(scale_xs):
    size = SIZES["XS"]
    assert Case.objects.count() == size.cases
    # per-case counts are drawn around the target, so the totals land near it
    assert 0.7 * size.journal_entries <= JournalEntry.objects.count() <= 1.3 * size.journal_entries
    assert 0.6 * size.home_visits <= HomeVisit.objects.count() <= 1.4 * size.home_visits
    assert VolunteerStaff.objects.count() == size.volunteers


def test_grants_are_exactly_what_the_services_derive(scale_xs):
    drifted = [case.pk for case in Case.objects.all() if sync_case_permissions(case)]
    assert drifted == []
    assert CaseUserObjectPermission.objects.filter(permission__codename="view_case_slice").exists()


def test_facts_follow_the_rules(scale_xs):
    running = Case.objects.filter(status__in=[CaseStatus.ACTIVE, CaseStatus.ON_HOLD])
    responsible = running.annotate(
        n=Count("memberships", filter=Q(memberships__role=MembershipRole.RESPONSIBLE, memberships__ended_at=None))
    )
    assert set(responsible.values_list("n", flat=True)) == {1}
    for membership in CaseMembership.objects.filter(role=MembershipRole.VOLUNTEER).select_related("case"):
        assert current_consent(membership.case).answer == ConsentAnswer.YES
        if membership.case.status == CaseStatus.CLOSED:
            assert membership.ended_at is not None  # closing ends a volunteer's membership
    closed = Case.objects.filter(status=CaseStatus.CLOSED)
    assert not closed.filter(Q(outcome="") | Q(closed_at=None) | Q(retention_until=None)).exists()
    assert not VolunteerConsent.objects.filter(case__status=CaseStatus.NEW).exists()


def test_scale_accounts_log_in_and_see_their_slice(scale_xs, client):
    volunteer = (
        CaseUserObjectPermission.objects.filter(permission__codename="view_case_slice")
        .values_list("user__username", flat=True)
        .first()
    )
    assert client.login(username=volunteer, password=demo.PASSWORD)
    response = client.get(reverse("volunteers:my_cases"))
    assert response.status_code == 200
    case = cases_for(response.wsgi_request.user, CaseAction.VIEW_SLICE).first()
    assert client.get(reverse("volunteers:my_case", args=[case.pk])).status_code == 200
    client.logout()
    assert client.login(username="p001", password=demo.PASSWORD)
    assert client.get(reverse("cases:list")).status_code == 200


def test_the_audit_chain_is_sealed_whole_as_in_production(scale_xs):
    """Every entry the scale data wrote is in the chain (as production seals each at its
    commit): no page of a benchmark or load test seals a backlog, and the chain verifies."""
    from auditlog.models import LogEntry

    from base.chain import seal_pending, verify
    from base.models import AuditSeal

    assert LogEntry.objects.count() > 1_000
    assert AuditSeal.objects.count() == LogEntry.objects.count()
    assert seal_pending() == 0
    result = verify()
    assert result.ok, result.problem
    assert result.checked == LogEntry.objects.count() and result.unsealed == 0


def test_a_second_run_refuses(scale_xs, settings):
    with pytest.raises(CommandError, match=MUNICIPALITY):
        call_command("seed_scale", "--size", "XS")


def test_refused_where_scale_data_is_not_allowed(settings):
    settings.SCALE_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="SCALE_DATA_ALLOWED"):
        call_command("seed_scale", "--size", "XS")


def test_allowed_actions_answers_as_can_for_every_role_and_case(scale_xs):
    """The case page's one-query answer equals can() for each action, for every account of the
    scale world (professionals in and outside the team, volunteers, coordinators, privacy officer)."""
    from cases.permissions import allowed_actions, can

    cases = list(Case.objects.order_by("?")[:40])
    for user in User.objects.exclude(username="systeem"):
        for case in cases:
            expected = {action for action in CaseAction if can(user, action, case)}
            assert allowed_actions(user, case, list(CaseAction)) == expected, (user.username, case.pk)


def test_the_list_form_and_the_one_case_form_of_cases_for_agree(scale_xs):
    """cases_for() reads id sets for lists and EXISTS per case for one case: same answers."""
    from accounts.models import User

    sample = set(Case.objects.order_by("?").values_list("pk", flat=True)[:60])
    for user in User.objects.exclude(username="systeem"):
        for action in CaseAction:
            listed = set(cases_for(user, action).filter(pk__in=sample).values_list("pk", flat=True))
            one_by_one = {pk for pk in sample if cases_for(user, action, case_id=pk).exists()}
            per_case = set(cases_for(user, action, per_case=True).filter(pk__in=sample).values_list("pk", flat=True))
            assert listed == one_by_one == per_case, (user.username, action)


def _expected_from_facts(user, case, action) -> bool:
    """The access rules written out once more, in Python, from the facts alone."""
    if not user.is_active or action.role.value not in user_roles(user):
        return False
    closed, restricted = case.status == CaseStatus.CLOSED, case.resident.restricted_at is not None
    memberships = [m for m in case.memberships.all() if m.user_id == user.pk and m.ended_at is None]
    if action.role is Role.VOLUNTEER_STAFF:
        return (
            action.codename in ("view_case_slice", "log_home_visit")
            and any(m.role == MembershipRole.VOLUNTEER and m.accepted_at for m in memberships)
            and not closed
            and not restricted
            and consent_allows_volunteer(case)
            and volunteer_may_hold_access(user)
        )
    on_case = case.team_id in professional_team_ids(user) or any(
        m.role in (MembershipRole.RESPONSIBLE, MembershipRole.PROFESSIONAL) for m in memberships
    )
    return on_case and action.codename in professional_codenames(closed, restricted)


def test_every_scale_account_gets_one_answer_from_the_list_the_single_question_and_the_facts(scale_xs):
    """For every account of the scale data and every action: the list (``cases_for``), the single
    question (``can``, per case) and the rules applied to the facts in Python agree."""
    from accounts.models import User

    cases = list(Case.objects.select_related("resident").prefetch_related("memberships").order_by("pk"))
    users = list(User.objects.filter(is_active=True).exclude(username=settings.SYSTEM_ACTOR_USERNAME))
    assert len(users) > 10
    granted = 0
    for user in users:
        listed = {action: set(cases_for(user, action).values_list("pk", flat=True)) for action in CaseAction}
        for case in cases:
            single = allowed_actions(user, case, list(CaseAction))
            for action in CaseAction:
                expected = _expected_from_facts(user, case, action)
                assert (case.pk in listed[action]) == (action in single) == expected, (user, case.pk, action)
                granted += expected
    assert granted > len(cases)  # professionals of the team see their cases: the check compared real answers
