"""Every CSV download goes through one writer (base.exports), which guards each text cell
against spreadsheet formulas (CSV injection): the reports, the allowance statements and the
access log. The pages' own tests send a formula through each."""

import csv
import io
from pathlib import Path

import pytest

from base.exports import csv_response, safe_cell

ROOT = Path(__file__).resolve().parent.parent
APPS = ("accounts", "base", "cases", "volunteers", "socialmap", "privacy", "reports", "wijkteam", "perf")


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+31 6 1234", "'+31 6 1234"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Jansen", "Jansen"),
        ("", ""),
        (None, ""),
        (-3, -3),
        (2.5, 2.5),
    ],
)
def test_a_cell_is_never_a_formula(value, shown):
    assert safe_cell(value) == shown


def test_the_download_opens_in_a_dutch_spreadsheet():
    response = csv_response("x.csv", ["Naam", "Bedrag"], [["=1+1", 3], ["Zoë", 4]])

    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")  # Excel reads UTF-8 only with the mark
    assert list(csv.reader(io.StringIO(text[1:]), delimiter=";")) == [["Naam", "Bedrag"], ["'=1+1", "3"], ["Zoë", "4"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_no_page_writes_csv_by_hand():
    hand_written = [
        str(path.relative_to(ROOT))
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "csv.writer(" in path.read_text() and path != ROOT / "base" / "exports.py"
    ]
    assert hand_written == []
