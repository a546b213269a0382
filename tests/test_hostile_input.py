"""Hostile input, everywhere: generated values (Hypothesis) for every form and every query
parameter of every page each role may open. The answer is never a server error (5xx), never
echoes hostile markup unescaped, and a redirect never leaves the site.

Discovery, not a list: the pages are the rows of the authorisation table
(``tests/test_url_authorization.py``) that a role may GET with 200. Each page is fetched as that
role and its HTML read for

* every ``<form>``: method, action (none = the page itself) and every named ``input``,
  ``select``, ``textarea`` and ``button`` with the value it carries (hidden ones included: the
  CSRF token, ``submission_key``, ``version``). The fields the action's view reads from
  ``request.POST`` (its source, and the project functions it calls, by name), and the fields of
  the form classes it binds to the posted data, are added, so a field the template does not
  render is sent too;
* every query parameter: the fields of GET forms, the parameters in the query strings of links
  and ``hx-get`` addresses on the page (to this page or another page the role may open), the
  names its view reads from ``request.GET`` and the fields of form classes it binds to
  ``request.GET``; plus, per page, a parameter no view reads (a hostile name).

Targets are (role, page, form) and (role, page, query parameter); a form seen on two pages of one
role is tested once. Per form field (and per parameter) a small Hypothesis run sends the form
with its own values (so it is otherwise valid: token, version and key kept) and that field, and
sometimes one or two more, replaced by a hostile value: text with control characters and NUL,
10k-100k characters, numbers at and beyond 64 bits, malformed dates and UUIDs, many values for
one name, markup, template syntax, SQL, paths, unicode, the field left out; as multipart or
urlencoded, sometimes as an htmx request. The values lean to the field's kind (a number, a date,
a UUID or text, read from the input's type and value), and every run starts with explicit
examples per kind (``EXPLICIT``: an id of 2**63 and one of 5,000 digits, the first and the last
date, markup, 100k characters), so the classic failures are found every time, not by luck.
Every form also goes once as a urlencoded body with raw bytes no UTF-8 text holds (a lone
surrogate ``%ED%A0%80``, ``%FF``), and every page once with them in its query string, so the
server's own decoding is exercised (the test client encodes ``str`` to UTF-8 and cannot send
them otherwise).

Requests go through a client with CSRF checks on, logged in as the role (``conftest``: with a
verified second factor). The login page is included, as the anonymous role: the one form anyone
on the internet can send, through the real authentication (django-axes counts the failures).
The second-factor pages answer a verified user with a redirect, so they are included with two
extra "roles": the professional logged in without the second step (``mfa_verify``, with a
device) and a new professional without a device (``mfa_setup``). Not sent: the log-out form (it would end the
session the test uses) and the language switch (Django's ``set_language``; it changes the
language of every later page); the admin is outside the table.

Each request runs in a savepoint rolled back after it: every example starts from the same world
(a repeat of a submission key would otherwise answer like the first and never reach the form
again, a saved version would turn every later edit into a conflict page, and a failed query on
PostgreSQL would spoil the rest of the test). A POST that sent something worth seeing rendered
(markup, template syntax, long or non-ASCII text) and is answered with a redirect to a page of
ours has that page fetched once inside the savepoint, so what it saved (or the message it left)
is rendered and checked the same way before it is undone.

A failing request is recorded rather than raised, so one failure does not hide the others of the
same page; the test fails at its end with each failing target: role, URL, field, the value's
shape and ``repr`` (cut), the status and the server's exception with the project frame it came
from. So there is no shrinking: the values are reported as sent. ``WIJKTEAM_HOSTILE_SEED=<n>``
repeats a run (every failure report names the seed).
"""

from __future__ import annotations

import contextlib
import datetime
import dis
import html.parser
import inspect
import logging
import os
import random
import re
import sys
import time
import traceback
import urllib.parse
import zlib
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django import forms as django_forms
from django.conf import settings as django_settings
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, Phase, example, given, seed, settings
from hypothesis import strategies as st

from tests import test_url_authorization as authorization
from tests.factories import PASSWORD, make_professional
from tests.test_url_authorization import ARGS, ROLES, TABLE, _url

world = authorization.world  # the module's world (a module-scoped fixture): one case, everything on it

pytestmark = pytest.mark.both_databases

# --- the budget -------------------------------------------------------------------------------
# Examples per form field and per query parameter (each one request, plus the page a saving POST
# redirects to). About 3,000-3,500 requests per database in total; CI runs this on two.
EXAMPLES_PER_FIELD = 4
EXAMPLES_PER_PARAMETER = 4
LIST_TARGETS = os.environ.get("WIJKTEAM_HOSTILE_LIST") == "1"  # print every target found (with -s)
SEED = int(os.environ.get("WIJKTEAM_HOSTILE_SEED") or random.randrange(2**32))

TOKEN = "csrfmiddlewaretoken"

# --- the pages --------------------------------------------------------------------------------

# The second-factor pages need a session that has not passed the second step (the tests' login
# has); these two "roles" are logged in without it.
UNVERIFIED_PAGES = [("unverified", "accounts:mfa_verify"), ("unverified_without_device", "accounts:mfa_setup")]
PAGES = [
    (role, key)
    for key, method, statuses in TABLE
    if method == "GET"
    for role, expected in zip(ROLES, statuses, strict=True)
    if expected == 200
] + UNVERIFIED_PAGES

# Forms never sent: they end or change the session the test runs in (url names).
SKIPPED_ACTIONS = {"accounts:logout", "set_language"}
ADMIN_PREFIX = "/beheer/"


# --- hostile values ---------------------------------------------------------------------------

MARK = "hostile("  # every markup value calls hostile(); found in a script or handler = injected
MARKUP = [
    "<script>hostile()</script>",
    '"><img src=x onerror=hostile()>',
    "'><svg onload=hostile()>",
    "</textarea><script>hostile()</script>",
    "</title><script>hostile()</script>",
    '" onmouseover="hostile()" x="',
    "' onfocus='hostile()' autofocus x='",
    "javascript:hostile()",
    "<a href=javascript:hostile()>x</a>",
    '<div hx-on:click="hostile()">x</div>',
    "<!--<script>hostile()</script>-->",
    "{{ 7*7 }}",
    "{% debug %}",
    "{{ request.user.password }}",
    "${7*7}",
    "#{7*7}",
]
SQLISH = [
    "'; DROP TABLE cases_case; --",
    "' OR '1'='1",
    '" OR "1"="1',
    "1) OR (1=1",
    "1; SELECT pg_sleep(0); --",
    "%",
    "_",
    "%_%",
    "\\",
    "'",
    '"',
    "\\x00",
    "E'\\\\'",
]
PATHS = [
    "../../etc/passwd",
    "..\\..\\windows\\win.ini",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/etc/passwd",
    "//evil.example/",
    "https://evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "http://testserver@evil.example/",
    "javascript:alert(1)",
    "data:text/html,<script>hostile()</script>",
    "/coordinatie/rooster/../../beheer/",
]
NUMBERS = [
    str(2**31 - 1),
    str(2**31),
    str(2**32),
    str(2**63 - 1),
    str(2**63),
    str(2**64),
    str(-(2**63)),
    str(-(2**63) - 1),
    str(2**70),
    "9" * 40,
    "9" * 5_000,  # beyond Python's 4,300 digits for int(str)
    "-1",
    "0",
    "-0",
    "00",
    "1e400",
    "-1e400",
    "1e-400",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "1.5",
    "1,5",
    "0x10",
    "1_000",
    " 7 ",
    "+7",
    "٣",  # Arabic-Indic three: str.isdigit(), int() takes it
    "²",  # superscript two: str.isdigit(), int() refuses it
    "１２",  # fullwidth digits
    "Ⅻ",
]
DATES = [
    "2026-13-45",
    "0000-00-00",
    "99999-01-01",
    "2026-02-30",
    "2026-1-1",
    "01-01-2026",
    "1-1-1",
    "0001-01-01",
    "9999-12-31",
    "2026-01-01T25:00:00",
    "2026-W01",
    "-2026-01-01",
    "tomorrow",
    "24:00",
    "23:60",
    "-1:00",
    "99999:00",
    "12:00:00.9999999",
]
UUIDS = [
    "00000000-0000-0000-0000-000000000000",
    "not-a-uuid",
    "0" * 32,
    "g" * 32,
    "12345678-1234-5678-1234-56781234567",
    "12345678-1234-5678-1234-5678123456789",
    "{12345678-1234-5678-1234-567812345678}",
    "urn:uuid:12345678-1234-5678-1234-567812345678",
]
UNICODE = [
    "\u202eevil",
    "\u200b",
    "\ufeff",
    "\u2028\u2029",
    "👩‍👩‍👧‍👦" * 50,
    "e\u0301" * 1_000,
    "\uffff",
    "\U0010ffff",
    "𝕳𝖔𝖘𝖙𝖎𝖑𝖊",
    "İıß",
    "\x1b[31m",
    "a\rb\r\nc",
    "\x00",
    "a\x00b",
    "\x7f\x80\x9f",
]
BLANK = ["", " ", "\t", "\n\n", "\xa0"]
# Bytes no UTF-8 text holds: sent percent-encoded, urlencoded (``_RawBytes``).
RAW = [b"\xed\xa0\x80", b"\xff\xfe", b"\xc0\xaf", b"abc\xed\xb2\x80def", b"\xf4\x90\x80\x80", b"\x00", b"\xe2\x82"]
LONG_UNITS = ["x", "9", "<>&'\"%;", "é", "👩", "<script>hostile()</script>", "a\x00", "\u0301"]
VARIATIONS = ["{v}\x00", "-{v}", "{v}0000000000000000000", "{v}.5", " {v} ", "{v}<script>hostile()</script>", "{v}{v}"]


class _RawBytes(bytes):
    """A value sent as these exact bytes (percent-encoded in a urlencoded body or query)."""


class _Missing:
    def __repr__(self) -> str:
        return "<left out>"


MISSING = _Missing()


def _long(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


NUMBER_LIKE = st.one_of(st.sampled_from(NUMBERS), st.integers(min_value=-(2**70), max_value=2**70).map(str))
DATE_LIKE = st.one_of(st.sampled_from(DATES), st.dates().map(str), st.times().map(str))
LONG = st.builds(_long, st.sampled_from(LONG_UNITS), st.integers(min_value=10_000, max_value=100_000))
SCALAR = st.one_of(
    st.text(max_size=200),  # any code point but surrogates: control characters and NUL included
    st.sampled_from(MARKUP),
    NUMBER_LIKE,
    st.floats().map(repr),
    DATE_LIKE,
    st.sampled_from(UUIDS),
    st.uuids().map(str),
    st.sampled_from(SQLISH),
    st.sampled_from(PATHS),
    st.sampled_from(UNICODE),
    st.sampled_from(BLANK),
    LONG,
)
MANY = st.one_of(
    st.lists(SCALAR, min_size=2, max_size=6),
    st.integers(min_value=50, max_value=1_200).map(lambda n: ["1"] * n),  # over 1,000 fields: refused
    st.integers(min_value=20, max_value=300).map(lambda n: [str(i) for i in range(n)]),
)
RAW_BYTES = st.sampled_from(RAW).map(_RawBytes)
# What a field of each kind is most likely to choke on; generic values are drawn for every kind.
BY_KIND = {
    "number": NUMBER_LIKE,
    "date": DATE_LIKE,
    "uuid": st.one_of(st.sampled_from(UUIDS), st.uuids().map(str)),
    "text": st.one_of(st.sampled_from(MARKUP), LONG, st.text(max_size=200)),
}
# Sent to every field of a kind, every run (Hypothesis' explicit examples), before the drawn ones:
# an id or number beyond 64 bits and beyond Python's int(str) limit, the first and last dates
# (one day further does not exist), markup and 100k characters.
EXPLICIT = {
    "number": [str(2**63), "9" * 5_000],
    "date": ["9999-12-31", "0001-01-01"],
    "uuid": ["00000000-0000-0000-0000-000000000000", "x" * 5_000],
    "text": ['"><img src=x onerror=hostile()>', _long("<>&'\"%;", 100_000)],
}
# A query parameter: its kind is unknown.
EXPLICIT_PARAMETER = [str(2**63), "9" * 5_000, "9999-12-31", '"><img src=x onerror=hostile()>']


def _hostile(current: str, options: list[str], kind: str = "text"):
    """A hostile value for a field of ``kind`` whose own value is ``current`` (``options``: the
    values its select, radios or check boxes offer): one string, several, raw bytes or none."""
    near = [template.format(v=current) for template in VARIATIONS]
    choices = [(4, SCALAR), (3, BY_KIND[kind]), (1, MANY), (1, RAW_BYTES), (1, st.just(MISSING))]
    choices.append((1, st.sampled_from(near)))
    if options:  # every offered value at once, or an offered value twice
        choices.append((1, st.sampled_from([options, options[:1] * 2, [o + "\x00" for o in options[:3]]])))
    return st.one_of([strategy for weight, strategy in choices for _ in range(weight)])


# --- reading a page -----------------------------------------------------------------------------


@dataclass
class Field:
    name: str
    values: list[str]  # what the browser sends as it stands (none: an unchecked box)
    options: list[str] = field(default_factory=list)
    type: str = "text"  # the input's type; "select", "textarea"
    required: bool = False
    minimum: str = ""  # a number input's min

    @property
    def kind(self) -> str:
        """number (ids, versions, counts), date (and time), uuid or text."""
        sample = [v for v in self.values + self.options if v]
        if self.type in ("date", "time", "datetime-local", "month", "week") or (
            sample and all(DATE_SHAPE.fullmatch(v) for v in sample)
        ):
            return "date"
        if self.type == "number" or (sample and all(v.isascii() and v.isdigit() for v in sample)):
            return "number"
        if sample and all(UUID_SHAPE.fullmatch(v) for v in sample):
            return "uuid"
        return "text"


DATE_SHAPE = re.compile(r"\d{4}-\d\d-\d\d|\d\d:\d\d(:\d\d)?")
UUID_SHAPE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass
class Form:
    method: str
    action: str  # path with query, absolute on this site
    fields: list[Field]
    htmx: bool

    def names(self) -> list[str]:
        return list(dict.fromkeys(f.name for f in self.fields))


class _PageReader(html.parser.HTMLParser):
    """Forms with their fields, and the addresses of links and htmx requests."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self.links: list[tuple[str, str | None]] = []  # (address, name of the element sending it)
        self._form: dict | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None

    def handle_starttag(self, tag, attrs):
        a = {name: (value if value is not None else "") for name, value in attrs}
        if tag == "a" and "href" in a:
            self.links.append((a["href"], None))
        if "hx-get" in a:
            self.links.append((a["hx-get"], a.get("name")))
        if tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "htmx": any(name.startswith("hx-") for name in a),
                "fields": [],
                "submitters": [],
            }
            self.forms.append(self._form)
            return
        if self._form is None or "disabled" in a:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                self._form["submitters"].append(Field(name, [a.get("value", "")]))
            elif kind in ("checkbox", "radio"):
                value = a.get("value", "on")
                checked = [value] if "checked" in a else []
                self._form["fields"].append(Field(name, checked, [value], kind, "required" in a))
            elif kind not in ("reset", "file", "button"):
                value, required, minimum = a.get("value", ""), "required" in a, a.get("min", "")
                self._form["fields"].append(Field(name, [value], type=kind, required=required, minimum=minimum))
        elif tag == "button" and name and a.get("type", "submit").lower() == "submit":
            self._form["submitters"].append(Field(name, [a.get("value", "")]))
        elif tag == "select" and name:
            field_ = Field(name, [], type="select", required="required" in a)
            self._select = {"field": field_, "multiple": "multiple" in a}
            self._form["fields"].append(self._select["field"])
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "text": "", "selected": "selected" in a}
        elif tag == "textarea" and name:
            self._textarea = {"field": Field(name, [""], type="textarea", required="required" in a)}
            self._form["fields"].append(self._textarea["field"])

    def handle_data(self, data):
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["field"].values[0] += data

    def handle_endtag(self, tag):
        if tag == "option" and self._option is not None:
            self._end_option()
        elif tag == "select" and self._select is not None:
            self._end_option()
            select = self._select["field"]
            if not select.values and not self._select["multiple"] and select.options:
                select.values = select.options[:1]
            self._select = None
        elif tag == "textarea":
            if self._textarea is not None:  # the browser drops one leading newline
                value = self._textarea["field"].values[0]
                self._textarea["field"].values[0] = value[1:] if value.startswith("\n") else value
            self._textarea = None
        elif tag == "form" and self._form is not None:
            self._form = None

    def _end_option(self):
        if self._option is None or self._select is None:
            return
        option = self._option
        value = option["value"] if option["value"] is not None else option["text"].strip()
        self._select["field"].options.append(value)
        if option["selected"]:
            self._select["field"].values.append(value)
        self._option = None


def _read_page(page_path: str, body: str) -> tuple[list[Form], list[tuple[str, str | None]]]:
    reader = _PageReader()
    reader.feed(body)
    reader.close()
    found = []
    for raw in reader.forms:
        fields = list(raw["fields"])
        if raw["submitters"]:  # the browser sends the button pressed: the first
            fields.append(raw["submitters"][0])
        action = urllib.parse.urljoin(page_path, raw["action"]) if raw["action"] else page_path
        if raw["method"] == "post":
            _fill_required(fields)
        found.append(Form(raw["method"].upper(), _local(action), fields, raw["htmx"]))
    return found, reader.links


# What a person types into a required field the page shows empty, so that the rest of a form is
# valid and a hostile value in one field reaches the view's own checks, the service and the
# database (a login without a password never reaches the authentication, for one).
BENIGN_BY_NAME = {
    "postcode": "6661 AB",
    "house_number": "1",
    "phone": "0612345678",
    "username": "hostile-test",
    "password": "not-the-password",
}
BENIGN_BY_TYPE = {
    "email": "test@example.org",
    "date": datetime.date.today().isoformat(),
    "time": "10:00",
    "datetime-local": f"{datetime.date.today().isoformat()}T10:00",
    "number": "1",
    "tel": "0612345678",
    "url": "https://example.org/",
}


def _fill_required(fields: list[Field]) -> None:
    groups: dict[str, list[Field]] = {}
    for f in fields:
        groups.setdefault(f.name, []).append(f)
    for f in fields:
        group = groups[f.name]
        # Django marks no box of a required group of check boxes: one ticked, as a person would.
        boxes = f.type == "checkbox" and len(group) > 1
        if not (f.required or boxes) or any(v for g in group for v in g.values):
            continue
        if f.type in ("radio", "checkbox"):
            f.values = f.options[:1]
        elif f.type == "select":
            f.values = [o for o in f.options if o][:1]
        elif f.type != "hidden":
            short = f.name.rsplit("-", 1)[-1]
            benign = f.minimum if f.type == "number" and f.minimum else BENIGN_BY_TYPE.get(f.type)
            f.values = [BENIGN_BY_NAME.get(short) or benign or "Ingevuld door de test"]


def _local(address: str) -> str:
    parts = urllib.parse.urlsplit(address)
    return urllib.parse.urlunsplit(("", "", parts.path, parts.query, ""))


def _url_name(path: str) -> str | None:
    try:
        match = resolve(urllib.parse.urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


# --- what a view reads (its source) ---------------------------------------------------------------

READS = re.compile(
    r"request\.(GET|POST)(?:\.(?:get|getlist|pop)\(\s*|\[\s*)[\"']([^\"']+)[\"']",
)
BINDS = re.compile(r"\b([A-Z]\w*)\(\s*(request\.GET|request\.POST|posted\(request\)|data)\b([^\n]*)")
PREFIX = re.compile(r"prefix=[\"'](\w+)[\"']")


def _project_source(obj) -> str | None:
    try:
        path = inspect.getsourcefile(obj) or ""
        if not path.startswith(str(django_settings.BASE_DIR)) or "/.venv/" in path or "/tests/" in path:
            return None
        return inspect.getsource(obj)
    except (TypeError, OSError):
        return None


def _code_names(code) -> set[str]:
    """The global names a function (and the functions inside it) loads: not attribute names."""
    names = {i.argval for i in dis.get_instructions(code) if i.opname == "LOAD_GLOBAL"}
    for const in code.co_consts:
        if inspect.iscode(const):
            names |= _code_names(const)
    return names


def _view_functions(view, depth: int = 3) -> list:
    """The view (unwrapped) and the project functions it calls by name, a few levels deep."""
    start = getattr(view, "view_class", None) or inspect.unwrap(view)
    seen, todo, found = set(), [(start, 0)], []
    while todo:
        obj, level = todo.pop()
        if id(obj) in seen or _project_source(obj) is None:
            continue
        seen.add(id(obj))
        found.append(obj)
        if level >= depth or not inspect.isfunction(obj):
            continue
        for name in _code_names(obj.__code__):
            target = obj.__globals__.get(name)
            if inspect.isfunction(target):
                todo.append((inspect.unwrap(target), level + 1))
    return found


def _names_read(path: str, method: str) -> list[str]:
    """The names the view at ``path`` reads from ``request.GET`` / ``request.POST``, directly or
    through a form class it binds to them."""
    try:
        match = resolve(urllib.parse.urlsplit(path).path)
    except Resolver404:
        return []
    names = []
    for function in _view_functions(match.func):
        source = _project_source(function) or ""
        names += [name for kind, name in READS.findall(source) if kind == method]
        namespace = getattr(function, "__globals__", None) or vars(sys.modules[function.__module__])
        for class_name, bound_to, rest in BINDS.findall(source):
            form_class = namespace.get(class_name)
            if not (inspect.isclass(form_class) and issubclass(form_class, django_forms.BaseForm)):
                continue
            if (bound_to == "request.GET") != (method == "GET"):
                continue
            prefix = PREFIX.search(rest)
            names += [f"{prefix.group(1)}-{n}" if prefix else n for n in form_class.base_fields]
    return list(dict.fromkeys(names))


# --- targets --------------------------------------------------------------------------------------


@dataclass
class QueryTarget:
    path: str  # the page the parameter is for (no query)
    name: str | None  # None: a name no view reads, drawn hostile
    base: list[tuple[str, str]]  # the other parameters sent with it (its GET form's, its link's)
    known: list[str]  # other parameters of this page, some drawn along


def _query_targets(page_path: str, forms: list[Form], links, allowed_paths: set[str]) -> list[QueryTarget]:
    by_path: dict[str, dict[str, list[tuple[str, str]]]] = {}

    def add(path: str, name: str, base: list[tuple[str, str]]):
        by_path.setdefault(path, {}).setdefault(name, [pair for pair in base if pair[0] != name])

    for form in forms:
        if form.method != "GET":
            continue
        parts = urllib.parse.urlsplit(form.action)
        pairs = [(f.name, v) for f in form.fields for v in f.values]
        for name in form.names():
            add(parts.path, name, pairs)
    for address, element_name in links:
        parts = urllib.parse.urlsplit(address)
        if parts.scheme or parts.netloc:
            continue
        path = urllib.parse.urljoin(page_path, parts.path) if parts.path else page_path
        if path not in allowed_paths:
            continue
        pairs = urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        for name, _value in pairs:
            add(path, name, pairs)
        if element_name:
            add(path, element_name, pairs)
    for name in _names_read(page_path, "GET"):
        add(page_path, name, [])
    targets = []
    for path, names in by_path.items():
        targets += [QueryTarget(path, name, base, sorted(names)) for name, base in names.items()]
    targets.append(QueryTarget(page_path, None, [], sorted(by_path.get(page_path, {}))))
    return targets


def _form_targets(forms: list[Form]) -> list[Form]:
    found = []
    for form in forms:
        if form.method != "POST":
            continue
        path = urllib.parse.urlsplit(form.action).path
        if _url_name(path) in SKIPPED_ACTIONS or path.startswith(ADMIN_PREFIX):
            continue
        rendered = set(form.names())
        extra = [Field(name, []) for name in _names_read(form.action, "POST") if name not in rendered]
        found.append(Form(form.method, form.action, form.fields + extra, form.htmx))
    return found


# --- sending and judging ----------------------------------------------------------------------------


@dataclass
class Sent:
    method: str
    path: str
    changed: dict  # name -> the hostile value
    encoding: str
    htmx: bool


@dataclass
class Failure:
    role: str
    sent: Sent
    target: str
    status: int
    problem: str


def _encode(pairs: list[tuple[str, object]]) -> str:
    parts = []
    for name, value in pairs:
        key = urllib.parse.quote_plus(name) if isinstance(name, str) else urllib.parse.quote_from_bytes(name)
        if isinstance(value, bytes):
            parts.append(f"{key}={urllib.parse.quote_from_bytes(value)}")
        else:
            parts.append(f"{key}={urllib.parse.quote_plus(value)}")
    return "&".join(parts)


def _pairs(base: list[tuple[str, str]], changed: dict) -> list[tuple[str, object]]:
    """The form's own pairs with the changed names replaced (in place, or added at the end)."""
    pairs, done = [], set()
    for name, value in base:
        if name in changed:
            if name not in done:
                pairs += _expand(name, changed[name])
                done.add(name)
        else:
            pairs.append((name, value))
    for name, value in changed.items():
        if name not in done:
            pairs += _expand(name, value)
    return pairs


def _expand(name: str, value) -> list[tuple[str, object]]:
    if value is MISSING:
        return []
    if isinstance(value, list):
        return [(name, item) for item in value]
    return [(name, value)]


def _send(client: Client, method: str, path: str, pairs, encoding: str, htmx: bool):
    headers = {"HX-Request": "true"} if htmx else {}
    parts = urllib.parse.urlsplit(path)
    raw = any(isinstance(v, bytes) or isinstance(n, bytes) for n, v in pairs)
    if method == "GET":
        query = "&".join(q for q in (parts.query, _encode(pairs)) if q)
        return client.get(f"{parts.path}?{query}" if query else parts.path, headers=headers)
    if encoding == "multipart" and not raw:
        data: dict[str, list] = {}
        for name, value in pairs:
            data.setdefault(name, []).append(value)
        return client.post(path, data, headers=headers)
    return client.post(path, _encode(pairs), content_type="application/x-www-form-urlencoded", headers=headers)


class _InjectionFinder(html.parser.HTMLParser):
    """Hostile markup that a browser would run: an event handler, htmx handler or ``javascript:``
    address carrying ``hostile(``, or a script element running it."""

    URL_ATTRIBUTES = ("href", "src", "action", "formaction", "hx-get", "hx-post", "data", "srcdoc")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._script = False

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if not value or MARK not in value:
                continue
            handler = name.startswith(("on", "hx-on", "data-hx-on"))
            address = name in self.URL_ATTRIBUTES and value.strip().lower().startswith(("javascript:", "data:"))
            script_values = name in ("hx-vals", "hx-headers") and "js:" in value
            if handler or address or script_values:
                self.found.append(f"<{tag} {name}={value[:60]!r}>")
        kind = dict(attrs).get("type") or ""
        if tag == "script" and kind.lower() in ("", "text/javascript", "module", "application/javascript"):
            self._script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._script and MARK in data:
            self.found.append(f"<script>{data[:60]!r}")


def _html(response) -> str:
    if "text/html" not in response.get("Content-Type", "") or getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", "replace")


def _problems(response) -> list[str]:
    problems = []
    if response.status_code >= 500:
        problems.append(f"status {response.status_code}: {_exception(response)}")
    if 300 <= response.status_code < 400 and response.has_header("Location"):
        location = response["Location"]
        parts = urllib.parse.urlsplit(location)
        if (
            (parts.netloc and parts.netloc != "testserver")
            or location.startswith(("//", "/\\", "\\"))
            or parts.scheme not in ("", "http", "https")
        ):
            problems.append(f"redirect off the site: {location[:100]!r}")
    body = _html(response)
    if MARK in body:
        finder = _InjectionFinder()
        finder.feed(body)
        finder.close()
        if "<script>hostile()</script>" in body:
            finder.found.append("literal <script>hostile()</script>")
        if finder.found:
            problems.append("unescaped markup: " + "; ".join(finder.found[:3]))
    return problems


def _exception(response) -> str:
    info = getattr(response, "exc_info", None)
    if not info:
        return "no exception recorded"
    _kind, error, tb = info
    ours = [
        frame
        for frame in traceback.extract_tb(tb)
        if frame.filename.startswith(str(django_settings.BASE_DIR)) and "/.venv/" not in frame.filename
    ]
    last = (ours or traceback.extract_tb(tb))[-1]
    where = f" at {os.path.relpath(last.filename, django_settings.BASE_DIR)}:{last.lineno}"
    return f"{type(error).__name__}: {str(error)[:160]}{where}"


@contextlib.contextmanager
def _undone():
    """One request in a savepoint that is rolled back after it (also after a database error)."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def _shape(value) -> str:
    if value is MISSING:
        return "left out"
    if isinstance(value, bytes):
        return f"raw bytes {urllib.parse.quote_from_bytes(value)}"
    if isinstance(value, list):
        return f"{len(value)} values" + (f", first {_shape(value[0])}" if value else "")
    text = repr(value)
    return f"{len(value)} chars {text[:70]}{'…' if len(text) > 70 else ''}"


def _renders(changed: dict) -> bool:
    """Whether what was sent is worth seeing rendered (saved, or in a message): markup,
    template syntax, long text or anything beyond printable ASCII. Numbers, dates and the like
    are refused or stored as what they mean; the page they redirect to costs a request."""
    for value in changed.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and (
                MARK in item or "{" in item or len(item) > 1_000 or not (item.isascii() and item.isprintable())
            ):
                return True
    return False


class Run:
    """One test's requests: sends, judges, counts and keeps the failures."""

    def __init__(self, client: Client, role: str) -> None:
        self.client = client
        self.role = role
        self.statuses: Counter = Counter()
        self.failures: list[Failure] = []

    def request(
        self, target: str, method: str, path: str, pairs, changed: dict, encoding="urlencoded", htmx=False
    ) -> int:
        """Send, judge, and return the status (of the request itself, not of a page followed)."""
        sent = Sent(method, path, changed, encoding, htmx)
        with _undone():
            response = _send(self.client, method, path, pairs, encoding, htmx)
            self._judge(target, sent, response)
            location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
            if method == "POST" and _renders(changed) and response.status_code < 500 and self._followable(location):
                follow = _local(location)
                self._judge(target + f" -> GET {follow}", sent, self.client.get(follow))
        return response.status_code

    def _followable(self, location: str) -> bool:
        parts = urllib.parse.urlsplit(location)
        if not location or parts.netloc or not parts.path.startswith("/") or parts.path.startswith(ADMIN_PREFIX):
            return False
        return _url_name(parts.path) not in SKIPPED_ACTIONS | {"accounts:login"}

    def _judge(self, target: str, sent: Sent, response) -> None:
        self.statuses[f"{response.status_code // 100}xx"] += 1
        self.statuses[str(response.status_code)] += 1
        if MARK in _html(response):
            self.statuses["echoes"] += 1  # answers with the hostile markup in them (escaped, we hope)
        for problem in _problems(response):
            self.failures.append(Failure(self.role, sent, target, response.status_code, problem))


# --- the Hypothesis runs ------------------------------------------------------------------------------

HYPOTHESIS = {
    "deadline": None,
    "database": None,
    "phases": [Phase.explicit, Phase.generate],  # failures are recorded, not raised: nothing to shrink
    "suppress_health_check": [
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
}


def _seed_for(name: str) -> int:
    return SEED ^ zlib.crc32(name.encode())


@dataclass(frozen=True)
class Change:
    """One example: the hostile values by name, and how they go."""

    values: dict
    encoding: str = "urlencoded"
    htmx: bool = False
    with_base: bool = True  # a query: with the other parameters of its form or link


def _hostile_for(f: Field):
    return _hostile(f.values[0] if f.values else "", f.options, f.kind)


def _form_changes(form: Form, focus: str):
    by_name = {f.name: f for f in form.fields}
    others = [n for n in form.names() if n not in (focus, TOKEN)]  # a bad token: 403, nothing else

    @st.composite
    def changes(draw) -> Change:
        chosen = [focus] + (draw(st.lists(st.sampled_from(others), max_size=2, unique=True)) if others else [])
        values = {n: draw(_hostile_for(by_name[n]), label=n) for n in chosen}
        if draw(st.integers(0, 9)) == 0:  # a field no form has, hostile name and all
            values[draw(st.sampled_from([*MARKUP, *UNICODE[:4], "x" * 5_000]))] = "1"
        encoding = draw(st.sampled_from(["multipart", "urlencoded"]))
        htmx = draw(st.booleans()) if form.htmx else draw(st.integers(0, 4)) == 0
        return Change(values, encoding, htmx)

    return changes()


def _explore_form(run: Run, form: Form, label: str) -> None:
    base = [(f.name, v) for f in form.fields for v in f.values]
    names = form.names()
    by_name = {f.name: f for f in form.fields}

    # Once as it stands (a baseline: with -s and WIJKTEAM_HOSTILE_LIST=1 its answer shows whether
    # the form is valid as filled in), and once with every field (but the token) as bytes no
    # UTF-8 text holds.
    status = run.request(label, "POST", form.action, base, {})
    if LIST_TARGETS:
        print(f"\n    as it stands: {status}")
    raw = {name: _RawBytes(RAW[i % len(RAW)]) for i, name in enumerate(names) if name != TOKEN}
    run.request(label, "POST", form.action, _pairs(base, raw), raw)

    for focus in names:

        def send(change: Change) -> None:
            pairs = _pairs(base, change.values)
            run.request(label, "POST", form.action, pairs, change.values, change.encoding, change.htmx)

        test = given(change=_form_changes(form, focus))(send)
        for value in [] if focus == TOKEN else EXPLICIT[by_name[focus].kind]:
            test = example(change=Change({focus: value}))(test)
        examples = 1 if focus == TOKEN else EXAMPLES_PER_FIELD
        settings(max_examples=examples, **HYPOTHESIS)(seed(_seed_for(f"{run.role} {label} {focus}"))(test))()


def _query_changes(target: QueryTarget, kind: str):
    others = [n for n in target.known if n != target.name]

    @st.composite
    def changes(draw) -> Change:
        name = target.name
        if name is None:
            name = draw(st.sampled_from([*MARKUP, *UNICODE, *SQLISH, "x" * 5_000, "a[]", "__proto__"]))
        values = {name: draw(_hostile("1", [], kind), label=name)}
        for other in draw(st.lists(st.sampled_from(others), max_size=3, unique=True)) if others else []:
            values[other] = draw(_hostile("", []), label=other)
        return Change(values, htmx=draw(st.integers(0, 3)) == 0, with_base=draw(st.booleans()))

    return changes()


def _explore_query(run: Run, target: QueryTarget, label: str) -> None:
    def send(change: Change) -> None:
        pairs = _pairs(target.base if change.with_base else [], change.values)
        run.request(label, "GET", target.path, pairs, change.values, htmx=change.htmx)

    base_value = dict(target.base).get(target.name or "", "")
    test = given(change=_query_changes(target, Field("", [base_value]).kind if base_value else "text"))(send)
    if target.name is None:
        explicit = [{MARKUP[0]: MARKUP[1]}, {"x" * 2_000: "9" * 5_000}]
    else:
        explicit = [{target.name: value} for value in EXPLICIT_PARAMETER]
    for values in explicit:
        test = example(change=Change(values))(test)
    settings(max_examples=EXAMPLES_PER_PARAMETER, **HYPOTHESIS)(seed(_seed_for(f"{run.role} {label}"))(test))()


# --- the test -------------------------------------------------------------------------------------

SEEN: set[tuple] = set()  # (role, form or parameter) tested already by an earlier page this run
TOTALS: Counter = Counter()


def _client(world, role: str) -> Client:
    from django_otp.plugins.otp_static.models import StaticDevice

    client = Client(raise_request_exception=False, enforce_csrf_checks=True)
    if role == "anonymous":
        return client
    if role == "unverified":  # password only; has a second factor to verify
        user = world["professional"]
        StaticDevice.objects.get_or_create(user=user, name="hostile", defaults={"confirmed": True})
    elif role == "unverified_without_device":
        user = make_professional(world["case"].team)
    else:
        assert client.login(username=world[role].username, password=PASSWORD)
        return client
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture(autouse=True)
def _quiet_refusals():
    """Thousands of refused requests (400, 403, 404) would each log a warning, and every
    suspicious operation (too many fields, a bad host) an error; a server error still logs."""
    quiet = {"django.request": logging.ERROR, "django.security": logging.CRITICAL, "axes": logging.ERROR}
    loggers = [logging.getLogger(name) for name in quiet]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(quiet[logger.name])
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture(scope="module", autouse=True)
def _summary():
    yield
    if TOTALS:
        print(
            f"\nhostile input, all pages: {TOTALS['requests']} requests, {TOTALS['forms']} forms, "
            f"{TOTALS['parameters']} query parameters; "
            + ", ".join(f"{k} {TOTALS[k]}" for k in ("2xx", "3xx", "4xx", "5xx"))
            + " ("
            + ", ".join(f"{k} {v}" for k, v in sorted(TOTALS.items()) if k.isdigit())
            + f"); {TOTALS['echoes']} answers echo the markup; {TOTALS['failures']} failing requests; seed {SEED}"
        )


@pytest.mark.parametrize(("role", "key"), [pytest.param(role, key, id=f"{key}-{role}") for role, key in PAGES])
def test_hostile_input_never_crashes_nor_injects(world, role, key):
    started = time.monotonic()
    client = _client(world, role)
    page = _url(key, ARGS.get(key, lambda _world: [])(world))
    response = client.get(page)
    assert response.status_code == 200, f"GET {page} as {role}: the page to read forms from"
    forms, links = _read_page(page, response.content.decode())
    allowed = {_url(k, ARGS.get(k, lambda _world: [])(world)) for r, k in PAGES if r == role}

    run = Run(client, role)
    form_count = parameter_count = 0
    for form in _form_targets(forms):
        identity = (role, form.action, tuple(sorted(form.names())))
        if identity in SEEN:
            continue
        SEEN.add(identity)
        form_count += 1
        if LIST_TARGETS:
            print(f"\n  form {role} POST {form.action}: {', '.join(form.names())}")
        _explore_form(run, form, f"POST {form.action} (form on {page})")

    # Once: the page with bytes no UTF-8 text holds, in a name and in values.
    raw = [("q", _RawBytes(b"\xed\xa0\x80")), (_RawBytes(b"\xff\xed\xa0\x80"), "1"), ("x", _RawBytes(b"%\xc0\xaf"))]
    run.request(f"GET {page} (raw bytes)", "GET", page, raw, dict(raw))
    for target in _query_targets(page, forms, links, allowed):
        identity = (role, target.path, target.name)
        if identity in SEEN:
            continue
        SEEN.add(identity)
        parameter_count += 1
        if LIST_TARGETS:
            print(f"\n  parameter {role} GET {target.path}?{target.name}")
        _explore_query(run, target, f"GET {target.path}?{target.name or '<hostile name>'}=")

    requests = sum(v for k, v in run.statuses.items() if k.endswith("xx"))
    TOTALS.update(run.statuses)
    TOTALS.update({"requests": requests, "forms": form_count, "parameters": parameter_count})
    TOTALS["failures"] += len(run.failures)
    print(
        f"\nhostile {role} {key}: {form_count} forms, {parameter_count} query parameters, {requests} requests "
        + " ".join(f"{k}={v}" for k, v in sorted(run.statuses.items()) if not k.isdigit())
        + f" failures={len(run.failures)} {time.monotonic() - started:.1f}s"
    )
    if run.failures:
        pytest.fail(_report(run.failures), pytrace=False)


def _report(failures: list[Failure]) -> str:
    """Each failing target and kind of failure once (how often, with which fields changed), and
    its first failing request in full."""
    grouped: dict[tuple, list[Failure]] = {}
    for failure in failures:
        problem = re.sub(r"\d{3,}", "N", failure.problem)  # one line per kind, not per id or length
        grouped.setdefault((failure.target, problem), []).append(failure)
    lines = [f"{len(failures)} failing requests, {len(grouped)} kinds (seed {SEED}):"]
    for (target, _problem), group in grouped.items():
        first = group[0]
        field_sets = list(dict.fromkeys(", ".join(f"{n!r:.40}" for n in f.sent.changed) for f in group))
        changed = "; ".join(f"{name!r:.60} = {_shape(value)}" for name, value in first.sent.changed.items())
        lines.append(
            f"- {first.role}: {target} x{len(group)}: {first.problem}\n"
            f"    fields changed: {' | '.join(field_sets[:6])}\n"
            f"    first: {first.sent.method} {first.sent.path} ({first.sent.encoding}"
            f"{', htmx' if first.sent.htmx else ''}) with {changed}"
        )
    return "\n".join(lines)


# --- the instruments themselves -------------------------------------------------------------------


def test_the_injection_finder_tells_escaped_from_unescaped():
    def found(body: str) -> list[str]:
        finder = _InjectionFinder()
        finder.feed(body)
        return finder.found

    assert found('<p>"><img src=x onerror=hostile()></p>') != []
    assert found("<div><script>hostile()</script></div>") != []
    assert found('<a href="javascript:hostile()">x</a>') != []
    assert found('<div hx-on:click="hostile()">x</div>') != []
    assert found('<input value="&quot;&gt;&lt;img src=x onerror=hostile()&gt;">') == []
    assert found("<p>&lt;script&gt;hostile()&lt;/script&gt;</p>") == []
    assert found('<script type="application/json">{"q": "hostile()"}</script>') == []


def test_the_page_reader_sends_what_a_browser_sends():
    forms, links = _read_page(
        "/p/",
        """<form method="post"><input type="hidden" name="csrfmiddlewaretoken" value="t">
        <input name="a" value="1"><input type="checkbox" name="b" value="x">
        <input type="checkbox" name="b" value="y" checked><input name="c" disabled value="no">
        <select name="s"><option value="">-</option><option value="2" selected>two</option></select>
        <select name="m" multiple><option value="3">3</option></select>
        <input name="r" required><select name="rs" required><option value="">-</option><option>5</option></select>
        <textarea name="t">
text</textarea><button name="go" value="1">Go</button><button name="other">x</button></form>
        <form method="get" action="/q/"><input name="q"></form><a href="?page=2">2</a>""",
    )
    assert [(f.method, f.action) for f in forms] == [("POST", "/p/"), ("GET", "/q/")]
    assert [(f.name, f.values) for f in forms[0].fields] == [
        ("csrfmiddlewaretoken", ["t"]),
        ("a", ["1"]),
        ("b", []),
        ("b", ["y"]),
        ("s", ["2"]),
        ("m", []),
        ("r", ["Ingevuld door de test"]),  # required, shown empty: filled in as a person would
        ("rs", ["5"]),
        ("t", ["text"]),
        ("go", ["1"]),
    ]
    assert [f.kind for f in forms[0].fields][:2] == ["text", "number"]
    assert ("?page=2", None) in links
