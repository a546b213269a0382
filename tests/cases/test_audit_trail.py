"""Every change to a case file is audited with its actor; reads are access entries."""

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from cases import services
from cases.constants import AgreementKind, ConsentAnswer, JournalVisibility, Outcome
from cases.models import (
    Agreement,
    Case,
    CaseMembership,
    HomeVisit,
    JournalEntry,
    Resident,
    VolunteerConsent,
)
from tests.factories import PASSWORD, CaseFactory, ResidentFactory, make_volunteer

CASE_FILE_MODELS = (Resident, Case, CaseMembership, VolunteerConsent, JournalEntry, HomeVisit, Agreement)


def _entries():
    types = [ContentType.objects.get_for_model(model) for model in CASE_FILE_MODELS]
    return LogEntry.objects.filter(content_type__in=types)


def test_every_service_writes_audit_entries_with_its_actor():
    case = CaseFactory(consented=True, active=True)
    professional = case.responsible
    volunteer = make_volunteer(case.team)
    before = _entries().count()

    services.case_update(actor=professional, case=case, expected_version=case.version, urgency="high")
    services.journal_entry_add(actor=professional, case=case, text="Notitie", visibility=JournalVisibility.SHARED)
    proposal = services.volunteer_assign(actor=professional, case=case, volunteer=volunteer)
    services.proposal_accept(actor=volunteer, membership=proposal)
    services.home_visit_log(
        actor=volunteer, case=case, visited_on=case.opened_at.date(), duration_minutes=45, summary="Koffie"
    )
    services.agreement_add(
        actor=professional, case=case, kind=AgreementKind.ADMINISTRATION, description="Post ordenen", assignee=volunteer
    )
    services.consent_record(actor=professional, case=case, answer=ConsentAnswer.NO)
    services.case_close(actor=professional, case=Case.objects.get(pk=case.pk), outcome=Outcome.RESOLVED)

    written = _entries().order_by("pk")[before:]
    assert len(written) >= 7
    assert all(entry.actor_id is not None for entry in written)
    visit_entry = _entries().get(content_type__model="homevisit", action=LogEntry.Action.CREATE)
    assert visit_entry.actor == volunteer
    assert {entry.actor for entry in written} == {professional, volunteer}


def test_no_case_file_audit_entry_anywhere_lacks_an_actor():
    CaseFactory(with_volunteer=True, closed=True)

    assert _entries().exists()
    assert not _entries().filter(actor__isnull=True).exists()


def test_case_update_records_changed_fields():
    case = CaseFactory()

    services.case_update(actor=case.responsible, case=case, expected_version=case.version, urgency="crisis")

    entry = LogEntry.objects.get_for_object(case).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == case.responsible
    assert entry.changes_dict["urgency"] == ["normal", "crisis"]


def test_resident_create_is_audited_without_personal_data_in_repr():
    professional = CaseFactory().responsible
    village = ResidentFactory().village

    resident = services.resident_create(
        actor=professional, first_name="Geertruida", last_name="Zonneveld", village=village
    )

    entry = LogEntry.objects.get_for_object(resident).get(action=LogEntry.Action.CREATE)
    assert entry.actor == professional
    assert "Geertruida" not in entry.object_repr
    assert entry.object_repr == f"Resident #{resident.pk}"


def test_reading_the_case_file_writes_an_access_entry(client):
    case = CaseFactory(active=True)
    client.login(username=case.responsible.username, password=PASSWORD)

    client.get(reverse("cases:detail", args=[case.pk]))

    access = LogEntry.objects.get_for_object(case).filter(action=LogEntry.Action.ACCESS)
    assert access.count() == 1
    assert access.get().actor == case.responsible
    assert access.get().additional_data == {"view": "case_file", "roles": ["professional"]}


def test_reading_the_volunteer_slice_writes_an_access_entry(client):
    case = CaseFactory(with_volunteer=True)
    client.login(username=case.volunteer.username, password=PASSWORD)

    client.get(reverse("volunteers:my_case", args=[case.pk]))

    access = LogEntry.objects.get_for_object(case).get(action=LogEntry.Action.ACCESS)
    assert access.actor == case.volunteer
    assert access.additional_data == {"view": "volunteer_slice", "roles": ["volunteer_staff"]}


def test_a_refused_read_writes_no_access_entry(client):
    case = CaseFactory(active=True)
    volunteer = make_volunteer(case.team)
    client.login(username=volunteer.username, password=PASSWORD)

    response = client.get(reverse("volunteers:my_case", args=[case.pk]))

    assert response.status_code == 404
    assert not LogEntry.objects.get_for_object(case).filter(action=LogEntry.Action.ACCESS).exists()
