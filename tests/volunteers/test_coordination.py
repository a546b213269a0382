"""Coordinators (R11, R14, R15): screening, offboarding, rosters, check-ins, allowance, reminders."""

import datetime
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.models import User
from cases.constants import MembershipRole
from cases.models import CaseMembership
from tests.factories import (
    PASSWORD,
    CaseFactory,
    ResidentFactory,
    VillageFactory,
    make_coordinator,
    make_professional,
    make_volunteer,
)
from volunteers import selectors, services
from volunteers.models import (
    AllowanceArrangement,
    AllowanceKind,
    AllowanceLimit,
    CalendarFeed,
    Equipment,
    Location,
    RosterSlot,
    Shift,
    VolunteerStaff,
)

TODAY = timezone.localdate()


def _v(profile) -> int:
    """The profile's version as a coordinator who just opened it sees it."""
    return type(profile).objects.get(pk=profile.pk).version


MONDAY = TODAY - datetime.timedelta(days=TODAY.weekday())


@pytest.fixture
def team():
    village = VillageFactory(name="Hemmen")
    team = village.team
    coordinator = make_coordinator(team, email="coord@example.org")
    professional = make_professional(team)
    volunteer = make_volunteer(team, email="vrijwilliger@example.org")
    location = Location.objects.create(team=team, name="Dorpshuis", address="Plein 1")
    slot = RosterSlot.objects.create(
        location=location,
        weekday=MONDAY.weekday() + 1,
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        valid_from=MONDAY - datetime.timedelta(weeks=10),
    )
    return {"team": team, "village": village, "coordinator": coordinator, "professional": professional,
            "volunteer": volunteer, "profile": volunteer.volunteer_profile, "slot": slot}  # fmt: skip


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


def test_offboarding_removes_access_at_once_and_is_audited(client, team):
    case = CaseFactory(
        resident=ResidentFactory(village=team["village"]), with_volunteer=True, volunteer=team["volunteer"]
    )
    services.equipment_issue(actor=team["coordinator"], profile=team["profile"], kind="phone", identifier="06-1")
    future = services.shift_assign(
        actor=team["coordinator"], slot=team["slot"], date=MONDAY + datetime.timedelta(days=8), person=team["volunteer"]
    )
    volunteer_client = client.__class__()
    _login(volunteer_client, team["volunteer"])
    assert volunteer_client.get(reverse("volunteers:my_case", args=[case.pk])).status_code == 200
    _login(client, team["coordinator"])

    client.post(reverse("coordination:offboard", args=[team["profile"].pk]))

    assert volunteer_client.get(reverse("volunteers:my_case", args=[case.pk])).status_code == 302  # logged out
    user = User.objects.get(pk=team["volunteer"].pk)
    assert not user.is_active
    assert not CaseMembership.objects.filter(user=user, role=MembershipRole.VOLUNTEER, ended_at__isnull=True).exists()
    assert not case.caseuserobjectpermission_set.filter(user=user).exists()
    assert Equipment.objects.get().returned_on == TODAY
    assert not Shift.objects.filter(pk=future.pk).exists()
    entries = LogEntry.objects.filter(timestamp__date=TODAY, actor=team["coordinator"])
    assert entries.filter(content_type__model="casemembership").exists()
    assert entries.filter(content_type__model="volunteerstaff").exists()


def test_only_the_teams_coordinator_offboards(team):
    other_coordinator = make_coordinator(CaseFactory().team)

    with pytest.raises(PermissionDenied):
        services.volunteer_offboard(actor=other_coordinator, profile=team["profile"])


def test_coordinator_of_another_team_gets_404_on_the_profile(client, team):
    other_coordinator = make_coordinator(CaseFactory().team)
    _login(client, other_coordinator)

    assert client.get(reverse("coordination:volunteer", args=[team["profile"].pk])).status_code == 404


def test_expired_vog_recorded_by_the_coordinator_withdraws_access_and_assignment(team):
    case = CaseFactory(
        resident=ResidentFactory(village=team["village"]), with_volunteer=True, volunteer=team["volunteer"]
    )
    from cases.permissions import CaseAction, can

    services.volunteer_update(
        actor=team["coordinator"],
        profile=team["profile"],
        expected_version=_v(team["profile"]),
        vog_issued_on=TODAY - datetime.timedelta(days=4 * 365),
    )

    assert not can(User.objects.get(pk=team["volunteer"].pk), CaseAction.VIEW_SLICE, case)
    assert not case.caseuserobjectpermission_set.filter(user=team["volunteer"]).exists()
    new_case = CaseFactory(resident=ResidentFactory(village=team["village"]), consented=True, active=True)
    from cases import services as case_services

    with pytest.raises(ValidationError):
        case_services.volunteer_assign(actor=new_case.responsible, case=new_case, volunteer=team["volunteer"])


def test_dashboard_flags_expiring_vog_missing_checkin_and_alarm(team):
    services.volunteer_update(
        actor=team["coordinator"],
        profile=team["profile"],
        expected_version=_v(team["profile"]),
        vog_issued_on=TODAY - datetime.timedelta(days=3 * 365 - 14),
    )
    from cases import services as case_services

    case_services.alarm_raise(actor=team["volunteer"], note="")

    row = next(r for r in selectors.coordinator_dashboard(team["coordinator"]) if r.profile.pk == team["profile"].pk)

    assert {"VOG verloopt binnenkort", "VOG expires soon"} & set(row.flags)
    assert {"gesprek te laat", "check-in overdue"} & set(row.flags) or any(
        "check" in f.lower() or "gesprek" in f.lower() for f in row.flags
    )
    assert row.open_alarms == 1


def test_checkin_clears_the_overdue_flag(team):
    services.checkin_record(actor=team["coordinator"], profile=team["profile"], load=3, how_are_you="Prima")

    row = next(r for r in selectors.coordinator_dashboard(team["coordinator"]) if r.profile.pk == team["profile"].pk)

    assert row.last_checkin == TODAY
    assert not any("check" in f.lower() or "gesprek" in f.lower() for f in row.flags)


def test_checkin_load_must_be_1_to_5(team):
    with pytest.raises(ValidationError):
        services.checkin_record(actor=team["coordinator"], profile=team["profile"], load=9)


def test_roster_refuses_absence_double_and_wrong_day(team):
    tuesday = MONDAY + datetime.timedelta(days=1)
    services.absence_record(actor=team["coordinator"], person=team["volunteer"], start_date=tuesday, end_date=tuesday)

    with pytest.raises(ValidationError):
        services.shift_assign(actor=team["coordinator"], slot=team["slot"], date=tuesday, person=team["volunteer"])
    services.shift_assign(actor=team["coordinator"], slot=team["slot"], date=tuesday, person=team["professional"])
    with pytest.raises(ValidationError):
        services.shift_assign(actor=team["coordinator"], slot=team["slot"], date=tuesday, person=team["professional"])
    with pytest.raises(ValidationError):
        services.shift_assign(actor=team["coordinator"], slot=team["slot"], date=MONDAY, person=team["professional"])


def test_roster_shows_conflicts_understaffing_and_swaps(team):
    tuesday = MONDAY + datetime.timedelta(days=1)
    shift = services.shift_assign(actor=team["coordinator"], slot=team["slot"], date=tuesday, person=team["volunteer"])
    services.absence_record(actor=team["volunteer"], person=team["volunteer"], start_date=tuesday, end_date=tuesday)
    data = selectors.roster(teams=team["team"].__class__.objects.filter(pk=team["team"].pk), start=MONDAY, days=7)
    cell = next(c for _slot, cells in data["locations"][team["slot"].location] for c in cells if c.date == tuesday)
    assert [s.person_id for s in cell.conflicts] == [team["volunteer"].pk]
    assert cell.no_professional

    other = make_volunteer(team["team"])
    swapped = services.shift_swap(actor=team["coordinator"], shift=shift, person=other, expected_version=shift.version)

    assert swapped.person == other
    assert not Shift.objects.filter(person=team["volunteer"]).exists()


def test_roster_pages_week_month_print(client, team):
    services.shift_assign(
        actor=team["coordinator"], slot=team["slot"], date=MONDAY + datetime.timedelta(days=1), person=team["volunteer"]
    )
    _login(client, team["coordinator"])

    for params in ({}, {"weergave": "maand"}, {"print": "1"}, {"datum": "not-a-date"}):
        response = client.get(reverse("coordination:roster"), params)
        assert response.status_code == 200
        assert escape(team["volunteer"].last_name) in response.content.decode()


def test_assign_over_http_shows_the_absence_conflict_as_a_message(client, team):
    tuesday = MONDAY + datetime.timedelta(days=1)
    services.absence_record(actor=team["coordinator"], person=team["volunteer"], start_date=tuesday, end_date=tuesday)
    _login(client, team["coordinator"])

    response = client.post(
        reverse("coordination:shift_assign"),
        {"slot": team["slot"].pk, "date": tuesday.isoformat(), "person": team["volunteer"].pk},
        follow=True,
    )

    assert not Shift.objects.exists()
    assert escape(team["volunteer"].last_name) in response.content.decode()


def test_calendar_feed_lists_shifts_without_case_content_and_dies_with_the_account(client, team):
    services.shift_assign(
        actor=team["coordinator"], slot=team["slot"], date=MONDAY + datetime.timedelta(days=1), person=team["volunteer"]
    )
    feed = services.calendar_feed_create(actor=team["volunteer"])

    body = client.get(reverse("calendar_feed", args=[feed.token])).content.decode()

    assert body.startswith("BEGIN:VCALENDAR") and "Dorpshuis" in body and "DTSTART:" in body
    assert client.get(reverse("calendar_feed", args=["wrong-token"])).status_code == 404
    services.volunteer_offboard(actor=team["coordinator"], profile=team["profile"])
    assert client.get(reverse("calendar_feed", args=[feed.token])).status_code == 404


def test_allowance_limits_come_from_data(team):
    arrangement = AllowanceArrangement.objects.create(
        municipality=team["team"].municipality, name="Uur", kind=AllowanceKind.PER_HOUR, amount=Decimal("6.00")
    )
    services.volunteer_update(
        actor=team["coordinator"], profile=team["profile"], expected_version=_v(team["profile"]), allowance=arrangement
    )
    year = TODAY.year

    without_limits, limit = selectors.allowance_statements(team["coordinator"], year)
    assert limit is None and without_limits[0].warnings
    AllowanceLimit.objects.create(
        year=year, max_per_hour=Decimal("7.00"), max_per_month=Decimal("500"), max_per_year=Decimal("5000")
    )
    within, _limit = selectors.allowance_statements(team["coordinator"], year)
    AllowanceLimit.objects.filter(year=year).update(max_per_hour=Decimal("5.00"))
    above, _limit = selectors.allowance_statements(team["coordinator"], year)

    assert within[0].warnings == []
    assert above[0].warnings


def test_allowance_counts_visits_and_shifts(team):
    arrangement = AllowanceArrangement.objects.create(
        municipality=team["team"].municipality, name="Uur", kind=AllowanceKind.PER_HOUR, amount=Decimal("2.00")
    )
    services.volunteer_update(
        actor=team["coordinator"], profile=team["profile"], expected_version=_v(team["profile"]), allowance=arrangement
    )
    case = CaseFactory(
        resident=ResidentFactory(village=team["village"]), with_volunteer=True, volunteer=team["volunteer"]
    )
    from cases import services as case_services

    case_services.home_visit_log(actor=team["volunteer"], case=case, visited_on=TODAY, duration_minutes=60)
    tuesday = MONDAY - datetime.timedelta(days=6)
    # Working since the start of the year: in the first week of a month last week's Tuesday is
    # in the month before, which counts only when the volunteer had started by then.
    VolunteerStaff.objects.filter(pk=team["profile"].pk).update(started_on=TODAY.replace(month=1, day=1))
    if tuesday.year == TODAY.year:
        services.shift_assign(actor=team["coordinator"], slot=team["slot"], date=tuesday, person=team["volunteer"])

    statement = selectors.allowance_statements(team["coordinator"], TODAY.year)[0][0]

    expected_hours = 1.0 + (2.0 if tuesday.year == TODAY.year else 0)
    assert statement.total_hours == expected_hours
    assert statement.total_amount == Decimal("2.00") * Decimal(str(expected_hours))


def test_allowance_csv_export_is_protected_against_formulas(client, team):
    team["volunteer"].first_name = "=HYPERLINK(1)"
    team["volunteer"].save()
    _login(client, team["coordinator"])

    response = client.get(reverse("coordination:allowance"), {"formaat": "csv", "jaar": str(TODAY.year)})

    body = response.content.decode()
    assert response["Content-Type"].startswith("text/csv")
    assert "'=HYPERLINK(1)" in body


def test_allowance_amounts_have_a_decimal_comma_for_a_dutch_spreadsheet(client, team):
    """The CSV is ';'-separated for Dutch Excel, which reads "12.50" as text or a date."""
    _login(client, team["coordinator"])

    body = client.get(reverse("coordination:allowance"), {"formaat": "csv", "jaar": str(TODAY.year)}).content.decode()

    [row] = [line for line in body.splitlines()[1:] if line]
    amounts = row.split(";")[3:17]
    assert amounts and all("," in amount and "." not in amount for amount in amounts), amounts


def test_reminders_email_vog_expiry_and_overdue_checkins(team):
    services.volunteer_update(
        actor=team["coordinator"],
        profile=team["profile"],
        expected_version=_v(team["profile"]),
        vog_issued_on=TODAY - datetime.timedelta(days=3 * 365 - 7),
    )

    call_command("send_reminders")

    subjects = [message.subject for message in mail.outbox]
    assert any("VOG" in subject for subject in subjects)
    assert any(team["volunteer"].last_name in subject for subject in subjects)
    assert all("coord@example.org" in m.to or "vrijwilliger@example.org" in m.to for m in mail.outbox)


def test_register_a_new_volunteer_over_http(client, team):
    _login(client, team["coordinator"])

    response = client.post(
        reverse("coordination:volunteer_new"),
        {
            "team": team["team"].pk,
            "username": "nieuwe-vm",
            "first_name": "Nina",
            "last_name": "Nieuw",
            "email": "",
            "phone": "",
            "hours_per_week": "8",
            "started_on": TODAY.isoformat(),
            "interests": "Wandelen",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="nieuwe-vm")
    assert user.groups.filter(name="volunteer_staff").exists()
    assert not user.has_usable_password()


def test_swap_over_http_hands_the_shift_over(client, team):
    tuesday = MONDAY + datetime.timedelta(days=1)
    shift = services.shift_assign(actor=team["coordinator"], slot=team["slot"], date=tuesday, person=team["volunteer"])
    colleague = make_volunteer(team["team"])
    _login(client, team["coordinator"])

    client.post(reverse("coordination:shift_swap", args=[shift.pk]), {"person": colleague.pk, "version": shift.version})

    assert list(Shift.objects.values_list("person", flat=True)) == [colleague.pk]


def test_my_roster_page_writes_nothing_and_makes_the_feed_address_on_request(client, team):
    _login(client, team["volunteer"])

    page = client.get(reverse("my_calendar"))

    assert page.status_code == 200 and not CalendarFeed.objects.exists()
    client.post(reverse("my_calendar"))
    feed = CalendarFeed.objects.get(user=team["volunteer"])
    assert feed.token in client.get(reverse("my_calendar")).content.decode()


def test_the_service_refuses_a_supervisor_from_outside_the_team(team):
    outsider = make_professional(VillageFactory().team)

    with pytest.raises(ValidationError):
        services.volunteer_update(
            actor=team["coordinator"],
            profile=team["profile"],
            expected_version=_v(team["profile"]),
            supervisor=outsider,
        )

    team["profile"].refresh_from_db()
    assert team["profile"].supervisor_id != outsider.pk
