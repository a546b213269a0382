"""The weekly meeting (R4, R5): the agenda builds itself; decisions go through the services;
volunteer suggestions are ranked by match and never include a decline, conflict or bad VOG."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from base.models import AuditSeal
from cases import selectors, services
from cases.constants import CaseStatus, ConsentAnswer, MembershipRole
from cases.models import (
    AgendaReason,
    Alarm,
    Case,
    CaseInterest,
    CaseMembership,
    InterestAnswer,
    LifeDomain,
    MeetingDecision,
)
from tests.factories import (
    PASSWORD,
    CaseFactory,
    ResidentFactory,
    VillageFactory,
    make_professional,
    make_volunteer,
)
from volunteers.matching import volunteer_suggestions


@pytest.fixture
def team():
    village = VillageFactory(name="Zetten")
    professional = make_professional(village.team)

    def case(**kwargs) -> Case:
        return CaseFactory(resident=ResidentFactory(village=village), responsible=professional, **kwargs)

    return {"village": village, "team": village.team, "professional": professional, "case": case}


def _agenda(team):
    meeting = services.meeting_start(actor=team["professional"], team=team["team"])
    return meeting, {
        item.case.pk: item for item in selectors.meeting_agenda(user=team["professional"], meeting=meeting).items
    }


def test_agenda_builds_itself_from_the_four_reasons(team):
    new = team["case"]()
    flagged = team["case"](active=True)
    services.case_flag_for_meeting(actor=team["professional"], case=flagged)
    alarmed = team["case"](with_volunteer=True)
    services.alarm_raise(actor=alarmed.volunteer, case=alarmed, note="Te zwaar")
    quiet = team["case"](active=True)
    Case.objects.filter(pk=quiet.pk).update(last_activity_at=timezone.now() - datetime.timedelta(weeks=7))
    busy = team["case"](active=True)
    Case.objects.filter(pk__in=[flagged.pk, alarmed.pk, busy.pk]).update(
        opened_at=timezone.now() - datetime.timedelta(days=30)
    )
    Case.objects.filter(pk=quiet.pk).update(opened_at=timezone.now() - datetime.timedelta(days=60))
    services.meeting_start(
        actor=team["professional"], team=team["team"], day=timezone.localdate() - datetime.timedelta(days=14)
    )

    _meeting, items = _agenda(team)

    assert items[new.pk].reasons == [AgendaReason.NEW]
    assert AgendaReason.FLAGGED in items[flagged.pk].reasons
    assert AgendaReason.ALARM in items[alarmed.pk].reasons
    assert AgendaReason.INACTIVE in items[quiet.pk].reasons
    assert busy.pk not in items


def test_closed_and_other_team_cases_are_not_on_the_agenda(team):
    closed = team["case"](closed=True)
    other = CaseFactory()

    _meeting, items = _agenda(team)

    assert closed.pk not in items and other.pk not in items


def test_decision_sets_responsible_activates_and_assigns_volunteer(team):
    case = team["case"](consent=ConsentAnswer.YES)
    volunteer = make_volunteer(team["team"])
    colleague = make_professional(team["team"])
    meeting, _items = _agenda(team)

    decision = services.meeting_decide(
        actor=team["professional"],
        meeting=meeting,
        case=case,
        responsible=colleague,
        volunteer=volunteer,
        next_step="Huisbezoek plannen",
        reasons=[AgendaReason.NEW],
    )

    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    assert selectors.responsible_of(case) == colleague
    assert CaseMembership.objects.filter(
        case=case, user=volunteer, role=MembershipRole.VOLUNTEER, ended_at__isnull=True
    ).exists()
    assert decision.decided_by == team["professional"]


def test_no_volunteer_without_consent_and_nothing_half_done(team):
    case = team["case"](consent=ConsentAnswer.NO)
    meeting, _items = _agenda(team)

    with pytest.raises(ValidationError):
        services.meeting_decide(
            actor=team["professional"],
            meeting=meeting,
            case=case,
            responsible=team["professional"],
            volunteer=make_volunteer(team["team"]),
            next_step="x",
        )

    case.refresh_from_db()
    assert case.status == CaseStatus.NEW
    assert not MeetingDecision.objects.exists()


def test_one_decision_per_case_per_meeting(team):
    case = team["case"]()
    meeting, _items = _agenda(team)
    services.meeting_decide(
        actor=team["professional"], meeting=meeting, case=case, responsible=team["professional"], next_step="a"
    )

    with pytest.raises(ValidationError):
        services.meeting_decide(
            actor=team["professional"], meeting=meeting, case=case, responsible=team["professional"], next_step="b"
        )


def test_suggestions_rank_by_match_and_exclude_declines_and_bad_vog(team):
    case = team["case"](consent=ConsentAnswer.YES)
    neighbour = make_volunteer(team["team"], first_name="Buur")
    neighbour.volunteer_profile.village = team["village"]
    neighbour.volunteer_profile.save()
    neighbour.volunteer_profile.expertise.set(LifeDomain.objects.filter(code="money"))
    eager = make_volunteer(team["team"], first_name="Graag")
    CaseInterest.objects.create(case=case, volunteer=eager, answer=InterestAnswer.INTERESTED)
    plain = make_volunteer(team["team"], first_name="Gewoon")
    declined = make_volunteer(team["team"], first_name="Nee")
    CaseInterest.objects.create(case=case, volunteer=declined, answer=InterestAnswer.DECLINED, reason="knows_resident")
    expired = make_volunteer(team["team"], vog_issued_on=timezone.localdate() - datetime.timedelta(days=4 * 365))
    other_team = make_volunteer(CaseFactory().team)

    names = [s.user_id for s in volunteer_suggestions(case)]

    assert names[:3] == [neighbour.pk, eager.pk, plain.pk]
    assert not {declined.pk, expired.pk, other_team.pk} & set(names)


def test_busy_volunteer_ranks_lower(team):
    case = team["case"](consent=ConsentAnswer.YES)
    busy = make_volunteer(team["team"], first_name="Aaa")
    free = make_volunteer(team["team"], first_name="Zzz")
    for _ in range(3):
        team["case"](with_volunteer=True, volunteer=busy)

    ranked = [s.user_id for s in volunteer_suggestions(case)]

    assert ranked.index(free.pk) < ranked.index(busy.pk)


def test_no_suggestions_without_consent(team):
    case = team["case"]()
    make_volunteer(team["team"])

    assert volunteer_suggestions(case) == []


def test_meeting_end_resolves_discussed_alarms_and_minutes_list_decisions(client, team):
    case = team["case"](with_volunteer=True)
    services.alarm_raise(actor=case.volunteer, case=case, note="zwaar")
    meeting, _items = _agenda(team)
    services.meeting_decide(
        actor=team["professional"],
        meeting=meeting,
        case=case,
        responsible=team["professional"],
        next_step="Bellen met inwoner",
    )
    client.login(username=team["professional"].username, password=PASSWORD)

    client.post(reverse("meetings:end", args=[meeting.pk]))
    minutes = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()

    assert Alarm.objects.get().resolved_at is not None
    assert "Bellen met inwoner" in minutes


def test_decision_by_htmx_returns_the_decided_item(client, team):
    case = team["case"](consent=ConsentAnswer.YES)
    volunteer = make_volunteer(team["team"])
    meeting, _items = _agenda(team)
    client.login(username=team["professional"].username, password=PASSWORD)
    form = client.get(reverse("meetings:decide", args=[meeting.pk, case.pk]), HTTP_HX_REQUEST="true")
    assert escape(volunteer.first_name) in form.content.decode()

    response = client.post(
        reverse("meetings:decide", args=[meeting.pk, case.pk]),
        {
            "responsible": team["professional"].pk,
            "volunteer": volunteer.pk,
            "next_step": "Kennismaken",
            "reasons": ["new"],
        },
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "Kennismaken" in body
    assert MeetingDecision.objects.get().volunteer == volunteer


def test_decision_form_error_keeps_what_was_typed(client, team):
    case = team["case"]()
    meeting, _items = _agenda(team)
    client.login(username=team["professional"].username, password=PASSWORD)

    response = client.post(
        reverse("meetings:decide", args=[meeting.pk, case.pk]),
        {"responsible": "", "next_step": "", "notes": "Mijn aantekening"},
        HTTP_HX_REQUEST="true",
    )

    assert "Mijn aantekening" in response.content.decode()
    assert not MeetingDecision.objects.exists()


def test_a_volunteer_not_in_the_suggestions_cannot_be_forced_in(client, team):
    case = team["case"](consent=ConsentAnswer.YES)
    declined = make_volunteer(team["team"])
    CaseInterest.objects.create(case=case, volunteer=declined, answer=InterestAnswer.DECLINED, reason="other")
    meeting, _items = _agenda(team)
    client.login(username=team["professional"].username, password=PASSWORD)

    client.post(
        reverse("meetings:decide", args=[meeting.pk, case.pk]),
        {"responsible": team["professional"].pk, "volunteer": declined.pk, "next_step": "x"},
    )

    assert not MeetingDecision.objects.exists()


def test_volunteers_see_meeting_only_when_the_team_lets_them_and_only_their_slices(client, team):
    mine = team["case"](with_volunteer=True)
    services.case_flag_for_meeting(actor=team["professional"], case=mine)
    other = team["case"]()
    meeting, _items = _agenda(team)
    client.login(username=mine.volunteer.username, password=PASSWORD)

    assert client.get(reverse("meetings:detail", args=[meeting.pk])).status_code == 404
    team["team"].volunteers_join_meeting = True
    team["team"].save()
    body = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()

    assert escape(mine.resident.first_name) in body
    assert other.resident.last_name not in body
    assert mine.request_for_help not in body


def test_agenda_page_query_count_is_fixed(client, team, django_assert_max_num_queries):
    """At most 12 statements (docs/performance.md), however long the agenda."""
    team["case"]()
    meeting, _items = _agenda(team)
    client.login(username=team["professional"].username, password=PASSWORD)
    url = reverse("meetings:detail", args=[meeting.pk])
    client.get(url)  # the session's first request reads more (second step, roles)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(8):
        team["case"](consent=ConsentAnswer.YES)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)

    assert response.content.decode().count("agenda-item ") + response.content.decode().count('agenda-item"') >= 9


def test_a_possible_duplicate_from_the_online_form_is_marked_on_its_item_at_no_extra_query(
    client, team, django_assert_max_num_queries
):
    """The intake API marks a case whose resident may be registered already; the team sees it
    in triage (the mark is a column of the case the agenda reads anyway)."""
    plain = team["case"]()
    meeting, _items = _agenda(team)
    client.login(username=team["professional"].username, password=PASSWORD)
    url = reverse("meetings:detail", args=[meeting.pk])
    client.get(url)
    with django_assert_max_num_queries(12) as before:
        client.get(url)
    marked = team["case"]()
    Case.objects.filter(pk=marked.pk).update(possible_duplicate=True)

    with django_assert_max_num_queries(len(before.captured_queries)):
        body = client.get(url).content.decode()

    items = {pk: body.split(f'id="item-{pk}"')[1].split("</li>")[0] for pk in (plain.pk, marked.pk)}
    assert "Possible duplicate, check" in items[marked.pk] or "Mogelijk dubbel" in items[marked.pk]
    assert "status--flag" in items[marked.pk] and "status--flag" not in items[plain.pk]


def test_a_long_agenda_comes_in_pages_in_agenda_order(team, client):
    """At municipal scale a week can bring hundreds of items: the page shows AGENDA_PAGE_SIZE of
    them, numbered on from the previous page, with the total, in a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cases.selectors import AGENDA_PAGE_SIZE

    cases = [team["case"]() for _ in range(AGENDA_PAGE_SIZE + 5)]
    meeting, items = _agenda(team)
    assert len(items) == len(cases)
    client.login(username=team["professional"].username, password=PASSWORD)
    url = reverse("meetings:detail", args=[meeting.pk])

    first = client.get(url)
    assert len(first.context["items"]) == AGENDA_PAGE_SIZE
    assert first.context["agenda"].total == len(cases)
    assert "?pagina=2" in first.content.decode()

    with CaptureQueriesContext(connection) as queries:
        second = client.get(url, {"pagina": "2"})
    shown = [item.case.pk for item in second.context["items"]]
    assert len(shown) == 5 and 'start="41"' in second.content.decode()
    assert set(shown).isdisjoint(item.case.pk for item in first.context["items"])
    with CaptureQueriesContext(connection) as more_queries:
        client.get(url, {"pagina": "1"})
    assert len(more_queries) == len(queries)  # 40 items cost what 5 cost

    assert client.get(url, {"pagina": "999"}).context["agenda"].page == 2  # past the end: the last page
    assert client.get(url, {"pagina": "x"}).context["agenda"].page == 1


def test_the_service_refuses_a_volunteer_who_declined_the_case(team):
    """'The volunteer must be one of the suggestions' is the service's rule, not only the form's."""
    case = team["case"](consent=ConsentAnswer.YES)
    declined = make_volunteer(team["team"])
    CaseInterest.objects.create(case=case, volunteer=declined, answer=InterestAnswer.DECLINED, reason="other")
    meeting, _items = _agenda(team)

    with pytest.raises(ValidationError):
        services.meeting_decide(
            actor=team["professional"],
            meeting=meeting,
            case=case,
            responsible=team["professional"],
            volunteer=declined,
            next_step="Kennismaken",
        )

    assert not MeetingDecision.objects.exists()
    assert not CaseMembership.objects.filter(case=case, user=declined).exists()


@pytest.mark.django_db(transaction=True)
def test_a_decision_costs_at_most_25_statements(reference_data, client, team, django_assert_max_num_queries):
    """The decision is one pass over the case (docs/performance.md): the case read, checked
    and locked in one statement, one save of the case (new → active, off the agenda, the
    activity), the grants derived from one read of the facts, the audit entries sealed before
    the commit: at most 25 statements as in production (no test transaction around it), with
    the form's submission key. Through three services, each checking, saving and re-deriving
    the grants on its own, it took 53."""
    cases = [team["case"](consent=ConsentAnswer.YES) for _ in range(3)]
    meeting, _items = _agenda(team)
    client.login(username=team["professional"].username, password=PASSWORD)
    client.get(reverse("meetings:detail", args=[meeting.pk]))  # the session's first request reads more
    data = {"responsible": team["professional"].pk, "next_step": "Huisbezoek.", "reasons": ["new"]}
    # The first decision of a fresh process reads the content types once (cached after).
    client.post(reverse("meetings:decide", args=[meeting.pk, cases.pop().pk]), data)
    counts = []
    for case, key in zip(
        cases, ["3f0c2a4e-1f5b-4d7e-9a8b-0c1d2e3f4a51", "3f0c2a4e-1f5b-4d7e-9a8b-0c1d2e3f4a52"], strict=True
    ):
        url = reverse("meetings:decide", args=[meeting.pk, case.pk])
        with django_assert_max_num_queries(25) as decision:
            response = client.post(url, data | {"submission_key": key})
        assert response.status_code == 302
        counts.append(len(decision.captured_queries))
        case.refresh_from_db()
        assert case.status == CaseStatus.ACTIVE and not case.flagged_for_meeting
        assert case.memberships.get(role=MembershipRole.RESPONSIBLE, ended_at=None).user == team["professional"]
        assert AuditSeal.objects.filter(entry_id=LogEntry.objects.latest("pk").pk).exists()  # sealed

    assert counts[0] == counts[1]
