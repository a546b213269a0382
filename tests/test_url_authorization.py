"""The authorisation table: every URL pattern x role -> the expected answer.

A guard test fails when a URL pattern is missing from the table, so a new page cannot ship
without its row. 404 means "you may not know this exists"; 302 for anonymous users is the
redirect to the login page.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import (
    PASSWORD,
    CaseFactory,
    ResidentFactory,
    make_administrator,
    make_coordinator,
    make_privacy_officer,
    make_professional,
)

ROLES = [
    "anonymous",
    "professional",
    "other_team_professional",
    "volunteer",
    "coordinator",
    "administrator",
    "privacy_officer",
]

# url name -> (method, expected status per role, in the order of ROLES)
TABLE = {
    #                            anon prof other vol coord admin
    "home": ("get", (302, 200, 200, 200, 200, 200, 200)),
    "cases:list": ("get", (302, 200, 200, 404, 404, 404, 404)),
    "cases:intake": ("get", (302, 200, 200, 404, 404, 404, 404)),
    "cases:resident_search": ("get", (302, 200, 200, 404, 404, 404, 404)),
    "cases:detail": ("get", (302, 200, 404, 404, 404, 404, 404)),
    "cases:edit": ("get", (302, 200, 404, 404, 404, 404, 404)),
    "cases:resident_edit": ("get", (302, 200, 404, 404, 404, 404, 404)),
    "cases:journal_add": ("post", (302, 302, 404, 404, 404, 404, 404)),
    "cases:agreement_add": ("post", (302, 302, 404, 404, 404, 404, 404)),
    "cases:agreement_done": ("post", (302, 302, 404, 404, 404, 404, 404)),
    "cases:consent_record": ("post", (302, 302, 404, 404, 404, 404, 404)),
    "cases:consent_withdraw": ("post", (302, 302, 404, 404, 404, 404, 404)),
    "cases:people": ("post", (302, 302, 404, 404, 404, 404, 404)),
    "cases:membership_end": ("post", (302, 302, 404, 404, 404, 404, 404)),
    "cases:status": ("post", (302, 302, 404, 404, 404, 404, 404)),
    "cases:transfer": ("get", (302, 200, 404, 404, 404, 404, 404)),
    "cases:close": ("get", (302, 200, 404, 404, 404, 404, 404)),
    "cases:reopen": ("post", (302, 302, 404, 404, 404, 404, 404)),
    "meetings:current": ("get", (302, 200, 200, 404, 404, 404, 404)),
    "meetings:detail": ("get", (302, 200, 404, 404, 404, 404, 404)),
    "meetings:decide": ("get", (302, 200, 404, 404, 404, 404, 404)),
    "meetings:end": ("post", (302, 302, 404, 404, 404, 404, 404)),
    "meetings:minutes": ("get", (302, 200, 404, 404, 404, 404, 404)),
    "volunteers:my_cases": ("get", (302, 404, 404, 200, 404, 404, 404)),
    "volunteers:my_case": ("get", (302, 404, 404, 200, 404, 404, 404)),
    "volunteers:visit_new": ("get", (302, 404, 404, 200, 404, 404, 404)),
    "volunteers:visit_edit": ("get", (302, 404, 404, 200, 404, 404, 404)),
    "volunteers:board": ("get", (302, 404, 404, 200, 404, 404, 404)),
    "volunteers:board_answer": ("get", (302, 404, 404, 200, 404, 404, 404)),
    "volunteers:alarm": ("get", (302, 404, 404, 200, 404, 404, 404)),
    "volunteers:hours": ("get", (302, 404, 404, 200, 404, 404, 404)),
    "cases:alarm_resolve": ("post", (302, 302, 404, 404, 404, 404, 404)),
    "coordination:dashboard": ("get", (302, 404, 404, 404, 200, 404, 404)),
    "coordination:volunteer_new": ("get", (302, 404, 404, 404, 200, 404, 404)),
    "coordination:volunteer": ("get", (302, 404, 404, 404, 200, 404, 404)),
    "coordination:equipment_issue": ("post", (302, 404, 404, 404, 302, 404, 404)),
    "coordination:equipment_return": ("post", (302, 404, 404, 404, 302, 404, 404)),
    "coordination:checkin_new": ("post", (302, 404, 404, 404, 200, 404, 404)),
    "coordination:offboard": ("get", (302, 404, 404, 404, 200, 404, 404)),
    "coordination:roster": ("get", (302, 404, 404, 404, 200, 404, 404)),
    "coordination:shift_assign": ("post", (302, 404, 404, 404, 302, 404, 404)),
    "coordination:shift_remove": ("post", (302, 404, 404, 404, 302, 404, 404)),
    "coordination:shift_swap": ("post", (302, 404, 404, 404, 302, 404, 404)),
    "coordination:absence_new": ("post", (302, 404, 404, 404, 302, 404, 404)),
    "coordination:allowance": ("get", (302, 404, 404, 404, 200, 404, 404)),
    "my_calendar": ("get", (302, 200, 200, 200, 200, 200, 200)),
    "calendar_feed": ("get", (200, 200, 200, 200, 200, 200, 200)),
    "accounts:login": ("get", (200, 302, 302, 302, 302, 302, 302)),
    "accounts:logout": ("post", (302, 302, 302, 302, 302, 302, 302)),
    "accounts:mfa_verify": ("get", (302, 302, 302, 302, 302, 302, 302)),
    "accounts:mfa_setup": ("get", (302, 200, 200, 200, 200, 200, 200)),
    "set_language": ("post", (302, 302, 302, 302, 302, 302, 302)),
    "socialmap:offers":         ("get",  (302, 200, 200, 200, 404, 404, 404)),
    "socialmap:offer_new":      ("get",  (302, 200, 200, 200, 404, 404, 404)),
    "socialmap:offer":          ("get",  (302, 200, 200, 200, 404, 404, 404)),
    "socialmap:referral_new":   ("post", (302, 302, 404, 302, 404, 404, 404)),
    "socialmap:referral_outcome": ("post", (302, 302, 404, 302, 404, 404, 404)),
    "socialmap:signals":        ("get",  (302, 200, 200, 200, 404, 404, 404)),
    "socialmap:signal_advance": ("post", (302, 302, 302, 404, 404, 404, 404)),
    "reports":                  ("get",  (302, 200, 200, 404, 200, 404, 404)),
    "privacy:access_log":       ("get",  (302, 404, 404, 404, 404, 404, 200)),
    "privacy:residents":        ("get",  (302, 404, 404, 404, 404, 404, 200)),
    "privacy:resident":         ("get",  (302, 404, 404, 404, 404, 404, 200)),
    "privacy:export":           ("get",  (302, 404, 404, 404, 404, 404, 200)),
    "privacy:act":              ("post", (302, 404, 404, 404, 404, 404, 302)),
}  # fmt: skip


def _args(name: str, world: dict) -> list:
    case, meeting = world["case"], world["meeting"]
    return {
        "cases:agreement_done": [case.pk, world["agreement"].pk],
        "cases:people": [case.pk, "responsible"],
        "cases:membership_end": [case.pk, world["membership"].pk],
        "cases:status": [case.pk, "flag"],
        "meetings:detail": [meeting.pk],
        "meetings:decide": [meeting.pk, case.pk],
        "meetings:end": [meeting.pk],
        "meetings:minutes": [meeting.pk],
        "volunteers:visit_new": [case.pk],
        "volunteers:visit_edit": [case.pk, world["visit"].pk],
        "volunteers:board_answer": [world["open_question"].pk],
        "cases:alarm_resolve": [world["alarm"].pk],
        "coordination:volunteer": [world["profile"].pk],
        "coordination:equipment_issue": [world["profile"].pk],
        "coordination:equipment_return": [world["profile"].pk, world["equipment"].pk],
        "coordination:checkin_new": [world["profile"].pk],
        "coordination:offboard": [world["profile"].pk],
        "coordination:shift_remove": [world["shift"].pk],
        "coordination:shift_swap": [world["shift"].pk],
        "calendar_feed": [world["feed"].token],
        "privacy:resident": [case.resident_id],
        "socialmap:offer": [world["offer"].pk],
        "socialmap:referral_new": [case.pk],
        "socialmap:referral_outcome": [world["referral"].pk],
        "socialmap:signal_advance": [world["signal"].pk],
        "privacy:export": [case.resident_id, "html"],
        "privacy:act": [case.resident_id, "object"],
    }.get(name, [case.pk] if name.startswith(("cases:", "volunteers:my_case")) and name in CASE_URLS else [])


CASE_URLS = {name for name in TABLE if name.startswith("cases:")} - {
    "cases:list",
    "cases:intake",
    "cases:resident_search",
}
CASE_URLS.add("volunteers:my_case")
# Django's own admin is covered by its own permission checks (and [6]); not in this table.
OUTSIDE_TABLE_NAMESPACES = {"admin"}


def _all_url_names(resolver=None, namespace: str = "") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in OUTSIDE_TABLE_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= _all_url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_pattern_is_in_the_table():
    assert _all_url_names() == set(TABLE)


def _coordination_world(case, coordinator) -> dict:
    import datetime

    from volunteers import services as volunteer_services
    from volunteers.models import Location, RosterSlot

    profile = case.volunteer.volunteer_profile
    tomorrow = datetime.date.today() + datetime.timedelta(days=1)
    slot = RosterSlot.objects.create(
        location=Location.objects.create(team=case.team, name="Dorpshuis"),
        weekday=tomorrow.weekday(),
        start_time=datetime.time(10),
        end_time=datetime.time(11),
        valid_from=datetime.date.today(),
    )
    return {
        "profile": profile,
        "equipment": volunteer_services.equipment_issue(actor=coordinator, profile=profile, kind="phone"),
        "shift": volunteer_services.shift_assign(actor=coordinator, slot=slot, date=tomorrow, person=case.volunteer),
        "feed": volunteer_services.calendar_feed_create(actor=case.volunteer),
    }


def _social_map_world(case) -> dict:
    from socialmap import services as map_services

    offer = map_services.offer_save(
        actor=case.responsible, villages=[case.resident.village], name="Koffie", kind="activity"
    )
    return {
        "offer": offer,
        "referral": map_services.referral_make(actor=case.responsible, case=case, offer=offer),
        "signal": map_services.signal_record(
            actor=case.volunteer, village=case.resident.village, theme="t", description="d"
        ),
    }


@pytest.fixture
def world():
    import datetime

    from cases import services
    from cases.constants import MembershipRole
    from cases.models import CaseMembership

    case = CaseFactory(with_volunteer=True)
    other_team = CaseFactory().team
    coordinator = make_coordinator(case.team)
    last_week = datetime.date.today() - datetime.timedelta(days=7)
    return {
        "meeting": services.meeting_start(actor=case.responsible, team=case.team, day=last_week),
        "agreement": services.agreement_add(
            actor=case.responsible, case=case, kind="administration", description="Post", assignee=case.volunteer
        ),
        "membership": CaseMembership.objects.get(case=case, role=MembershipRole.VOLUNTEER),
        "visit": services.home_visit_log(
            actor=case.volunteer, case=case, visited_on=datetime.date.today(), duration_minutes=30
        ),
        "open_question": CaseFactory(resident=ResidentFactory(village=case.resident.village), consented=True),
        "alarm": services.alarm_raise(actor=case.volunteer, case=case, note="zwaar"),
        **_coordination_world(case, coordinator),
        **_social_map_world(case),
        "case": case,
        "anonymous": None,
        "professional": case.responsible,
        "other_team_professional": make_professional(other_team),
        "volunteer": case.volunteer,
        "coordinator": coordinator,
        "administrator": make_administrator(),
        "privacy_officer": make_privacy_officer(),
    }


@pytest.mark.parametrize("name", list(TABLE))
@pytest.mark.parametrize("role", ROLES)
def test_url_answers_as_the_table_says(client, world, name, role):
    method, statuses = TABLE[name]
    expected = dict(zip(ROLES, statuses, strict=True))
    if world[role] is not None:
        client.login(username=world[role].username, password=PASSWORD)
    url = reverse(name, args=_args(name, world))
    if name == "cases:reopen" and role == "professional":
        from cases import services

        services.case_close(actor=world["professional"], case=world["case"], outcome="resolved")

    response = getattr(client, method)(url, {"language": "nl"} if name == "set_language" else {})

    assert response.status_code == expected[role]
    if expected[role] == 302 and role == "anonymous" and name not in {"accounts:logout", "set_language"}:
        assert response.url.startswith(reverse("accounts:login"))
