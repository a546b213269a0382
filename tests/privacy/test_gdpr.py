"""GDPR (AVG): access log, right of access, restriction, objection, erasure, retention."""

import datetime
import json

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape

from accounts.roles import Role
from cases import services as case_services
from cases.constants import Outcome
from cases.models import Case, JournalEntry, LifeDomain, Resident, RetentionRule
from cases.permissions import CaseAction, can
from privacy import services
from privacy.events import READS
from privacy.models import DataSubjectRequest
from tests.factories import PASSWORD, CaseFactory, add_journal, make_privacy_officer


@pytest.fixture
def officer():
    return make_privacy_officer()


def _rules(municipality):
    RetentionRule.objects.create(
        municipality=municipality, legal_basis="Wmo", years=15, domain=LifeDomain.objects.get(code="health")
    )
    RetentionRule.objects.create(municipality=municipality, legal_basis="Voorliggend veld", years=2, is_default=True)


def test_closing_sets_the_retention_end_from_the_rules():
    case = CaseFactory(active=True)
    _rules(case.team.municipality)

    closed = case_services.case_close(actor=case.responsible, case=case, outcome=Outcome.RESOLVED)

    assert closed.retention_until == timezone.localdate().replace(year=timezone.localdate().year + 2)
    case_services.case_reopen(actor=case.responsible, case=closed)
    assert Case.objects.get(pk=case.pk).retention_until is None


def test_the_longest_domain_rule_wins():
    case = CaseFactory(active=True)
    _rules(case.team.municipality)
    case.domains.add(LifeDomain.objects.get(code="health"))

    closed = case_services.case_close(actor=case.responsible, case=case, outcome=Outcome.RESOLVED)

    assert closed.retention_until.year == timezone.localdate().year + 15


def test_access_log_is_searchable_read_only_and_its_reading_is_logged(client, officer):
    case = CaseFactory(active=True)
    reader = client.__class__()
    reader.login(username=case.responsible.username, password=PASSWORD)
    reader.get(reverse("cases:detail", args=[case.pk]))
    client.login(username=officer.username, password=PASSWORD)

    response = client.get(reverse("privacy:access_log"), {"case_id": case.pk, "action": 3})

    body = response.content.decode()
    with translation.override("nl"):
        role, what = str(Role.PROFESSIONAL.label), str(READS["case_file"])
    assert escape(case.responsible.display_name) in body and role in body and what in body
    assert LogEntry.objects.filter(actor=officer, additional_data__view="access_log").exists()
    assert client.post(reverse("privacy:access_log")).status_code in (200, 405)
    assert not LogEntry.objects.filter(action=LogEntry.Action.DELETE).exists()


def test_access_log_rejects_malformed_filters_without_an_error(client, officer):
    client.login(username=officer.username, password=PASSWORD)

    response = client.get(
        reverse("privacy:access_log"), {"case_id": "x' OR 1=1", "date_from": "yesterday", "action": "9"}
    )

    assert response.status_code == 200


def test_right_of_access_export_holds_everything_and_is_logged(client, officer):
    case = CaseFactory(with_volunteer=True)
    add_journal(case, text="Notitie over de inwoner", shared=False)
    client.login(username=officer.username, password=PASSWORD)

    html = client.post(reverse("privacy:export", args=[case.resident_id, "html"])).content.decode()
    data = json.loads(client.post(reverse("privacy:export", args=[case.resident_id, "json"])).content)

    assert escape(case.resident.last_name) in html and "Notitie over de inwoner" in html
    assert data["resident"]["last_name"] == case.resident.last_name
    assert data["records"]["journalentry"][0]["text"] == "Notitie over de inwoner"
    assert data["records"]["journalentry"][0]["case"] == case.reference
    assert data["records"]["volunteerconsent"] and data["access_log"]
    assert DataSubjectRequest.objects.filter(kind="access").count() == 2
    assert LogEntry.objects.filter(action=LogEntry.Action.ACCESS, additional_data__view="gdpr_export").count() == 2


def test_restriction_makes_the_file_read_only_and_hides_it_from_volunteers(officer):
    case = CaseFactory(with_volunteer=True)

    services.resident_restrict(actor=officer, resident=case.resident, reason="Bezwaar tegen verwerking")

    assert can(case.responsible, CaseAction.VIEW_FILE, case)
    assert not can(case.responsible, CaseAction.CHANGE_FILE, case)
    assert not can(case.responsible, CaseAction.CLOSE, case)
    assert not can(case.volunteer.__class__.objects.get(pk=case.volunteer.pk), CaseAction.VIEW_SLICE, case)
    with pytest.raises(PermissionDenied):
        case_services.journal_entry_add(actor=case.responsible, case=case, text="x")
    services.resident_restrict(actor=officer, resident=case.resident, reason="Opgeheven", restricted=False)
    assert can(case.responsible, CaseAction.CHANGE_FILE, case)


def test_objection_is_recorded(officer):
    case = CaseFactory()

    services.resident_object(actor=officer, resident=case.resident, note="Wil geen vrijwillig medewerker")

    resident = Resident.objects.get(pk=case.resident_id)
    assert resident.objection_at is not None
    assert DataSubjectRequest.objects.get(kind="objection").handled_by == officer


def test_erasure_is_refused_while_a_retention_period_applies(officer):
    case = CaseFactory(active=True)
    _rules(case.team.municipality)
    case_services.case_close(actor=case.responsible, case=case, outcome=Outcome.RESOLVED)

    request = services.resident_erase(actor=officer, resident=case.resident)

    assert request.outcome == "refused"
    assert "bewaard" in request.note or "kept" in request.note
    assert Resident.objects.get(pk=case.resident_id).erased_at is None


def test_erasure_anonymises_the_resident_their_cases_and_the_audit_entries(officer):
    case = CaseFactory(active=True, resident__first_name="Wilhelmina", resident__last_name="Zeldzaamnaam")
    add_journal(case, text="Geheime notitie", shared=False)
    case = case_services.case_close(actor=case.responsible, case=case, outcome=Outcome.RESOLVED)
    Case.objects.filter(pk=case.pk).update(retention_until=timezone.localdate() - datetime.timedelta(days=1))

    request = services.resident_erase(actor=officer, resident=case.resident)

    assert request.outcome == "done"
    resident = Resident.objects.get(pk=case.resident_id)
    assert resident.erased_at is not None and resident.date_of_birth is None
    assert JournalEntry.objects.get(case=case).text == services.ERASED
    leftovers = [
        entry
        for entry in LogEntry.objects.all()
        if "Zeldzaamnaam" in json.dumps(entry.changes) + (entry.changes_text or "") + entry.object_repr
        or "Geheime notitie" in json.dumps(entry.changes)
    ]
    assert leftovers == []


def test_purge_expired_is_a_dry_run_by_default_and_anonymises_with_apply():
    case = CaseFactory(active=True)
    case = case_services.case_close(actor=case.responsible, case=case, outcome=Outcome.RESOLVED)
    Case.objects.filter(pk=case.pk).update(retention_until=timezone.localdate() - datetime.timedelta(days=1))
    text_before = Case.objects.get(pk=case.pk).request_for_help

    call_command("purge_expired")
    assert Case.objects.get(pk=case.pk).request_for_help == text_before
    call_command("purge_expired", "--apply")

    assert Case.objects.get(pk=case.pk).request_for_help == services.ERASED
    assert DataSubjectRequest.objects.filter(note__contains="purge_expired").exists()


def test_gdpr_actions_are_for_the_privacy_officer_only():
    case = CaseFactory()

    with pytest.raises(PermissionDenied):
        services.resident_erase(actor=case.responsible, resident=case.resident)
    with pytest.raises(PermissionDenied):
        services.access_export(actor=case.responsible, resident=case.resident)


def test_access_log_page_has_a_fixed_number_of_queries(client, officer, django_assert_max_num_queries):
    client.login(username=officer.username, password=PASSWORD)
    CaseFactory(active=True)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("privacy:access_log"))
    for _ in range(5):
        CaseFactory(with_volunteer=True)

    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("privacy:access_log"))


# --- defects found in review (issue [9]) -----------------------------------------------------


def test_a_privacy_officer_handles_only_their_own_municipalitys_residents(client):
    from tests.factories import MunicipalityFactory

    case = CaseFactory(active=True)
    stranger = make_privacy_officer(municipality=MunicipalityFactory(name="Lingewaard"))
    client.login(username=stranger.username, password=PASSWORD)

    found = client.get(reverse("privacy:residents"), {"q": case.resident.last_name}).content.decode()
    pages = [
        client.get(reverse("privacy:resident", args=[case.resident_id])),
        client.post(reverse("privacy:export", args=[case.resident_id, "json"])),
        client.post(reverse("privacy:act", args=[case.resident_id, "restrict"]), {"note": "x"}),
    ]

    assert reverse("privacy:resident", args=[case.resident_id]) not in found
    assert [page.status_code for page in pages] == [404, 404, 404]
    assert Resident.objects.get(pk=case.resident_id).restricted_at is None


def test_referral_alarm_and_board_notes_are_in_the_export_and_gone_after_erasure(client, officer):
    from cases.models import CaseInterest
    from socialmap import services as map_services

    case = CaseFactory(with_volunteer=True)
    offer = map_services.offer_save(
        actor=case.responsible, villages=[case.resident.village], name="Eetcafe", kind="activity"
    )
    referral = map_services.referral_make(actor=case.responsible, case=case, offer=offer)
    map_services.referral_outcome(actor=case.responsible, referral=referral, outcome="went", note="REFERRAL-NOTE")
    case_services.alarm_raise(actor=case.volunteer, case=case, note="ALARM-NOTE")
    CaseInterest.objects.create(case=case, volunteer=case.volunteer, answer="interested", note="INTEREST-NOTE")
    client.login(username=officer.username, password=PASSWORD)

    exported = client.post(reverse("privacy:export", args=[case.resident_id, "json"])).content.decode()
    case_services.case_close(actor=case.responsible, case=case, outcome=Outcome.RESOLVED)
    Case.objects.filter(pk=case.pk).update(retention_until=timezone.localdate() - datetime.timedelta(days=1))
    client.post(reverse("privacy:act", args=[case.resident_id, "erase"]), {"note": "verzoek"})

    for note in ("REFERRAL-NOTE", "ALARM-NOTE", "INTEREST-NOTE"):
        assert note in exported
    assert not LogEntry.objects.filter(changes_text__contains="REFERRAL-NOTE").exists()
    referral.refresh_from_db()
    assert referral.outcome_note == ""


def test_the_access_log_shows_the_reads_of_the_officers_own_municipality_only(client, officer):
    from tests.factories import MunicipalityFactory

    case = CaseFactory(active=True)
    client.login(username=case.responsible.username, password=PASSWORD)
    client.get(reverse("cases:detail", args=[case.pk]))  # writes an access entry by Overbetuwe staff
    stranger = make_privacy_officer(municipality=MunicipalityFactory(name="Lingewaard"))

    client.login(username=stranger.username, password=PASSWORD)
    theirs = client.get(reverse("privacy:access_log"), {"case_id": case.pk}).content.decode()
    client.login(username=officer.username, password=PASSWORD)
    ours = client.get(reverse("privacy:access_log"), {"case_id": case.pk}).content.decode()

    assert escape(case.responsible.display_name) in ours
    assert escape(case.responsible.display_name) not in theirs
