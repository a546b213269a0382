"""The input guard, request half: what no request may carry, checked once for every request
before any view reads it. (The form half is in ``base.forms``: ids are checked before a query.)

No person types a NUL byte or half of a UTF-16 surrogate pair, no link of ours carries a query
value of thousands of characters, and no form of ours has hundreds of rows: a request with any of
these is refused as a bad request (400) with a plain page, instead of reaching a view, a database
(PostgreSQL refuses NUL bytes in text with an error) or a formset that builds thousands of forms.
Django's own limits do the rest: ``DATA_UPLOAD_MAX_NUMBER_FIELDS`` (fields per request) and
``DATA_UPLOAD_MAX_MEMORY_SIZE`` (bytes per request body), both set in the settings.
"""

from __future__ import annotations

import re

from django.core.exceptions import BadRequest

MAX_QUERY_VALUE = 1_000  # characters in one query parameter (a search is cut at 100 anyway)
MAX_FORMSET_FORMS = 200  # rows one formset may claim (``…-TOTAL_FORMS``); the admin pages show fewer
FORBIDDEN = re.compile("[\x00\ud800-\udfff]")  # NUL, and lone surrogates


def refusal(request) -> str | None:
    """Why this request is refused, or None. Reads the query string, and the form body of a
    POST (Django parses it once and keeps it)."""
    for name, values in request.GET.lists():
        if _forbidden(name, values):
            return "control character in the query"
        if any(len(value) > MAX_QUERY_VALUE for value in values):
            return "query value too long"
    if request.method != "POST":
        return None
    for name, values in request.POST.lists():
        if _forbidden(name, values):
            return "control character in the form"
        if name.endswith(("-TOTAL_FORMS", "-INITIAL_FORMS")) and any(_too_many_forms(v) for v in values):
            return "too many forms"
    return None


def _forbidden(name: str, values: list[str]) -> bool:
    return any(FORBIDDEN.search(text) for text in (name, *values))


def _too_many_forms(value: str) -> bool:
    text = value.strip()
    return len(text) > 6 or (text.isdigit() and int(text) > MAX_FORMSET_FORMS)


class InputGuardMiddleware:
    """Refuse a hostile request with a 400 before any view (``templates/400.html``)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        reason = refusal(request)
        if reason is not None:
            raise BadRequest(reason)
        return self.get_response(request)
