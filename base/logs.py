"""The application log: JSON lines for the municipality's central logging, with nothing in them
about the people whose files we keep.

One line per request (django-structlog's ``request_finished``, or ``request_failed`` on an
error), with its ``request_id``, the ``user_id`` (a number, never a name), the ``method``, the
``route`` — the URL *pattern* (``casussen/<int:pk>/``), never the filled-in path or its query
string, where a searched name would be — the ``status`` and the ``duration_ms``. What may carry
personal data is left out by construction, not by care at each call:

- an error is logged as its exception's type and the places in our code it passed through
  (file, line, function), never its message (``invalid literal for int(): 'Jansen'``, or
  PostgreSQL's ``Key (bsn)=(…) already exists``) and never the values of its variables;
- a line from another library (Django, axes, …) keeps its message *template*
  (``Forbidden (%s): %s``) without the values filled into it; a message that library filled in
  itself before logging (Django's ``Invalid HTTP_HOST header: 'a-name.example'``) is withheld,
  the logger's name says what happened (``django.security.DisallowedHost``);
- the client's address and user agent are not logged (the access log keeps who read what).

``tests/test_logs.py`` renders the lines of real requests, an error among them, and looks for
the resident data they handled.
"""

from __future__ import annotations

import sys
import time
import traceback
from pathlib import Path
from typing import Any

import structlog
from django.conf import settings
from django.dispatch import receiver
from django_structlog import signals

# Processors every line passes, from our code (structlog) or another library (the standard
# logging module): the request's bound context (request_id, user_id), then the logger, level, time.
SHARED_PROCESSORS = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_logger_name,
    structlog.stdlib.add_log_level,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def _place(frame: traceback.FrameSummary) -> str:
    path = Path(frame.filename)
    try:
        shown = path.relative_to(settings.BASE_DIR)
    except ValueError:
        shown = Path(*path.parts[-2:])  # a library's file: its package and module are enough
    return f"{shown}:{frame.lineno} {frame.name}"


def template_only(_logger, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Another library's line: its template when the values came separately, else nothing of
    its message (it was filled in before it reached us, with whatever it held)."""
    record = event_dict.get("_record")
    arguments = event_dict.pop("positional_args", None)  # never rendered
    if record is not None and not event_dict.get("_from_structlog"):
        event_dict["event"] = str(record.msg) if arguments else "message_withheld"
    return event_dict


def exception_without_values(_logger, _method: str, event_dict: dict[str, Any]) -> dict[str, Any]:
    """Replace an exception by its type and the places it passed through: no message, no
    variables (either may hold what a resident or a professional typed)."""
    event_dict.pop("stack_info", None)
    exc_info = event_dict.pop("exc_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    elif isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if not exc_info or exc_info[0] is None:
        return event_dict
    error = exc_info[1]
    causes = []
    while (error := error.__cause__ or error.__context__) is not None and len(causes) < 5:
        causes.append(type(error).__qualname__)
    event_dict["exception"] = {
        "type": f"{exc_info[0].__module__}.{exc_info[0].__qualname__}",
        "frames": [_place(frame) for frame in traceback.extract_tb(exc_info[2], limit=30)],
        **({"caused_by": causes} if causes else {}),
    }
    return event_dict


class JsonFormatter(structlog.stdlib.ProcessorFormatter):
    """The formatter of ``LOGGING``: JSON lines; another library's line through
    :func:`template_only`."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault(
            "processors",
            [
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                exception_without_values,
                structlog.processors.JSONRenderer(ensure_ascii=False),
            ],
        )
        kwargs.setdefault("foreign_pre_chain", [*SHARED_PROCESSORS, template_only])
        kwargs.setdefault("pass_foreign_args", True)  # for template_only to see there were values
        super().__init__(*args, **kwargs)


def configure() -> None:
    """structlog's own set-up, for the lines our code writes (``BaseConfig.ready``)."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *SHARED_PROCESSORS,
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


# --- the request line: the pattern instead of the path ---------------------------------------


@receiver(signals.bind_extra_request_finished_metadata)
@receiver(signals.bind_extra_request_failed_metadata)
def _request_fields(request, log_kwargs: dict[str, Any], **_kwargs) -> None:
    log_kwargs.pop("request", None)  # "GET /casussen/?q=Jansen": the filled-in path
    log_kwargs.pop("user_agent", None)
    match = getattr(request, "resolver_match", None)
    log_kwargs["method"] = request.method
    log_kwargs["route"] = f"/{match.route}" if match is not None else None
    if "code" in log_kwargs:
        log_kwargs["status"] = log_kwargs.pop("code")
    started = getattr(request, "_log_started", None)
    if started is not None:
        log_kwargs["duration_ms"] = round((time.monotonic() - started) * 1000, 1)


@receiver(signals.bind_extra_request_metadata)
def _request_started(request, log_kwargs, **_kwargs) -> None:
    request._log_started = time.monotonic()
    _request_fields(request, log_kwargs)
