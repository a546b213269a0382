"""Real parallel requests against a live server (pytest-django's ``live_server``: Django's
threaded WSGI server, one thread and one database connection per request), on PostgreSQL and on
SQLite in a file (scripts/run-tests).

* A create form sent N times at the same moment with its one submission key (a double tap, a
  retry, two tabs of the same rendering) records exactly once, and every answer is the same
  redirect (an htmx form: the same fragment): never a server error, never "database is locked"
  (base.submissions).
* Two people saving the same record at the same moment from the same version: exactly one save
  wins; the other gets the form again with the conflict table (what the winner saved beside what
  they typed) and the version re-armed, so saving again deliberately keeps theirs
  (base.updates.model_update, base.forms.conflict_rows).

The form builders are those of the sequential tests (tests/test_double_submit.py and
tests/test_edit_conflicts.py); here they are sent by ``requests`` sessions that carry the session
cookie of a test-client login (with a verified second factor, tests/conftest.py) and a CSRF token
read from the page, as a browser would. A failing assertion shows the live server's own error
log (tracebacks) of that burst.
"""

import collections
import logging
import re
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import resolve
from django.utils.html import escape

from base.models import Submission
from cases.models import Case
from socialmap.models import Offer
from tests.factories import PASSWORD, make_coordinator, make_professional
from tests.test_double_submit import CREATE_FORMS, ONCE_ONLY, rendered
from tests.test_edit_conflicts import EDITABLE
from volunteers.models import VolunteerStaff

pytestmark = pytest.mark.both_databases  # and on SQLite in a file: scripts/run-tests

PARALLEL = 8  # requests sent at the same moment with one submission key
ROUNDS = 3  # bursts per form, each with a fresh form (a fresh key)
EDIT_ROUNDS = 3  # simultaneous saves per record, each from the version both editors just read
TIMEOUT = 60  # seconds: one request; far above any answer, only so a hang fails instead of blocking

# The forms at the heart of the work get ROUNDS bursts; the other create forms one each (about a
# minute per database in all, on two cores).
CORE_FORMS = {
    "intake, new resident",
    "intake, known resident",
    "home visit",
    "journal entry",
    "meeting decision",
    "absence",
    "shift assignment",
}


# --- the database: committed data (the live server reads it from other threads) --------------


@pytest.fixture(autouse=True)
def _db_for_all(transactional_db):
    """Overrides tests/conftest.py: the live server answers from its own threads and database
    connections, so the test's data must be committed (transactional_db), not held in a
    transaction that is rolled back. An in-memory SQLite database (the suite's fallback without
    PostgreSQL) is one connection that the live server's threads share: their transactions would
    interleave on it, which no deployment does; scripts/run-tests gives SQLite a file."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("in-memory SQLite: one connection for all threads; run on a file (scripts/run-tests)")


@pytest.fixture(autouse=True)
def _reference_data(_db_for_all, reference_data):
    """The reference data the flush after every live-server test wipes (tests/conftest.py)."""


@pytest.fixture
def server_log(caplog):
    """What the live server logged as errors (``django.request`` logs every 500 with its
    traceback): the first traceback in full, and how often each error was logged."""
    caplog.set_level(logging.ERROR)

    def errors() -> str:
        records = [record for record in caplog.records if record.levelno >= logging.ERROR]
        if not records:
            return "(no errors logged)"
        formatter = logging.Formatter("%(name)s %(levelname)s: %(message)s")
        first = formatter.format(records[0])
        endings = collections.Counter(_error_of(record) for record in records)
        counted = "\n".join(f"  {count} x {ending}" for ending, count in endings.items())
        return f"{len(records)} errors logged:\n{counted}\nthe first:\n{first}"

    return errors


def _error_of(record: logging.LogRecord) -> str:
    error = record.exc_info[1] if record.exc_info else None
    if error is None:
        return record.getMessage()
    return f"{type(error).__module__}.{type(error).__name__}: {str(error).strip().splitlines()[0]}"


# --- a browser, as far as the server can tell ----------------------------------------------------


@dataclass
class Browser:
    """One logged-in person's cookies (a session with a verified second factor, and the CSRF
    cookie) and the CSRF token of a page they loaded. Each request gets its own HTTP connection,
    as two tabs or a retry after a lost connection would."""

    base: str
    cookies: dict
    token: str = ""

    def session(self) -> requests.Session:
        session = requests.Session()
        session.trust_env = False  # never through a proxy from the environment: straight to the live server
        # One connection per request: the server's thread (and its database connection) ends
        # with the answer instead of waiting for a next request on a kept-alive connection.
        session.headers["Connection"] = "close"
        for name, value in self.cookies.items():
            session.cookies.set(name, value)
        return session

    def get(self, path: str) -> requests.Response:
        with self.session() as session:
            response = session.get(self.base + path, allow_redirects=False, timeout=TIMEOUT)
        self.cookies.update(response.cookies.get_dict())
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text)
        if found:
            self.token = found.group(1)
        return response

    def open(self, path: str) -> str:
        """Load the page of a form (a POST-only form: the home page; every page has the token)."""
        response = self.get(path)
        if response.status_code == 405:
            response = self.get("/")
        assert response.status_code == 200, f"GET {path}: {response.status_code}"
        assert self.token and settings.CSRF_COOKIE_NAME in self.cookies, "no CSRF token on the page"
        return response.text

    def post(self, path: str, data: dict, headers: dict | None = None) -> requests.Response:
        with self.session() as session:
            return session.post(
                self.base + path,
                data={**data, "csrfmiddlewaretoken": self.token},
                headers={"Origin": self.base, "Referer": self.base + path, **(headers or {})},
                allow_redirects=False,
                timeout=TIMEOUT,
            )


def logged_in(base: str, user) -> Browser:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)  # with the second factor (conftest)
    return Browser(base, {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value})


def at_once(send: Callable[..., requests.Response], calls: list[tuple]) -> list[requests.Response]:
    """``send(*args)`` for every ``args`` in ``calls``, in parallel threads released together by a
    barrier; the answers in the order of ``calls``."""
    barrier = threading.Barrier(len(calls))

    def go(args: tuple) -> requests.Response:
        barrier.wait(timeout=TIMEOUT)
        return send(*args)

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(go, calls))


def outcome(answers: list[requests.Response]) -> str:
    """The statuses and redirects of a burst, and what the odd answers said."""
    statuses = collections.Counter(answer.status_code for answer in answers)
    locations = collections.Counter(answer.headers.get("Location") for answer in answers)
    usual = statuses.most_common(1)[0][0]
    odd = next((answer for answer in answers if answer.status_code >= 500 or answer.status_code != usual), None)
    said = f"\nan answer {odd.status_code} said: {_text(odd)}" if odd is not None else ""
    return f"statuses {dict(statuses)}, locations {dict(locations)}{said}"


def _text(answer: requests.Response) -> str:
    """The main content of a page as a person reads it (an error page: all of it), shortened."""
    main = re.search(r"<main\b.*?</main>", answer.text, re.S)
    text = re.sub(r"<[^>]+>", " ", main.group(0) if main else answer.text)
    return re.sub(r"\s+", " ", text).strip()[:1500]


def as_headers(meta: dict) -> dict:
    """The test client's ``HTTP_HX_REQUEST`` as the header a browser sends (``HX-Request``)."""
    return {name.removeprefix("HTTP_").replace("_", "-").title(): value for name, value in meta.items()}


# --- one rendering sent N times at once -------------------------------------------------------


@pytest.mark.parametrize("form", list(CREATE_FORMS))
def test_one_rendering_sent_at_the_same_moment_records_once(live_server, server_log, form):
    for _round in range(ROUNDS if form in CORE_FORMS else 1):
        create = CREATE_FORMS[form]()  # a fresh form: a new record to make, a new key
        browser = logged_in(live_server.url, create.user)
        browser.open(create.url)
        before = create.count()
        sent = rendered(create)
        headers = as_headers(create.headers)

        answers = at_once(browser.post, [(create.url, sent, headers)] * PARALLEL)

        seen = f"{form}: {outcome(answers)}\nserver log:\n{server_log()}"
        if create.headers:  # htmx: every answer is the fragment of the one decision
            assert all(answer.status_code == 200 for answer in answers), seen
            assert len({answer.text for answer in answers}) == 1, seen
        else:
            assert all(answer.status_code == 302 for answer in answers), seen
            assert len({answer.headers["Location"] for answer in answers}) == 1, seen
        assert create.count() == before + 1, f"{form}: {create.count() - before} records made; {seen}"
        assert Submission.objects.filter(user=create.user, key=sent["submission_key"]).count() == 1, seen


@pytest.mark.parametrize("form", sorted(ONCE_ONLY))
def test_separate_renderings_of_a_once_only_form_at_the_same_moment_record_once(live_server, server_log, form):
    """Tabs opened separately (each its own key) and sent at the same moment, for a form
    that may record only once (the same person joins a case once, a case has one decision per
    meeting, a shift one person): one record, and every other answer a refusal, not an error."""
    create = CREATE_FORMS[form]()
    browser = logged_in(live_server.url, create.user)
    browser.open(create.url)
    before = create.count()

    renderings = [rendered(create) for _tab in range(PARALLEL)]  # each with its own key
    answers = at_once(browser.post, [(create.url, sent, as_headers(create.headers)) for sent in renderings])

    seen = f"{form}: {outcome(answers)}\nserver log:\n{server_log()}"
    assert all(answer.status_code < 500 for answer in answers), seen
    assert create.count() == before + 1, f"{form}: {create.count() - before} records made; {seen}"


# --- two people saving one record at the same moment -----------------------------------------


def _other_person(record: str, edit):
    """Who else edits this record: a colleague of the team, or the author (the visit: the same
    volunteer on a second phone)."""
    pk = resolve(edit.url).kwargs["pk"]
    if record in {"case", "resident"}:
        return make_professional(Case.objects.get(pk=pk).team)
    if record == "offer":
        return Offer.objects.get(pk=pk).created_by  # the volunteer who added it
    if record == "volunteer profile":
        return make_coordinator(VolunteerStaff.objects.get(pk=pk).team)
    return edit.user


def _version(page: str) -> int:
    return int(re.search(r'name="version" value="(\d+)"', page).group(1))


@pytest.mark.parametrize("record", list(EDITABLE))
def test_two_saves_at_the_same_moment_one_wins_the_other_sees_the_conflict(live_server, server_log, record):
    edit = EDITABLE[record]()
    people = [logged_in(live_server.url, edit.user), logged_in(live_server.url, _other_person(record, edit))]
    for turn in range(EDIT_ROUNDS):
        versions = [_version(person.open(edit.url)) for person in people]
        assert versions[0] == versions[1]
        typed = [f"Tekst van {name}, ronde {turn}" for name in ("A", "B")]

        answers = at_once(
            Browser.post,
            [
                (person, edit.url, {**edit.data(text), "version": versions[0]})
                for person, text in zip(people, typed, strict=True)
            ],
        )

        seen = f"{record}: {outcome(answers)}\nserver log:\n{server_log()}"
        assert sorted(answer.status_code for answer in answers) == [200, 302], seen
        won = next(n for n, answer in enumerate(answers) if answer.status_code == 302)
        lost = 1 - won
        page = answers[lost].text
        assert edit.saved() == typed[won], seen  # the winner's save stands: nothing overwritten
        assert 'id="conflict-h"' in page, seen
        # theirs beside what I typed, in one row of the conflict table: nothing typed is lost
        assert f"<td>{escape(typed[won])}</td><td>{escape(typed[lost])}</td>" in page, seen
        armed = _version(page)
        assert armed == versions[0] + 1, seen  # the version the winner saved

        again = people[lost].post(edit.url, {**edit.data(typed[lost]), "version": armed})

        assert again.status_code == 302, f"{record}: the deliberate save after the conflict: {again.status_code}"
        assert edit.saved() == typed[lost]
        assert _version(people[won].open(edit.url)) == versions[0] + 2
