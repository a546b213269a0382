"""What every JSON API here shares (the NL API Design Rules): paths under ``/api/v1/``, the
``API-Version`` header on every answer, errors as ``application/problem+json`` (RFC 9457) —
from a view (the DRF exception handler) and from anywhere else (a 404 of an unknown path, the
input guard's 400, a crash) — a JSON parser with a size limit, and a rate limit per API client.

An API request never reads a session: :class:`ApiMiddleware` drops the session cookie before
the session middleware sees it, so a browser that is logged in (or half-way through its login,
before the second step) is just as anonymous to the API as anyone without a token, and the
second-step redirect (``wijkteam.middleware.MFARequiredMiddleware``), which acts on logged-in
session users only, never touches an API request. The API takes no session and no CSRF token:
it authenticates by token only (``accounts.api_clients``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http import HTTPStatus
from typing import Any

import structlog
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status, throttling
from rest_framework.response import Response

API_PREFIX = "/api/"
API_VERSION = "1.0.0"  # the full version of /api/v1/: the API-Version header and the OpenAPI document
PROBLEM_JSON = "application/problem+json"
MAX_BODY_BYTES = 64 * 1024  # one request for help is a few kilobytes

# Problem types beyond the HTTP status (RFC 9457 "type"); everything else is "about:blank",
# whose title is the status's meaning.
INVALID_PARAMS = "urn:wijkteam:problem:invalid-params"
KEY_REUSED = "urn:wijkteam:problem:idempotency-key-reused"

TITLES = {
    400: _("The request is not valid."),
    401: _("Authentication is required: send a valid API token."),
    403: _("This API client may not do this."),
    404: _("Not found."),
    405: _("This method is not allowed here."),
    406: _("This API answers in JSON only."),
    413: _("The request is too large."),
    415: _("Send the request as JSON (Content-Type: application/json)."),
    422: _("This idempotency key was used for a different request."),
    429: _("Too many requests: try again later."),
    500: _("Something went wrong on our side."),
}

logger = structlog.get_logger("wijkteam.api")


def problem(
    status_code: int,
    *,
    instance: str,
    detail: str = "",
    type_: str = "about:blank",
    title: str | None = None,
    invalid_params: list[dict] | None = None,
) -> dict[str, Any]:
    """The body of a problem answer (RFC 9457)."""
    body: dict[str, Any] = {
        "type": type_,
        "title": str(title or TITLES.get(status_code) or _status_phrase(status_code)),
        "status": status_code,
        "detail": detail or str(title or TITLES.get(status_code) or _status_phrase(status_code)),
        "instance": instance,
    }
    if invalid_params is not None:
        body["invalid-params"] = invalid_params
    return body


def _status_phrase(status_code: int) -> str:
    try:
        return HTTPStatus(status_code).phrase
    except ValueError:
        return "Error"


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request is too large.")
    default_code = "too_large"


class IdempotencyKeyReused(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = _(
        "This Idempotency-Key was used before for a request with other values; use a new key for a new request."
    )
    default_code = "idempotency_key_reused"


def invalid_params(detail: Any, name: str = "") -> Iterator[dict[str, str]]:
    """DRF's validation errors as RFC 9457 ``invalid-params``: name (the dotted path of the
    field, ``values.firstName``), code and reason."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            key = str(key)[:100]  # an unknown field's name is echoed: never a long one
            if key == "non_field_errors":
                yield from invalid_params(value, name or "body")
            else:
                yield from invalid_params(value, f"{name}.{key}" if name else key)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, dict | list):
                yield from invalid_params(item, f"{name}.{index}")
            else:
                yield from invalid_params(item, name)
    else:
        yield {"name": name or "body", "code": str(getattr(detail, "code", "invalid")), "reason": str(detail)}


def exception_handler(exc: Exception, context: dict) -> Response:
    """DRF's ``EXCEPTION_HANDLER``: every error of an API view as problem+json, a crash too
    (logged as its type and places only, base/logs.py; the answer says nothing about it)."""
    # DRF's views module reads the settings, which name this module's parser: imported here.
    from rest_framework.views import exception_handler as drf_exception_handler
    from rest_framework.views import set_rollback

    request = context.get("request")
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.error("api_error", exc_info=(type(exc), exc, exc.__traceback__))
        set_rollback()
        response = Response(status=status.HTTP_500_INTERNAL_SERVER_ERROR)
    instance = request.path if request is not None else ""
    if isinstance(exc, exceptions.ValidationError):
        response.data = problem(
            response.status_code,
            instance=instance,
            type_=INVALID_PARAMS,
            detail=str(_("One or more values are not valid; see invalid-params.")),
            invalid_params=list(invalid_params(exc.detail)),
        )
    elif isinstance(exc, IdempotencyKeyReused):
        response.data = problem(response.status_code, instance=instance, type_=KEY_REUSED, detail=str(exc.detail))
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) and isinstance(exc.detail, str) else ""
        response.data = problem(response.status_code, instance=instance, detail=str(detail))
    response.content_type = PROBLEM_JSON
    return response


def problem_response(status_code: int, instance: str) -> HttpResponse:
    """A problem answer outside DRF (for :class:`ApiMiddleware`)."""
    return HttpResponse(
        json.dumps(problem(status_code, instance=instance), ensure_ascii=False),
        status=status_code,
        content_type=PROBLEM_JSON,
    )


class ApiMiddleware:
    """For paths under ``/api/``: no session (the cookie is dropped before the session
    middleware), the ``API-Version`` header on every answer, and any error answer that is not
    problem+json yet (Django's 404 page for an unknown path, the input guard's 400, a crash's
    500) replaced by one, keeping the other headers (no-store, the security headers).

    Placed before ``SessionMiddleware`` (and after the security middleware), so it sees every
    answer the inner layers make."""

    KEEP_OUT = {"content-type", "content-length", "content-language", "vary"}

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(API_PREFIX):
            return self.get_response(request)
        request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
        response = self.get_response(request)
        if response.status_code >= 400 and not response.get("Content-Type", "").startswith(PROBLEM_JSON):
            replaced = problem_response(response.status_code, request.path)
            for header, value in response.items():
                if header.lower() not in self.KEEP_OUT:
                    replaced[header] = value
            response = replaced
        response["API-Version"] = API_VERSION
        response.setdefault("Cache-Control", "no-store")
        return response


class JSONParser(parsers.JSONParser):
    """JSON of at most ``MAX_BODY_BYTES`` (DRF reads the body as a stream, past Django's
    ``DATA_UPLOAD_MAX_MEMORY_SIZE``): larger is a 413; what is not UTF-8 JSON (or nests deeper
    than Python parses, or holds NaN) a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        request = (parser_context or {}).get("request")
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            declared = 0
        if declared > MAX_BODY_BYTES:
            raise RequestTooLarge
        raw = stream.read(MAX_BODY_BYTES + 1) if stream is not None else b""
        if len(raw) > MAX_BODY_BYTES:
            raise RequestTooLarge
        try:
            return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise exceptions.ParseError(_("The body is not valid JSON.")) from None


def _no_constant(name: str):
    raise ValueError(name)


class ApiClientRateThrottle(throttling.SimpleRateThrottle):
    """At most ``INTAKE_API_RATE`` requests per API client (e.g. ``60/min``); more answer 429
    with Retry-After. Counted in the cache, so per app server with the default local cache."""

    scope = "api_client"

    def get_rate(self) -> str | None:
        return settings.INTAKE_API_RATE or None

    def get_cache_key(self, request, view) -> str | None:
        client_id = getattr(request.auth, "pk", None)
        return None if client_id is None else self.cache_format % {"scope": self.scope, "ident": client_id}


def openapi_headers(result: dict, generator, request, public) -> dict:
    """drf-spectacular's post-processing hook: the headers every answer carries (API-Version)
    and a registration's Location, in the OpenAPI document."""
    version = {
        "API-Version": {
            "description": "The full version of the API that answered (semantic versioning).",
            "schema": {"type": "string", "example": API_VERSION},
        }
    }
    location = {
        "Location": {"description": "The registration's URL in the API.", "schema": {"type": "string", "format": "uri"}}
    }
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for code, response in operation.get("responses", {}).items():
                response.setdefault("headers", {}).update(version)
                if code == "201":
                    response["headers"].update(location)
    return result
