"""The volunteer's case page (the slice) costs a fixed number of statements, however much the
case holds (docs/performance.md): counted as in production, with its access entry written
and sealed in the page's one transaction."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import selectors
from cases.constants import AgreementKind, JournalVisibility
from cases.models import Agreement, HomeVisit, JournalEntry
from tests.factories import PASSWORD, CaseFactory


def _thicken(case) -> None:
    for day in range(6):
        HomeVisit.objects.create(
            case=case,
            visitor=case.volunteer,
            visited_on=datetime.date.today() - datetime.timedelta(days=day),
            duration_minutes=30,
        )
        JournalEntry.objects.create(
            case=case, author=case.responsible, text=f"Gedeeld {day}", visibility=JournalVisibility.SHARED
        )


@pytest.mark.django_db(transaction=True)
def test_the_slice_page_costs_at_most_12_statements_thin_or_thick(
    reference_data, client, django_assert_max_num_queries
):
    case = CaseFactory(with_volunteer=True)
    client.login(username=case.volunteer.username, password=PASSWORD)
    url = reverse("volunteers:my_case", args=[case.pk])
    client.get(url)  # the session's first request reads more; the process caches content types

    with django_assert_max_num_queries(12) as first:
        assert client.get(url).status_code == 200
    _thicken(case)
    with django_assert_max_num_queries(12) as second:
        assert client.get(url).status_code == 200

    assert len(first.captured_queries) == len(second.captured_queries)


@pytest.mark.both_databases
def test_the_slice_lists_come_with_the_case_typed_and_in_order():
    """The journal, the volunteer's own agreements and visits come as JSON with the case row:
    each value as the model gives it (dates, aware times) and in the model's order, on
    PostgreSQL and on SQLite; another volunteer's records and unshared entries stay out."""
    case = CaseFactory(with_volunteer=True)
    _thicken(case)
    JournalEntry.objects.create(
        case=case, author=case.responsible, text="Intern", visibility=JournalVisibility.PROFESSIONALS
    )
    today = datetime.date.today()
    for due in (today + datetime.timedelta(days=3), None, today + datetime.timedelta(days=1)):
        Agreement.objects.create(
            case=case,
            kind=AgreementKind.ADMINISTRATION,
            description=f"Taak {due}",
            assignee=case.volunteer,
            due_on=due,
            created_by=case.responsible,
        )
    Agreement.objects.create(
        case=case,
        kind=AgreementKind.ADMINISTRATION,
        description="Van een ander",
        assignee=case.responsible,
        created_by=case.responsible,
    )

    found = selectors.volunteer_case(user=case.volunteer, case_id=case.pk)

    shared = JournalEntry.objects.filter(case=case, visibility=JournalVisibility.SHARED)  # newest first
    assert [entry.text for entry in found.journal] == [entry.text for entry in shared]
    assert [entry.created_at for entry in found.journal] == [entry.created_at for entry in shared]
    assert all(timezone.is_aware(entry.created_at) for entry in found.journal)
    assert {entry.author_name for entry in found.journal} == {case.responsible.display_name}
    mine = sorted(  # by due date, undated last (as PostgreSQL orders them; SQLite puts nulls first)
        Agreement.objects.filter(case=case, assignee=case.volunteer),
        key=lambda agreement: (agreement.due_on is None, agreement.due_on or today, agreement.pk),
    )
    assert [agreement.id for agreement in found.my_agreements] == [agreement.pk for agreement in mine]
    assert [agreement.due_on for agreement in found.my_agreements] == [agreement.due_on for agreement in mine]
    visits = HomeVisit.objects.filter(case=case)  # newest visit first
    assert [visit.id for visit in found.my_visits] == [visit.pk for visit in visits]
    assert [visit.visited_on for visit in found.my_visits] == [visit.visited_on for visit in visits]
    assert [visit.created_at for visit in found.my_visits] == [visit.created_at for visit in visits]
    assert all(visit.correctable for visit in found.my_visits)
    assert found.domains and found.responsible_name == case.responsible.display_name
