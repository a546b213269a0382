"""Create forms that record once: a double tap, a retry after a lost connection or two tabs
sending the same rendered form answer exactly like the first send — the same redirect to the
record it made — and never record twice or show an error page.

The form carries one :class:`SubmissionKeyField` (a fresh key each time the form is rendered
empty; kept when it is shown again with errors). The view hands the service call to
:func:`submit_once` (or :func:`record_once` for an htmx fragment): inside one transaction it
claims the key (a unique insert per person: a twin arriving at the same moment waits on that
row until the first commits, on PostgreSQL and on SQLite's immediate transactions), runs the
service and keeps the URL of the answer. The twin then finds the key taken and answers with
the same URL. When the service refuses (a ``ValidationError``), the claim rolls back with it,
so the corrected form can be sent again.

The intake API uses the same table through :func:`answer_once`: the client's
``Idempotency-Key`` is the key (per API client, as per person here), a hash of what it sent is
kept with it, and so is the whole answer (status, location and body), so a repeat is answered
exactly like the first send and a different request under a used key is told so
(:class:`KeyReused`).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils import timezone

from .chain import sealed_before_commit
from .models import Submission

KEEP = datetime.timedelta(days=2)  # long enough for any retry; `purge_submissions` clears older keys


class SubmissionKeyField(forms.UUIDField):
    """The rendered form's key. Not required: a send without one (a script, an old page) is
    recorded as it comes, only without the protection against repeats."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("initial", uuid.uuid4)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


def record_once(request, key: uuid.UUID | None, record: Callable[[], str]) -> str:
    """Run ``record`` (the service call; it returns the URL to answer with) once per key, and
    return that URL — the first send's, for a repeat. Without a key (an old form) it just runs."""
    if key is None:
        return record()
    # No look before the claim: a repeat finds the key taken (the unique insert fails, or
    # waits for the first send's commit and then fails) and answers with the first's URL.
    try:
        with transaction.atomic(), sealed_before_commit():  # the audit entries sealed in the same commit
            Submission.objects.create(key=key, user=request.user)
            url = record()
            Submission.objects.filter(user=request.user, key=key).update(answer_url=url)
    except IntegrityError:
        earlier = earlier_answer(request, key)
        if earlier is None:  # not a twin: another constraint failed
            raise
        return earlier
    return url


def submit_once(request, key: uuid.UUID | None, record: Callable[[], str]) -> HttpResponseRedirect:
    """:func:`record_once`, answered with the redirect to its URL."""
    return HttpResponseRedirect(record_once(request, key, record))


def earlier_answer(request, key: uuid.UUID | None) -> str | None:
    """Where the first send with this key (by this person) was answered, if it was."""
    if key is None:
        return None
    found = Submission.objects.filter(user=request.user, key=key).values_list("answer_url", flat=True).first()
    return found or None


@dataclass(frozen=True)
class Answer:
    """What a send was answered with: the status, the location of what it made, the body."""

    status: int
    url: str
    body: dict


class KeyReused(Exception):
    """The key was used already, for a different request (another fingerprint)."""


def answer_once(*, user, key: uuid.UUID, fingerprint: str, record: Callable[[], Answer]) -> tuple[Answer, bool]:
    """Run ``record`` once per (``user``, ``key``) and return its :class:`Answer`, and whether
    this send was a repeat. A repeat with the same ``fingerprint`` (a hash of what was sent)
    gets the first send's answer and records nothing; with another fingerprint it raises
    :class:`KeyReused`. When ``record`` raises, nothing is kept: the key is free again."""
    try:
        with transaction.atomic(), sealed_before_commit():  # the audit entries sealed in the same commit
            Submission.objects.create(key=key, user=user, fingerprint=fingerprint)
            answer = record()
            Submission.objects.filter(user=user, key=key).update(
                answer_url=answer.url, answer_status=answer.status, answer_body=answer.body
            )
    except IntegrityError:
        earlier = Submission.objects.filter(user=user, key=key).first()
        if earlier is None:  # not a twin: another constraint failed
            raise
        if earlier.fingerprint != fingerprint or earlier.answer_status is None:
            raise KeyReused from None
        return Answer(status=earlier.answer_status, url=earlier.answer_url, body=earlier.answer_body or {}), True
    return answer, False


def purge_submissions(now: datetime.datetime | None = None) -> int:
    """Forget keys older than :data:`KEEP` (a daily timer): returns how many."""
    deleted, _ = Submission.objects.filter(created_at__lt=(now or timezone.now()) - KEEP).delete()
    return deleted


def posted_key(request) -> uuid.UUID | None:
    """The submission key a hand-written form sent (``{% submission_key %}``), if it is one."""
    try:
        return uuid.UUID(str(request.POST.get("submission_key", "")))
    except ValueError:
        return None
