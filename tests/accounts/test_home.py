"""The home page per role, in a fixed number of queries."""

from django.urls import reverse
from django.utils.html import escape

from tests.factories import PASSWORD, CaseFactory, ResidentFactory, make_coordinator, make_volunteer


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


def test_professional_sees_their_team_cases_only(client):
    case = CaseFactory(active=True)
    CaseFactory(resident=ResidentFactory(last_name="Anderteam"))
    _login(client, case.responsible)

    body = client.get(reverse("home")).content.decode()

    assert escape(case.resident.last_name) in body
    assert "Anderteam" not in body


def test_volunteer_sees_their_slices(client):
    case = CaseFactory(with_volunteer=True)
    _login(client, case.volunteer)

    body = client.get(reverse("home")).content.decode()

    assert escape(case.resident.first_name) in body
    assert reverse("volunteers:my_case", args=[case.pk]) in body


def test_coordinator_sees_their_volunteer_staff_and_no_cases(client):
    case = CaseFactory(with_volunteer=True)
    coordinator = make_coordinator(case.team)
    _login(client, coordinator)

    body = client.get(reverse("home")).content.decode()

    assert escape(case.volunteer.last_name) in body
    assert case.resident.last_name not in body


def test_home_query_count_does_not_grow_with_cases(client, django_assert_max_num_queries):
    first = CaseFactory(active=True)
    _login(client, first.responsible)
    client.get(reverse("home"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("home"))
    for _ in range(8):
        CaseFactory(
            resident=ResidentFactory(village=first.resident.village), responsible=first.responsible, active=True
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("home"))

    assert response.content.decode().count("/casussen/") >= 9


def test_volunteer_pages_query_count_does_not_grow_with_cases(client, django_assert_max_num_queries):
    first = CaseFactory(with_volunteer=True)
    _login(client, first.volunteer)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("volunteers:my_cases"))
    for _ in range(6):
        CaseFactory(
            resident=ResidentFactory(village=first.resident.village),
            responsible=first.responsible,
            with_volunteer=True,
            volunteer=first.volunteer,
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("volunteers:my_cases"))


def test_volunteer_without_cases_gets_a_clear_message(client):
    volunteer = make_volunteer(CaseFactory().team)
    _login(client, volunteer)

    body = client.get(reverse("volunteers:my_cases")).content.decode()

    assert "You are not assigned" in body or "Je bent" in body


def test_a_volunteer_sees_on_home_that_the_team_asks_them_without_who(client):
    """A proposal waits on "Mijn casussen", where the name is read and logged; the home page
    says only that the team asks, and links there."""
    from auditlog.models import LogEntry

    case = CaseFactory(with_proposal=True)
    volunteer = case.volunteer_membership.user
    _login(client, volunteer)
    reads_before = LogEntry.objects.filter(additional_data__view="volunteer_proposal").count()

    body = client.get(reverse("home")).content.decode()

    assert reverse("volunteers:my_cases") + "#proposals-h" in body
    assert escape(case.resident.last_name) not in body and escape(case.resident.street) not in body
    assert LogEntry.objects.filter(additional_data__view="volunteer_proposal").count() == reads_before
