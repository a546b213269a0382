"""Spreadsheet exports: one way to write a CSV file, safe to open in Excel or LibreOffice.

Semicolon-separated (what a Dutch spreadsheet expects), UTF-8 with a byte-order mark (so
Excel reads "ë" as "ë"), and every text cell guarded against formula injection: a value that a
spreadsheet would run as a formula (starting with ``= + - @``, a tab or a carriage return)
gets a leading apostrophe, so it shows as the text it is (OWASP, "CSV injection")."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> object:
    """A text value as a spreadsheet shows it but never runs it; numbers and empties as they are."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_response(filename: str, header: Iterable, rows: Iterable[Iterable]) -> HttpResponse:
    """A CSV download of ``rows`` under ``header``, every cell through :func:`safe_cell`."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([safe_cell(cell) for cell in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return response
