"""The right-of-access document (issue [11], point 1): plain words, every registered record, in
Dutch and English, as a page, a PDF made from the same template, and JSON with documented keys."""

import base64
import datetime
import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from pypdf import PdfReader

from base.audit import log_access
from base.pdf import html_to_pdf
from cases import services as case_services
from cases.constants import IntakeChannel
from cases.records import registry
from privacy import document, services
from tests.factories import PASSWORD, CaseFactory, add_journal, make_privacy_officer


@pytest.fixture
def officer():
    return make_privacy_officer()


@pytest.fixture
def case():
    case = CaseFactory(with_volunteer=True, intake_channel=IntakeChannel.WALK_IN)
    add_journal(case, text="Wil graag meer mensen ontmoeten", shared=True)
    log_access(actor=case.responsible, instance=case, view="case_file")
    return case


def _nl(text) -> str:
    with translation.override("nl"):
        return str(text)


def _en(text) -> str:
    with translation.override("en"):
        return str(text)


def _pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def test_every_registered_record_says_what_it_is_why_we_hold_it_and_until_when():
    for record in registry:
        for text in (record.title, record.description, record.purpose, record.legal_basis, record.retention):
            assert _nl(text).strip() and _en(text).strip(), record.label
        assert _nl(record.title) != _en(record.title), f"{record.label}: the title is not translated"


def test_the_page_is_in_plain_dutch_with_names_and_local_dates(client, officer, case):
    client.login(username=officer.username, password=PASSWORD)

    html = client.post(reverse("privacy:export", args=[case.resident_id, "html"])).content.decode()

    for record in registry:
        assert escape(_nl(record.title)) in html, record.label
        assert escape(_nl(record.retention)) in html, record.label
    assert escape(case.team.name) in html and escape(case.volunteer.display_name) in html
    assert escape(case.responsible.display_name) in html
    assert escape(_nl(IntakeChannel.WALK_IN.label)) in html  # the channel in words
    assert "opende uw dossier" in html  # a read, in words addressed to the resident
    assert "Wie heeft uw dossier bekeken" in html and "Wie kreeg uw gegevens" in html
    with translation.override("nl"):
        assert date_format(timezone.localdate(), "j F Y") in html  # a local date, in words
    for raw in ("walk_in", "+00:00", "create caseinterest", "Case #", "Resident #", "volunteer_staff"):
        assert raw not in html, raw


def test_the_english_version_is_english(client, officer, case):
    client.login(username=officer.username, password=PASSWORD)

    html = client.post(reverse("privacy:export", args=[case.resident_id, "html"]), {"language": "en"}).content.decode()

    assert 'lang="en"' in html
    assert "Your requests for help" in html and "Who looked at your file" in html
    assert "opened your case file" in html
    assert "Uw hulpvragen" not in html


def test_the_pdf_holds_the_same_document(client, officer, case):
    client.login(username=officer.username, password=PASSWORD)

    response = client.post(reverse("privacy:export", args=[case.resident_id, "pdf"]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="inzage-')
    text = _pdf_text(response.content)
    assert case.resident.full_name in text
    for record in registry:
        assert _nl(record.title) in text, record.label
    assert "Wil graag meer mensen ontmoeten" in text
    assert "Wie heeft uw dossier bekeken" in text and case.responsible.display_name in text
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(io.BytesIO(response.content)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert fonts and all("DejaVu" in font for font in fonts), fonts


def test_the_pdf_fetches_nothing_not_even_a_local_file(tmp_path):
    image = tmp_path / "dot.png"
    image.write_bytes(
        base64.b64decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
        )
    )
    html = f'<html><body><p>Hallo</p><img src="file://{image}"><img src="http://example.invalid/x.png"></body></html>'

    content = html_to_pdf(html)

    page = PdfReader(io.BytesIO(content)).pages[0]
    assert "Hallo" in page.extract_text()
    assert not page["/Resources"].get("/XObject")  # no image was read


def test_the_json_has_the_documented_keys_and_values_for_machines(client, officer, case):
    client.login(username=officer.username, password=PASSWORD)

    data = json.loads(client.post(reverse("privacy:export", args=[case.resident_id, "json"])).content)

    assert set(data) == {"format", "language", "generated_at", "resident", "records", "recipients", "access_log"}
    assert data["format"] == document.FORMAT and data["language"] == "nl"
    assert datetime.datetime.fromisoformat(data["generated_at"]).utcoffset() is not None
    assert set(data["records"]) == {record.key for record in registry} - {"resident"}
    assert data["resident"]["village"] == case.resident.village.name
    [request] = data["records"]["case"]
    assert request["case"] == case.reference and request["team"] == case.team.name
    assert datetime.datetime.fromisoformat(request["opened_at"]).utcoffset() is not None
    [recipient] = data["recipients"]
    assert recipient["name"] == case.volunteer.display_name and recipient["case"] == case.reference
    assert {"when", "who", "role", "what"} <= set(data["access_log"][0])
    assert "id" not in request and "resident" not in request


def test_a_lookup_by_another_team_is_in_who_looked(officer, case):
    other = CaseFactory()
    log_access(actor=other.responsible, instance=case.resident, view="existence_lookup")

    doc = services.access_export(actor=officer, resident=case.resident)

    [look] = [look for look in doc.looks if look.who == other.responsible.display_name]
    assert "team" in look.what


def test_the_document_costs_the_same_queries_for_a_thin_and_a_thick_file(officer):
    def queries(entries: int) -> int:
        case = CaseFactory(with_volunteer=True)
        for number in range(entries):
            add_journal(case, text=f"Notitie {number}", shared=False)
            case_services.home_visit_log(
                actor=case.volunteer,
                case=case,
                visited_on=timezone.localdate(),
                duration_minutes=30,
                summary="Koffie",
                activities=["conversation"],
            )
        with CaptureQueriesContext(connection) as captured:
            document.build(case.resident)
        return len(captured)

    assert queries(1) == queries(6)


def test_an_erased_resident_still_gets_an_answer(officer, case):
    services.anonymise_resident(case.resident)
    case.resident.refresh_from_db()

    doc = services.access_export(actor=officer, resident=case.resident)

    assert doc.resident_name and any(fact.text == "[gewist]" for fact in doc.details)
