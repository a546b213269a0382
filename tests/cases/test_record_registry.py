"""The registry of case-file records (cases.records) is complete, and every declared personal-data
field is in the right-of-access export, gone after erasure and after the retention purge (audit
entries included), and never on a volunteer page unless allow-listed.

A new model that belongs to a resident's file fails here until it is declared; a declared record
fails here until the world below makes a row of it.
"""

import datetime
import json

import pytest
from auditlog.models import LogEntry
from django.apps import apps
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from accounts.services import system_actor
from base.audit import acting_as
from cases import services
from cases.constants import AgreementKind, ConsentAnswer, Outcome
from cases.models import Case, Resident
from cases.records import Erasure, registry
from cases.slice import CASE_FIELDS, RESIDENT_FIELDS
from privacy import services as privacy_services
from socialmap import services as map_services
from tests.factories import PASSWORD, CaseFactory, add_journal, make_privacy_officer, make_volunteer

MARKER_DATE = datetime.date(1931, 2, 17)


def _reaches_the_file(model, depth: int = 3) -> bool:
    if model in (Case, Resident):
        return True
    if depth == 0:
        return False
    relations = [f for f in model._meta.get_fields() if (f.many_to_one or f.one_to_one) and f.concrete]
    return any(_reaches_the_file(f.related_model, depth - 1) for f in relations if f.related_model is not model)


def test_every_model_with_a_path_to_a_case_or_resident_is_declared():
    candidates = {
        model
        for model in apps.get_models()
        if not model._meta.auto_created and _reaches_the_file(model) and model not in (Case, Resident)
    }
    candidates |= {Case, Resident}

    undeclared = {m._meta.label for m in candidates if m not in registry and m not in registry.not_records}

    assert undeclared == set(), "declare these in the registry (cases.records.register) or as not_a_record"


def test_records_on_a_case_name_the_case_in_their_audit_entries():
    """The case page's history and erasure find a record's audit entries through ``case_id``."""
    for record in registry:
        if record.case_path != "case":
            continue
        instance = record.model(case_id=123)

        assert instance.get_additional_data() == {"case_id": 123}, record.label


# --- a resident's whole file, every personal field marked ------------------------------------


def _marker(record, name: str) -> str:
    field = record.model._meta.get_field(name)
    label = f"{record.model._meta.model_name}-{name}"
    if isinstance(field, models.EmailField):
        return f"mark-{label}@example.org"
    if isinstance(field, models.DateField):
        return MARKER_DATE
    return f"MARK-{label}"[: field.max_length or 200]


def _shown(value) -> str:
    return value.isoformat() if isinstance(value, datetime.date) else value


BUILDERS = {}


def builds(label):
    def decorator(function):
        BUILDERS[label] = function
        return function

    return decorator


@builds("cases.resident")
@builds("cases.case")
@builds("cases.casemembership")
def _already_there(case, other_volunteer):
    """Made with the case itself."""


@builds("cases.volunteerconsent")
def _consent(case, other_volunteer):
    services.consent_record(actor=case.responsible, case=case, answer=ConsentAnswer.YES, note="x")


@builds("cases.journalentry")
def _journal(case, other_volunteer):
    add_journal(case, text="x", shared=False)


@builds("cases.homevisit")
def _visit(case, other_volunteer):
    services.home_visit_log(
        actor=case.responsible, case=case, visited_on=timezone.localdate(), duration_minutes=30, summary="x"
    )


@builds("cases.agreement")
def _agreement(case, other_volunteer):
    services.agreement_add(
        actor=case.responsible, case=case, kind=AgreementKind.CARE, description="x", assignee=case.responsible
    )


@builds("cases.caseinterest")
def _interest(case, other_volunteer):
    from cases.models import CaseInterest

    with acting_as(other_volunteer):
        CaseInterest.objects.create(case=case, volunteer=other_volunteer, answer="interested", note="x")


@builds("cases.meetingdecision")
def _decision(case, other_volunteer):
    meeting = services.meeting_start(actor=case.responsible, team=case.team)
    services.meeting_decide(
        actor=case.responsible, meeting=meeting, case=case, responsible=case.responsible, next_step="x"
    )


@builds("cases.alarm")
def _alarm(case, other_volunteer):
    services.alarm_raise(actor=other_volunteer, case=case, note="x")


@builds("cases.visitnote")
def _visit_note(case, other_volunteer):
    services.visit_note_send(
        actor=other_volunteer, case=case, visited_on=timezone.localdate(), duration_minutes=30, summary="x"
    )


@builds("socialmap.referral")
def _referral(case, other_volunteer):
    offer = map_services.offer_save(
        actor=case.responsible, villages=[case.resident.village], name="Koffieochtend", kind="activity"
    )
    referral = map_services.referral_make(actor=case.responsible, case=case, offer=offer)
    map_services.referral_outcome(actor=case.responsible, referral=referral, outcome="went", note="x")


@builds("privacy.datasubjectrequest")
def _request(case, other_volunteer):
    privacy_services.resident_object(actor=make_privacy_officer(), resident=case.resident, note="x")


@pytest.fixture
def marked_file():
    """One case of one resident with a row of every registered record, every personal field
    (that erasure does not keep) set to a unique marker by an audited save."""
    case = CaseFactory(with_volunteer=True)
    other_volunteer = make_volunteer(case.team)
    proposal = services.volunteer_assign(actor=case.responsible, case=case, volunteer=other_volunteer)
    services.proposal_accept(actor=other_volunteer, membership=proposal)
    missing = {record.label for record in registry} - set(BUILDERS)
    assert missing == set(), f"make a row of these records in this test's world: {missing}"
    for record in registry:
        BUILDERS[record.label](case, other_volunteer)
    markers: dict[str, object] = {}
    with acting_as(system_actor()):
        for record in registry:
            rows = list(record.of_residents([case.resident_id]))
            assert rows, f"no row of {record.label}"
            for row in rows:
                for name, erasure in record.personal.items():
                    if erasure is Erasure.KEEP:
                        continue
                    value = _marker(record, name)
                    setattr(row, name, value)
                    markers[f"{record.label}.{name}"] = value
                row.save()
    return case, markers, other_volunteer


def _audit_text() -> str:
    return json.dumps(
        [
            [entry.changes, entry.changes_text, entry.serialized_data, entry.object_repr, entry.additional_data]
            for entry in LogEntry.objects.all()
        ],
        default=str,
        ensure_ascii=False,
    )


def test_every_personal_field_of_every_record_is_in_the_right_of_access_export(marked_file):
    case, markers, _other = marked_file
    officer = make_privacy_officer()

    export = privacy_services.access_export(actor=officer, resident=case.resident)
    text = json.dumps(export.as_json(), ensure_ascii=False)

    missing = [name for name, value in markers.items() if str(_shown(value)) not in text]
    assert missing == []


def _expire(case: Case) -> None:
    case = services.case_close(actor=case.responsible, case=case, outcome=Outcome.RESOLVED)
    Case.objects.filter(pk=case.pk).update(retention_until=timezone.localdate() - datetime.timedelta(days=1))


def _erase_on_request(case: Case) -> None:
    result = privacy_services.resident_erase(actor=make_privacy_officer(), resident=case.resident)
    assert result.outcome == "done", result.note


def _purge(case: Case) -> None:
    assert privacy_services.retention_purge(actor=system_actor())


@pytest.mark.parametrize("erase", [_erase_on_request, _purge], ids=["erasure", "retention_purge"])
def test_every_personal_field_is_gone_after_erasure_audit_entries_included(marked_file, erase):
    case, markers, _other = marked_file
    _expire(case)
    before = _audit_text()
    unaudited = {f"{record.label}.{name}" for record in registry for name in record.audit_exclude}
    logged = [value for name, value in markers.items() if name not in unaudited]
    assert all(str(_shown(value)) in before for value in logged), "the world must put markers in the log"

    erase(case)

    for record in registry:
        for row in record.of_residents([case.resident_id]).values(*record.personal):
            for name, erasure in record.personal.items():
                if erasure is not Erasure.KEEP:
                    assert row[name] != markers[f"{record.label}.{name}"], f"{record.label}.{name} kept"
    after = _audit_text()
    left = [name for name, value in markers.items() if str(_shown(value)) in after]
    assert left == []


def _visible(value, page: str) -> bool:
    if isinstance(value, datetime.date):  # any way a page might write the date
        return str(value.year) in page
    return escape(str(value)) in page


def _volunteer_allowed() -> set[str]:
    """The fields a volunteer may see of records they did not make themselves (the allow-lists)."""
    allowed = {f"cases.resident.{path.removeprefix('resident__')}" for path in RESIDENT_FIELDS}
    allowed |= {f"cases.case.{path}" for path in CASE_FIELDS}
    for record in registry:
        allowed |= {f"{record.label}.{path}" for path in record.volunteer_fields}
    return allowed


VOLUNTEER_PAGES = [
    ("home", False),
    ("volunteers:my_cases", False),
    ("volunteers:my_case", True),
    ("volunteers:visit_new", True),
    ("volunteers:board", False),
    ("volunteers:alarm", False),
    ("volunteers:hours", False),
    ("socialmap:offers", False),
    ("socialmap:signals", False),
    ("my_calendar", False),
]


def test_no_personal_field_outside_the_allow_lists_reaches_a_volunteer_page(client, marked_file):
    case, markers, _other = marked_file
    client.login(username=case.volunteer.username, password=PASSWORD)
    forbidden = {name: value for name, value in markers.items() if name not in _volunteer_allowed()}
    assert "socialmap.referral.outcome_note" in forbidden and "cases.alarm.note" in forbidden

    pages = [client.get(reverse(name, args=[case.pk] if with_case else [])) for name, with_case in VOLUNTEER_PAGES]

    assert all(page.status_code == 200 for page in pages)
    shown = "".join(page.content.decode() for page in pages)
    assert escape(markers["cases.case.volunteer_summary"]) in shown  # the allow-listed slice is there
    leaked = [name for name, value in forbidden.items() if _visible(value, shown)]
    assert leaked == []
