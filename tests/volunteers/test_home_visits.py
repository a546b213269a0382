"""Logging a home visit from a phone (R9): only on assigned cases, idempotent, correctable by
its author for a limited time, audited."""

import datetime
import uuid

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import HomeVisit
from tests.factories import PASSWORD, CaseFactory, make_volunteer


def _visit_data(**extra) -> dict:
    return {
        "visited_on": timezone.localdate().isoformat(),
        "start_time": "10:00",
        "duration_minutes": "60",
        "company": "alone",
        "activities": ["conversation", "administration"],
        "summary": "Post doorgenomen",
        "note_for_responsible": "",
        "follow_up_on": "",
        "submission_key": str(uuid.uuid4()),
        **extra,
    }


def test_volunteer_logs_a_visit(client, assigned):
    response = client.post(reverse("volunteers:visit_new", args=[assigned.pk]), _visit_data())

    visit = HomeVisit.objects.get()
    assert response.status_code == 302
    assert visit.visitor == assigned.volunteer
    assert visit.activities == ["conversation", "administration"]
    entry = LogEntry.objects.get_for_object(visit).get()
    assert entry.actor == assigned.volunteer


def test_double_tap_and_retry_record_one_visit(client, assigned):
    data = _visit_data()

    client.post(reverse("volunteers:visit_new", args=[assigned.pk]), data)
    client.post(reverse("volunteers:visit_new", args=[assigned.pk]), data)

    assert HomeVisit.objects.count() == 1


def test_errors_keep_what_was_typed(client, assigned):
    response = client.post(
        reverse("volunteers:visit_new", args=[assigned.pk]),
        _visit_data(duration_minutes="", summary="Mijn verslag van vandaag"),
    )

    assert response.status_code == 200
    assert "Mijn verslag van vandaag" in response.content.decode()
    assert not HomeVisit.objects.exists()


def test_future_visit_is_refused_with_a_message(client, assigned):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = client.post(reverse("volunteers:visit_new", args=[assigned.pk]), _visit_data(visited_on=tomorrow))

    assert response.status_code == 200
    assert not HomeVisit.objects.exists()


def test_no_visit_on_a_case_the_volunteer_is_not_assigned_to(client):
    case = CaseFactory(with_volunteer=True)
    other = make_volunteer(case.team)
    client.login(username=other.username, password=PASSWORD)

    assert client.get(reverse("volunteers:visit_new", args=[case.pk])).status_code == 404
    assert client.post(reverse("volunteers:visit_new", args=[case.pk]), _visit_data()).status_code == 404
    with pytest.raises(PermissionDenied):
        services.home_visit_log(actor=other, case=case, visited_on=timezone.localdate(), duration_minutes=30)


def test_author_corrects_within_the_window_and_it_is_audited(client, assigned):
    visit = services.home_visit_log(
        actor=assigned.volunteer, case=assigned, visited_on=timezone.localdate(), duration_minutes=30, summary="Kort"
    )

    client.post(
        reverse("volunteers:visit_edit", args=[assigned.pk, visit.pk]),
        _visit_data(duration_minutes="45", summary="Langer", version=visit.version),
    )

    visit.refresh_from_db()
    assert visit.duration_minutes == 45
    update = LogEntry.objects.get_for_object(visit).get(action=LogEntry.Action.UPDATE)
    assert update.actor == assigned.volunteer
    assert [str(v) for v in update.changes_dict["duration_minutes"]] == ["30", "45"]


def test_no_correction_after_the_window():
    case = CaseFactory(with_volunteer=True)
    visit = services.home_visit_log(
        actor=case.volunteer, case=case, visited_on=timezone.localdate(), duration_minutes=30
    )
    HomeVisit.objects.filter(pk=visit.pk).update(created_at=timezone.now() - datetime.timedelta(days=4))
    visit.refresh_from_db()

    with pytest.raises(ValidationError):
        services.home_visit_correct(
            actor=case.volunteer, visit=visit, expected_version=visit.version, duration_minutes=90
        )


def test_nobody_else_corrects_a_visit():
    case = CaseFactory(with_volunteer=True)
    visit = services.home_visit_log(
        actor=case.volunteer, case=case, visited_on=timezone.localdate(), duration_minutes=30
    )

    with pytest.raises(PermissionDenied):
        services.home_visit_correct(
            actor=case.responsible, visit=visit, expected_version=visit.version, duration_minutes=90
        )


def test_visit_page_is_404_after_consent_withdrawal(client, assigned):
    services.consent_withdraw(actor=assigned.responsible, case=assigned)

    assert client.get(reverse("volunteers:visit_new", args=[assigned.pk])).status_code == 404


@pytest.mark.parametrize("days_ago", [-1, 61])
def test_the_service_refuses_a_visit_date_outside_the_window(days_ago):
    """The date window is the service's rule, not only the form's (issue [9])."""
    case = CaseFactory(with_volunteer=True)

    with pytest.raises(ValidationError):
        services.home_visit_log(
            actor=case.volunteer,
            case=case,
            visited_on=datetime.date.today() - datetime.timedelta(days=days_ago),
            duration_minutes=30,
        )

    assert not case.home_visits.exists()


def test_the_follow_up_appointment_shows_on_the_slice_page_and_in_the_case_file(client, assigned):
    """Bug (issue [12]): the follow-up appointment was saved but shown nowhere. The volunteer
    sees it on their case page (slice allow-list: "know the next appointment"), the
    professionals in the case file's visits, both as a Dutch date and time."""
    follow_up = timezone.make_aware(datetime.datetime(2026, 12, 7, 14, 30))  # a Monday
    client.post(
        reverse("volunteers:visit_new", args=[assigned.pk]),
        _visit_data(follow_up_on=follow_up.strftime("%Y-%m-%dT%H:%M")),
    )

    slice_page = client.get(reverse("volunteers:my_case", args=[assigned.pk])).content.decode()
    client.login(username=assigned.responsible.username, password=PASSWORD)
    case_file = client.get(reverse("cases:detail", args=[assigned.pk])).content.decode()

    assert HomeVisit.objects.get().follow_up_on == follow_up
    # The weekday's case comes from the catalogue (locale/nl has "Monday" -> "Maandag").
    assert "maandag 7 december 14:30" in slice_page.lower()
    assert "maandag 7 december 14:30" in case_file.lower()
