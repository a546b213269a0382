"""The privacy officer's desk (the home page) and the access log in words: open GDPR requests
by deadline, reads per role this week, readers worth a look (each a link into the log that
shows exactly why), the audit chain's last check; the log's filters and its CSV export."""

import csv
import datetime
import io
from urllib.parse import parse_qs, urlsplit

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from accounts.roles import user_roles
from base.chain import seal_pending
from cases.models import Case
from privacy import selectors, services
from privacy.models import DataSubjectRequest, RequestKind, one_month_after
from tests.factories import PASSWORD, CaseFactory, ResidentFactory, make_privacy_officer, make_professional


@pytest.fixture
def officer():
    return make_privacy_officer()


def _read(reader, case: Case, when: datetime.datetime, view: str = "case_file") -> LogEntry:
    """A read at a chosen moment (the log is append-only: it cannot be moved afterwards)."""
    return LogEntry.objects.create(
        content_type=ContentType.objects.get_for_model(Case),
        object_pk=str(case.pk),
        object_id=case.pk,
        object_repr=str(case),
        action=LogEntry.Action.ACCESS,
        actor=reader,
        actor_email=reader.email,
        timestamp=when,
        additional_data={"view": view, "roles": sorted(user_roles(reader))},
    )


def _this_week_at(hour: int) -> datetime.datetime:
    monday = selectors.week_start()
    day = min(timezone.localdate(), monday + datetime.timedelta(days=4))  # a working day this week
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 15)))


def _log_ids(client, link: str) -> set[int]:
    """The entries the access log shows for a desk link (by the same filters, as a CSV)."""
    query = {key: values[0] for key, values in parse_qs(urlsplit(link).query).items()}
    page = selectors.access_log(user=client.officer, **_cleaned(client.officer, query))
    return {event.pk for event in page.events}


def _cleaned(user, query: dict) -> dict:
    from privacy.forms import AccessLogFilterForm

    form = AccessLogFilterForm(query, user=user)
    assert form.is_valid(), form.errors
    return form.cleaned_data


# --- requests --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "deadline"),
    [
        (datetime.date(2026, 1, 31), datetime.date(2026, 2, 28)),
        (datetime.date(2028, 1, 31), datetime.date(2028, 2, 29)),
        (datetime.date(2026, 12, 15), datetime.date(2027, 1, 15)),
    ],
)
def test_the_answer_is_due_one_month_after_receipt(received, deadline):
    assert one_month_after(received) == deadline


def test_a_received_request_is_open_on_the_desk_until_it_is_carried_out(client, officer):
    case = CaseFactory(active=True)
    late = services.request_register(
        actor=officer,
        resident=case.resident,
        kind=RequestKind.RESTRICTION,
        received_on=timezone.localdate() - datetime.timedelta(days=40),
        note="Wil niet dat vrijwilligers meekijken",
    )
    other = ResidentFactory(village=case.resident.village)
    due = services.request_register(
        actor=officer, resident=other, kind=RequestKind.ACCESS, received_on=timezone.localdate()
    )
    client.login(username=officer.username, password=PASSWORD)

    body = client.get(reverse("home")).content.decode()

    assert body.index(escape(case.resident.full_name)) < body.index(escape(other.full_name))  # the late one first
    assert "status--warning" in body
    assert f"{due.answer_before:%-d}" in body

    services.resident_restrict(actor=officer, resident=case.resident, reason="Op verzoek")

    late.refresh_from_db()
    assert not late.is_open and late.handled_by == officer and "Op verzoek" in late.note
    assert DataSubjectRequest.objects.filter(resident=case.resident).count() == 1
    assert escape(case.resident.full_name) not in client.get(reverse("home")).content.decode()


def test_a_request_handled_elsewhere_is_closed_with_what_was_done(client, officer):
    case = CaseFactory(active=True)
    client.login(username=officer.username, password=PASSWORD)
    page = client.get(reverse("privacy:resident", args=[case.resident.pk]))
    key = page.context["register_form"] and page.content.decode().split('name="submission_key" value="')[1][:36]

    for _ in range(2):  # a double tap records once
        response = client.post(
            reverse("privacy:request_register", args=[case.resident.pk]),
            {"kind": "rectification", "received_on": timezone.localdate().isoformat(), "submission_key": key},
        )
        assert response.status_code == 302
    request = DataSubjectRequest.objects.get(resident=case.resident)
    assert request.is_open and request.deadline == one_month_after(timezone.localdate())

    response = client.post(
        reverse("privacy:request_close", args=[request.pk]), {"outcome": "done", "note": "Adres verbeterd"}
    )

    request.refresh_from_db()
    assert response.status_code == 302 and request.outcome == "done" and "Adres verbeterd" in request.note


def test_a_request_cannot_arrive_in_the_future_and_the_form_keeps_what_was_typed(client, officer):
    case = CaseFactory(active=True)
    client.login(username=officer.username, password=PASSWORD)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        reverse("privacy:request_register", args=[case.resident.pk]),
        {"kind": "erasure", "received_on": tomorrow.isoformat(), "note": "Brief van 3 maart"},
    )

    assert response.status_code == 422
    assert "Brief van 3 maart" in response.content.decode()
    assert not DataSubjectRequest.objects.exists()


def test_requests_of_another_municipality_are_not_the_officers(client, officer):
    elsewhere = make_privacy_officer(municipality=__import__("tests.factories").factories.MunicipalityFactory(name="X"))
    case = CaseFactory(active=True)
    request = services.request_register(
        actor=officer, resident=case.resident, kind=RequestKind.ACCESS, received_on=timezone.localdate()
    )
    client.login(username=elsewhere.username, password=PASSWORD)

    assert escape(case.resident.full_name) not in client.get(reverse("home")).content.decode()
    assert client.post(reverse("privacy:request_close", args=[request.pk]), {"outcome": "done"}).status_code == 404


# --- reads this week and what is worth a look ------------------------------------------------


def test_reads_per_role_this_week_link_to_exactly_those_reads(client, officer):
    case = CaseFactory(with_volunteer=True)
    _read(case.responsible, case, _this_week_at(10))
    _read(case.responsible, case, _this_week_at(11))
    _read(case.volunteer, case, _this_week_at(12), view="volunteer_slice")
    _read(case.responsible, case, timezone.now() - datetime.timedelta(days=8))  # last week
    client.officer = officer

    desk = selectors.desk(officer)

    with translation.override("en"):
        counts = {str(row.label): row.count for row in desk.reads_per_role}
    assert counts == {"Professional": 2, "Volunteer staff": 1}
    professional = next(row for row in desk.reads_per_role if row.count == 2)
    assert len(_log_ids(client, professional.link)) == 2


WEDNESDAY = datetime.date(2026, 11, 18)  # a week in the past, so every moment in it has happened


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 15)))


def test_readers_worth_a_look_each_link_to_the_reads_that_make_them_so(client, officer):
    case = CaseFactory(active=True)
    colleague = make_professional(case.team)
    others = [CaseFactory(resident=ResidentFactory(village=case.resident.village)) for _ in range(selectors.MANY_FILES)]
    for other in others:  # files of the team, but not theirs
        _read(colleague, other, _at(WEDNESDAY, 10))
    late = _read(case.responsible, case, _at(WEDNESDAY - datetime.timedelta(days=1), 23))
    services.resident_restrict(actor=officer, resident=case.resident, reason="Bezwaar")
    case.resident.__class__.objects.filter(pk=case.resident.pk).update(restricted_at=_at(WEDNESDAY, 9))
    restricted = _read(case.responsible, case, _at(WEDNESDAY, 11))
    client.officer = officer

    desk = selectors.desk(officer, today=WEDNESDAY)

    found = {(row.concern, row.who): row for row in desk.attention}
    not_on = found[(selectors.Concern.NOT_ON_CASE, colleague.display_name)]
    assert not_on.count == selectors.MANY_FILES
    assert len(_log_ids(client, not_on.link)) == selectors.MANY_FILES
    outside = found[(selectors.Concern.OUTSIDE_HOURS, case.responsible.display_name)]
    assert late.pk in _log_ids(client, outside.link)
    on_restricted = found[(selectors.Concern.RESTRICTED, case.responsible.display_name)]
    assert _log_ids(client, on_restricted.link) == {restricted.pk}
    assert not any(row.who == colleague.display_name for row in desk.attention if row.concern != "not_on_case")


def test_a_few_files_read_without_being_on_them_is_ordinary_team_work(officer):
    case = CaseFactory(active=True)
    colleague = make_professional(case.team)
    _read(colleague, case, _this_week_at(10))

    assert not selectors.desk(officer).attention


def test_the_desk_shows_the_chains_last_check(client, officer):
    from privacy.services import audit_chain_check

    client.login(username=officer.username, password=PASSWORD)
    with translation.override("nl"):
        not_yet = translation.gettext("The daily check of the audit log has not run yet.")
    assert not_yet in client.get(reverse("home")).content.decode()
    CaseFactory(active=True)
    seal_pending()
    check = audit_chain_check()

    body = client.get(reverse("home")).content.decode()

    assert check.ok and "status--active" in body and check.head_hash[:16] in body


def test_the_desk_costs_the_same_queries_for_a_quiet_and_a_busy_week(officer, django_assert_max_num_queries):
    case = CaseFactory(active=True)
    colleague = make_professional(case.team)
    with django_assert_max_num_queries(12):
        selectors.desk(officer)
    for other in [CaseFactory(resident=ResidentFactory(village=case.resident.village)) for _ in range(12)]:
        _read(colleague, other, _this_week_at(22))
    with django_assert_max_num_queries(12):
        selectors.desk(officer)


# --- the access log --------------------------------------------------------------------------


def test_the_log_is_in_words_and_searchable_by_resident_and_date_of_birth(client, officer):
    case = CaseFactory(with_volunteer=True)
    twin = CaseFactory(resident=ResidentFactory(village=case.resident.village, last_name=case.resident.last_name,
                                                first_name=case.resident.first_name,
                                                date_of_birth=datetime.date(1990, 1, 1)))  # fmt: skip
    _read(case.responsible, case, timezone.now())
    _read(case.volunteer, case, timezone.now(), view="volunteer_slice")
    _read(twin.responsible, twin, timezone.now())
    client.login(username=officer.username, password=PASSWORD)

    response = client.get(
        reverse("privacy:access_log"),
        {"resident": case.resident.last_name, "date_of_birth": case.resident.date_of_birth.isoformat()},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    body = response.content.decode()
    assert escape(case.responsible.display_name) in body and escape(case.volunteer.display_name) in body
    assert escape(twin.responsible.display_name) not in body.split("<tbody>")[1]
    developer_words = ("case_file", "volunteer_slice", "volunteer_staff", case.responsible.username, "casemembership")
    for developer_word in developer_words:
        assert developer_word not in body.split("<tbody>")[1], developer_word


def test_the_log_filters_by_person_role_period_and_action(client, officer):
    case = CaseFactory(with_volunteer=True)
    yesterday = timezone.now() - datetime.timedelta(days=1)
    mine = _read(case.responsible, case, yesterday)
    _read(case.volunteer, case, yesterday, view="volunteer_slice")
    _read(case.responsible, case, timezone.now() - datetime.timedelta(days=30))
    client.officer = officer
    day = timezone.localtime(yesterday).date().isoformat()

    by_person = _log_ids(client, f"?person={case.responsible.pk}&action=3&date_from={day}&date_to={day}")
    by_role = _log_ids(client, f"?role=professional&action=3&date_from={day}&date_to={day}")

    assert by_person == by_role == {mine.pk}
    changes = _log_ids(client, f"?person={case.responsible.pk}&action=0")
    assert changes and mine.pk not in changes


def test_reading_the_log_is_logged_and_its_csv_is_safe_in_a_spreadsheet(client, officer):
    case = CaseFactory(active=True)
    case.responsible.first_name = '=HYPERLINK("http://x")'
    case.responsible.save(update_fields=["first_name"])
    _read(case.responsible, case, timezone.now())
    client.login(username=officer.username, password=PASSWORD)

    response = client.get(reverse("privacy:access_log"), {"formaat": "csv", "action": 3})

    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) >= 2
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)
    searches = LogEntry.objects.filter(actor=officer, additional_data__view="access_log")
    assert searches.filter(additional_data__filters__formaat="csv").exists()


def test_the_log_page_costs_the_same_queries_for_few_and_many_entries(client, officer, django_assert_max_num_queries):
    case = CaseFactory(active=True)
    client.login(username=officer.username, password=PASSWORD)
    _read(case.responsible, case, timezone.now())
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("privacy:access_log"))
    for _ in range(30):
        CaseFactory(resident=ResidentFactory(village=case.resident.village))
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("privacy:access_log"))
