"""What the professional's case file page costs in SQL: at most 12 statements per GET, open
or closed, and a thick file (many journal entries, visits, agreements, people, consents,
referrals, alarms, declines and history) exactly what a thin one costs. The history, folded
away, is read when it is opened: a statement of its own request, however long it is.

Of the twelve, every request pays up to three before the view (session, user, and the
second-step device unless the session vouches for it) and one for the access-log entry of the
read. The action forms with database-backed pickers (people, agreement, referral) are not read
on a page view: they load when opened (``test_case_file_actions``). ``CASE_FILE_STATEMENTS``
below is the list of what the view reads.
"""

import datetime

import pytest
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from cases import services
from cases.constants import ConsentAnswer, Outcome
from cases.models import Alarm, Case, CaseInterest, Topic
from cases.permissions import CaseAction, allowed_actions
from cases.selectors import case_file
from privacy.services import resident_restrict
from socialmap import services as map_services
from tests.factories import PASSWORD, CaseFactory, add_journal, make_privacy_officer, make_professional, make_volunteer

BUDGET = 12
# What every request reads before the view: the session, the user, the verified second factor
# (the last one is kept in the session where the account allows: then two).
REQUEST_TABLES = {"django_session", "accounts_user", "otp_static_staticdevice"}
# What the view reads and writes, in order.
CASE_FILE_STATEMENTS = [
    "cases_case",  # the case, resident, village, team, the reader's three permission answers, the
    #                life domains and topics, and the short lists of alarms and declines
    "cases_homevisit",  # the visits with their visitors
    "cases_agreement",  # the agreements with their assignees
    "cases_casemembership",  # who works on the case
    "socialmap_referral",  # the referrals with their offers
    "cases_volunteerconsent",  # the consent answers
    "cases_journalentry",  # the journal with its authors
    "auditlog_logentry",  # INSERT: the read is logged
]
# The pickers of the action forms: read when a form is opened, never on a page view.
PICKER_TABLES = ("volunteers_volunteerstaff", "socialmap_offer_villages", "accounts_municipality")


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


def _page_statements(client, case: Case) -> list[str]:
    """The SQL of one GET of the case file, by its reader (after a first GET: as on a running
    server, the content types are cached)."""
    url = reverse("cases:detail", args=[case.pk])
    _login(client, case.responsible)
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in queries.captured_queries]


def _listing(statements: list[str]) -> str:
    return "\n".join(f"{number:2}. {sql[:160]}" for number, sql in enumerate(statements, 1))


def _main_table(sql: str) -> str:
    """The table a statement reads from or writes to: its INTO, or its FROM outside any
    parentheses (a subquery in the select list has a FROM of its own)."""
    if sql.startswith("INSERT INTO "):
        return sql.split("INSERT INTO ", 1)[1].split()[0].strip('"')
    depth = 0
    for position, character in enumerate(sql):
        depth += {"(": 1, ")": -1}.get(character, 0)
        if depth == 0 and sql.startswith(" FROM ", position):
            return sql[position + len(" FROM ") :].split()[0].strip('"')
    return sql.split()[0]


def _thick(case: Case) -> Case:
    """Many of everything the file shows, written through the services (so the history grows too)."""
    today = timezone.localdate()
    team = case.team
    for number in range(6):
        add_journal(case, text=f"Notitie {number}", shared=number % 2 == 0)
    for number in range(4):
        services.home_visit_log(
            actor=case.volunteer,
            case=case,
            visited_on=today - datetime.timedelta(days=number),
            duration_minutes=30,
            summary=f"Bezoek {number}",
            note_for_responsible=f"Let op {number}",
        )
    colleagues = [make_professional(team) for _ in range(3)]
    for colleague in colleagues:
        services.case_add_professional(actor=case.responsible, case=case, professional=colleague)
    for number, person in enumerate([case.volunteer, *colleagues]):
        services.agreement_add(
            actor=case.responsible, case=case, kind="practical", description=f"Afspraak {number}", assignee=person
        )
    for number in range(3):
        offer = map_services.offer_save(
            actor=case.responsible,
            villages=[case.resident.village],
            topics=Topic.objects.filter(code="loneliness"),
            name=f"Aanbod {number}",
            kind="activity",
        )
        map_services.referral_make(actor=case.responsible, case=case, offer=offer)
    for number in range(2):
        services.consent_record(actor=case.responsible, case=case, answer=ConsentAnswer.YES, note=f"Nogmaals {number}")
        services.alarm_raise(actor=case.volunteer, case=case, note=f"Zwaar {number}")
        declining = make_volunteer(team)
        proposal = services.volunteer_assign(actor=case.responsible, case=case, volunteer=declining)
        services.proposal_decline(actor=declining, membership=proposal, reason="knows_resident", note=f"Buur {number}")
    services.case_update(
        actor=case.responsible,
        case=case,
        expected_version=Case.objects.get(pk=case.pk).version,
        topics=Topic.objects.filter(code__in=["loneliness", "debts"]),
    )
    return case


def _closed(case: Case) -> Case:
    closed = services.case_close(actor=case.responsible, case=case, outcome=Outcome.RESOLVED)
    closed.responsible = case.responsible
    return closed


@pytest.fixture
def thin():
    return CaseFactory(with_volunteer=True)


@pytest.fixture
def thick():
    return _thick(CaseFactory(with_volunteer=True))


@pytest.mark.parametrize("state", ["open", "closed"])
def test_a_file_costs_at_most_twelve_statements(client, thin, state, django_assert_max_num_queries):
    case = _closed(thin) if state == "closed" else thin
    _login(client, case.responsible)
    url = reverse("cases:detail", args=[case.pk])
    client.get(url)

    with django_assert_max_num_queries(BUDGET):
        response = client.get(url)

    assert response.status_code == 200
    assert 'id="journal"' in response.content.decode()


@pytest.mark.parametrize("state", ["open", "closed"])
def test_a_thick_file_costs_exactly_what_a_thin_one_costs(client, thin, thick, state):
    if state == "closed":
        thin, thick = _closed(thin), _closed(thick)

    few = _page_statements(client, thin)
    many = _page_statements(client, thick)

    assert len(many) == len(few), f"thin:\n{_listing(few)}\nthick:\n{_listing(many)}"
    assert len(few) <= BUDGET, _listing(few)


def test_the_statements_are_the_ones_listed(client, thick):
    """One statement per kind of record, none for the action forms' pickers."""
    statements = _page_statements(client, thick)
    tables = [_main_table(sql) for sql in statements]
    view = tables.index("cases_case")

    assert set(tables[:view]) <= REQUEST_TABLES and view <= len(REQUEST_TABLES), _listing(statements)
    assert tables[view:] == CASE_FILE_STATEMENTS, _listing(statements)
    assert [sql for sql in statements if any(table in sql for table in PICKER_TABLES)] == []
    assert [sql for sql in statements if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))] == [
        statements[-1]
    ]


def test_the_thick_file_shows_all_it_holds(client, thick):
    """The count is low because the page reads in few statements, not because it shows less."""
    _login(client, thick.responsible)

    body = client.get(reverse("cases:detail", args=[thick.pk])).content.decode()

    expected = [
        *(f"Notitie {n}" for n in range(6)),
        *(f"Bezoek {n}" for n in range(4)),
        *(f"Afspraak {n}" for n in range(4)),
        *(f"Aanbod {n}" for n in range(3)),
        *(f"Nogmaals {n}" for n in range(2)),
        *(f"Zwaar {n}" for n in range(2)),
        *(f"Buur {n}" for n in range(2)),
        "Geld",  # the life domain
        "Eenzaamheid",  # the topics
        "Schulden",
    ]
    assert [text for text in expected if text not in body] == []
    for membership in thick.memberships.select_related("user"):
        assert escape(membership.user.display_name) in body


@pytest.mark.both_databases
def test_the_short_lists_come_with_the_case_in_order(thick):
    """Life domains and topics in their fixed order; alarms and declines newest first, with
    names, reasons and times (JSON from the case row: on PostgreSQL and on SQLite)."""
    file = case_file(user=thick.responsible, case_id=thick.pk)

    assert file.domains == ["Geld"]
    assert file.topics == ["Eenzaamheid", "Schulden"]
    assert [alarm.note for alarm in file.alarms] == ["Zwaar 1", "Zwaar 0"]
    assert all(alarm.volunteer == thick.volunteer.display_name for alarm in file.alarms)
    assert [alarm.raised_at for alarm in file.alarms] == list(
        Alarm.objects.filter(case=thick).order_by("-raised_at").values_list("raised_at", flat=True)
    )
    assert all(timezone.is_aware(alarm.raised_at) for alarm in file.alarms)
    assert [decline.note for decline in file.declines] == ["Buur 1", "Buur 0"]
    assert {decline.reason for decline in file.declines} == {"Ik ken deze inwoner"}
    assert [decline.answered_at for decline in file.declines] == list(
        CaseInterest.objects.filter(case=thick).order_by("-answered_at").values_list("answered_at", flat=True)
    )
    assert [decline.volunteer for decline in file.declines] == [
        interest.volunteer.display_name
        for interest in CaseInterest.objects.filter(case=thick).select_related("volunteer").order_by("-answered_at")
    ]


def test_a_followed_up_alarm_names_who_followed_it_up(thick):
    alarm = thick.alarms.order_by("raised_at").first()
    services.alarm_resolve(actor=thick.responsible, alarm=alarm)

    [latest, first] = case_file(user=thick.responsible, case_id=thick.pk).alarms

    assert first.resolved_by == thick.responsible.display_name and first.resolved_at is not None
    assert latest.resolved_by == "" and latest.resolved_at is None


@pytest.mark.parametrize("state", ["open", "closed", "restricted", "colleague", "other_team"])
def test_the_permission_answers_in_the_case_row_are_allowed_actions(state):
    """The three answers come with the case row; they are ``permissions.allowed_actions``'s."""
    case = CaseFactory(with_volunteer=True)
    reader = case.responsible
    if state == "closed":
        case = _closed(case)
    elif state == "restricted":
        resident_restrict(actor=make_privacy_officer(case.team.municipality), resident=case.resident, reason="art. 18")
    elif state == "colleague":
        reader = make_professional(case.team)
    elif state == "other_team":
        reader = make_professional(CaseFactory().team)
    actions = (CaseAction.CHANGE_FILE, CaseAction.CLOSE, CaseAction.REOPEN)
    expected = allowed_actions(reader, case, actions)

    if CaseAction.VIEW_FILE not in allowed_actions(reader, case, (CaseAction.VIEW_FILE,)):
        with pytest.raises(Http404):
            case_file(user=reader, case_id=case.pk)
        return
    file = case_file(user=reader, case_id=case.pk)

    answers = {
        CaseAction.CHANGE_FILE: file.can_change,
        CaseAction.CLOSE: file.can_close,
        CaseAction.REOPEN: file.can_reopen,
    }
    assert {action for action, allowed in answers.items() if allowed} == expected


def test_the_history_loads_when_opened_in_fixed_statements(client, thin, thick, django_assert_max_num_queries):
    """The history is not read on a page view; opened, it costs the same for a long history
    as for a short one: the case, the entries with their actors, and the access entry."""

    def statements(case: Case) -> list[str]:
        url = reverse("cases:history", args=[case.pk])
        _login(client, case.responsible)
        client.get(url, HTTP_HX_REQUEST="true")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        return [query["sql"] for query in queries.captured_queries]

    few, many = statements(thin), statements(thick)

    assert len(many) == len(few) <= BUDGET, f"thin:\n{_listing(few)}\nthick:\n{_listing(many)}"
    assert "auditlog_logentry" not in [_main_table(sql) for sql in _page_statements(client, thick)][:-1]
