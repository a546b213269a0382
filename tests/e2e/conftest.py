"""Browser journeys with Playwright and Debian's Chromium, against pytest-django's live server.

One Chromium per test session, a fresh browser context (cookies, viewport) per test. Every test
starts from the demo world of ``seed_demo`` on top of the reference data of the data migrations,
which the flush after each live-server test wipes.

Without /usr/bin/chromium the tests here are skipped; with WIJKTEAM_E2E_REQUIRED=1 (CI) they fail.
No browser is ever downloaded and nothing is loaded from outside the live server.
"""

import importlib
import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import axe_playwright_python
import django.apps
import pytest
from django.core.management import call_command

E2E_DIR = Path(__file__).resolve().parent
REPO_DIR = E2E_DIR.parent.parent
SCREENSHOT_DIR = REPO_DIR / "test-output" / "screenshots"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_MISSING = f"Chromium not found at {CHROMIUM}: apt-get install chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1280, "height": 800}
VIEWPORTS = (PHONE, LAPTOP)

AXE_JS = Path(axe_playwright_python.__file__).resolve().parent / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

DEFAULT_TIMEOUT_MS = 10_000


def _e2e_required() -> bool:
    return os.environ.get("WIJKTEAM_E2E_REQUIRED") == "1"


def _is_e2e(item) -> bool:
    return E2E_DIR in Path(item.path).resolve().parents


def pytest_collection_modifyitems(config, items):
    """Mark every test in tests/e2e as ``e2e``; skip them all when there is no Chromium
    (unless CI requires them: then the ``browser`` fixture fails them)."""
    skip = None if CHROMIUM.exists() or _e2e_required() else pytest.mark.skip(reason=CHROMIUM_MISSING)
    for item in items:
        if _is_e2e(item):
            item.add_marker(pytest.mark.e2e)
            if skip is not None:
                item.add_marker(skip)


# --- the database: transactional (live server), reference data and the demo world -----------


@pytest.fixture(autouse=True)
def _db_for_all(transactional_db):
    """Overrides tests/conftest.py: the live server runs in another thread, so the test's data
    must be committed (transactional_db) rather than held in a rolled-back transaction."""


@pytest.fixture(autouse=True)
def demo_world(_db_for_all, settings):
    """Reference data of the data migrations (the previous test's flush wiped it), the role
    permissions and the demo world. DEBUG is on only while seeding: the live server must
    render the real error pages, not Django's debug pages."""
    from django.contrib.auth.models import Group

    from accounts.roles import Role, sync_role_permissions

    for role in Role:  # the role groups of the data migrations (0002, 0005)
        Group.objects.get_or_create(name=role.value)
    importlib.import_module("cases.migrations.0002_reference_data").create(django.apps.apps, None)
    sync_role_permissions()
    debug = settings.DEBUG
    settings.DEBUG = True
    try:
        call_command("seed_demo", stdout=io.StringIO())
    finally:
        settings.DEBUG = debug


# --- the browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole session."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM_MISSING} (WIJKTEAM_E2E_REQUIRED=1: browser tests may not be skipped)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; the ORM refuses to run
    # there otherwise. Only while browser tests run, never for the rest of the suite.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


class BrowserSession:
    """Opens browser contexts on the live server; records what must not happen in any of them:
    requests that leave the live server (a CDN, say) and uncaught JavaScript errors."""

    def __init__(self, browser, base_url: str):
        self.browser = browser
        self.base_url = base_url
        self.origin = "{0.scheme}://{0.netloc}".format(urlsplit(base_url))
        self.contexts = []
        self.outside_requests: list[str] = []
        self.page_errors: list[str] = []
        self.other_sites: list[str] = []  # sites a journey visits on purpose (an identity provider)

    def allow_site(self, origin: str) -> None:
        """Let the browser visit ``origin`` (the test identity provider). That site's own assets
        stay blocked, without counting against the app: only the app's pages must not reach out."""
        self.other_sites.append(origin)

    def new_page(self, viewport: dict | None = None):
        # An English browser on purpose: the app is Dutch unless the language switch says otherwise.
        context = self.browser.new_context(base_url=self.base_url, viewport=viewport or LAPTOP, locale="en-US")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.route("**/*", self._only_live_server)
        self.contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        page.on("console", lambda message: self._csp_violation(page, message))
        return page

    def _csp_violation(self, page, message) -> None:
        """The app must work under its own Content-Security-Policy: a violation fails the test."""
        if message.type == "error" and "Content Security Policy" in message.text:
            self.page_errors.append(f"{page.url}: CSP violation: {message.text}")

    def _only_live_server(self, route):
        url = route.request.url
        allowed = (self.origin + "/", "data:", "blob:", *(site + "/" for site in self.other_sites))
        if url.startswith(allowed) or url == self.origin:
            route.continue_()
        else:
            if not self._asked_by_another_site(route.request):
                self.outside_requests.append(url)
            route.abort()

    def _asked_by_another_site(self, request) -> bool:
        try:
            frame_url = request.frame.url
        except Exception:  # a request without a frame (a service worker's): the app's
            return False
        return any(frame_url.startswith(site + "/") for site in self.other_sites)

    def close(self):
        for context in self.contexts:
            context.close()


@pytest.fixture
def browser_session(browser, live_server):
    session = BrowserSession(browser, live_server.url)
    yield session
    session.close()
    assert not session.outside_requests, f"requests outside the live server: {session.outside_requests}"
    assert not session.page_errors, f"JavaScript errors: {session.page_errors}"


@pytest.fixture
def page(browser_session):
    """A page in a fresh context at laptop width."""
    return browser_session.new_page()


# --- helpers ---------------------------------------------------------------------------------


def path_of(page) -> str:
    return urlsplit(page.url).path


def login(page, username: str) -> None:
    """Log in through the login form with the demo password and the demo account's current
    TOTP code (the real second step), and wait for the home page."""
    from django_otp.oath import totp

    from wijkteam import demo

    page.goto("/account/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", demo.PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/account/verificatie/")
    page.fill("#id_token", f"{totp(bytes.fromhex(demo.totp_key(username))):06d}")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: urlsplit(url).path == "/")


def axe_violations(page) -> list[dict]:
    """axe-core (from the installed axe_playwright_python package) over WCAG 2.1 A and AA;
    the violations whose impact is serious or critical."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol: the app's CSP (no inline scripts) stays on.
        page.evaluate(AXE_JS.read_text(encoding="utf-8") + "\n;void 0")
    results = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})",
        AXE_TAGS,
    )
    return [violation for violation in results["violations"] if violation["impact"] in BLOCKING_IMPACTS]


def format_violations(violations: list[dict], url: str) -> str:
    """One line per violation (impact, rule id, help, page), then one line per offending node
    (its selector and the start of its HTML)."""
    lines = []
    for violation in violations:
        lines.append(f"[{violation['impact']}] {violation['id']}: {violation['help']} at {url}")
        for node in violation["nodes"]:
            html = " ".join(node.get("html", "").split())[:160]
            lines.append(f"    -> {' '.join(node['target'])}: {html}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail the test on every serious or critical axe violation on the current page."""
    violations = axe_violations(page)
    if violations:
        pytest.fail("axe found serious or critical violations:\n" + format_violations(violations, page.url))


def screenshot(page, role: str, name: str) -> list[Path]:
    """Full-page PNGs at phone and laptop width: test-output/screenshots/<role>-<page>-<width>.png.
    The page keeps the viewport it had."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    paths = []
    try:
        for viewport in VIEWPORTS:
            page.set_viewport_size(viewport)
            path = SCREENSHOT_DIR / f"{role}-{name}-{viewport['width']}.png"
            page.screenshot(path=str(path), full_page=True)
            paths.append(path)
    finally:
        page.set_viewport_size(original)
    return paths


def horizontal_overflow(page) -> int:
    """How many pixels the page is wider than the viewport (0: no horizontal scroll)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


class NL:
    """A heading given by its English msgid: the page must show its Dutch translation, and the
    Dutch catalogue (locale/nl) must have one."""

    def __init__(self, msgid: str):
        self.msgid = msgid

    def dutch(self) -> str | None:
        from django.utils import translation

        with translation.override("nl"):
            text = translation.gettext(self.msgid)
        return None if text == self.msgid else text


class PageWalk:
    """Walks the pages of one role and checks each one: HTTP status, Dutch (``html[lang=nl]``
    and a Dutch heading), axe (serious and critical violations, at phone and laptop width) and
    full-page screenshots at both widths. Collects every problem and fails once at the end, so
    one report lists all pages."""

    def __init__(self, page, role: str):
        self.page = page
        self.role = role
        self.problems: list[str] = []
        self.visited: list[str] = []

    def visit(self, name: str, url: str, heading, status: int = 200) -> None:
        response = self.page.goto(url)
        if response is None or response.status != status:
            self.problems.append(f"{self.role}/{name} {url}: HTTP {response and response.status}, expected {status}")
        self.check(name, heading)

    def check(self, name: str, heading) -> None:
        """Check the page the browser shows now."""
        page, where = self.page, f"{self.role}/{name} {path_of(self.page)}"
        self.visited.append(where)
        lang = page.get_attribute("html", "lang")
        if lang != "nl":
            self.problems.append(f"{where}: html lang is {lang!r}, expected 'nl'")
        expected = heading.dutch() if isinstance(heading, NL) else heading
        h1 = page.locator("h1").first.inner_text() if page.locator("h1").count() else ""
        if expected is None:
            self.problems.append(
                f"{where}: heading {h1!r} is not Dutch: no nl translation of msgid {heading.msgid!r} in locale/nl"
            )
        elif expected not in h1:
            self.problems.append(f"{where}: heading {h1!r} does not contain the Dutch {expected!r}")
        original = page.viewport_size
        seen = set()
        for viewport in VIEWPORTS:
            page.set_viewport_size(viewport)
            for violation in axe_violations(page):
                key = (violation["id"], tuple(" ".join(node["target"]) for node in violation["nodes"]))
                if key not in seen:
                    seen.add(key)
                    self.problems.append(
                        f"{where} (width {viewport['width']}): " + format_violations([violation], page.url)
                    )
        page.set_viewport_size(original)
        screenshot(page, self.role, name)

    def finish(self) -> None:
        if self.problems:
            pytest.fail(
                f"{len(self.problems)} problem(s) on {len(self.visited)} page(s):\n" + "\n".join(self.problems),
                pytrace=False,
            )
