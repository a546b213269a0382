"""Issue [15] in Chromium on a 390 x 844 phone, with the network switched off and on again
(``context.set_offline``): a home visit logged without a connection is kept on the phone,
encrypted, and sent once when the connection is back; a second send of the same draft records
nothing more; a case no longer the volunteer's refuses it without writing anything; logging out
leaves nothing in IndexedDB."""

import re

from playwright.sync_api import expect

from accounts.models import User
from cases import services
from cases.constants import MembershipRole
from cases.models import Case, CaseMembership, HomeVisit
from tests.e2e.conftest import PHONE, assert_accessible, login, screenshot
from tests.e2e.test_journeys import volunteer_slice_pk

SUMMARY = "Zonder bereik geschreven, bij mevrouw in de keuken."

# What IndexedDB holds: per draft the plain-text fields and the ciphertext as bytes. Opens the
# database only when it exists (opening creates it otherwise).
READ_DRAFTS = """async () => {
  const names = (await indexedDB.databases()).map((db) => db.name);
  if (!names.includes("wijkteam-drafts")) { return null; }
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open("wijkteam-drafts");
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  if (!db.objectStoreNames.contains("drafts")) { db.close(); return []; }
  const records = await new Promise((resolve, reject) => {
    const request = db.transaction("drafts").objectStore("drafts").getAll();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  db.close();
  return records.map((record) => ({
    id: record.id, state: record.state, keyId: record.keyId,
    fields: Object.keys(record).sort(), data: Array.from(new Uint8Array(record.data)),
  }));
}"""

SERVICE_WORKER_READY = """() => Promise.race([
  navigator.serviceWorker.ready.then(() => true),
  new Promise((resolve) => setTimeout(() => resolve(false), 10000)),
])"""

# Put a sent draft back to "waiting", as if the answer to its first send had been lost.
UNSEND = """async (id) => {
  const db = await new Promise((resolve) => {
    const request = indexedDB.open("wijkteam-drafts");
    request.onsuccess = () => resolve(request.result);
  });
  await new Promise((resolve) => {
    const store = db.transaction("drafts", "readwrite").objectStore("drafts");
    const get = store.get(id);
    get.onsuccess = () => {
      const record = get.result;
      record.state = "waiting";
      store.put(record).onsuccess = resolve;
    };
  });
  db.close();
}"""


def _eventually(page, script: str, expected, tries: int = 50):
    """What ``script`` (an async function) gives once it gives ``expected``, or at the last try:
    ``wait_for_function`` takes a promise for a truthy answer and would not wait (and its string
    evaluation is an ``eval`` the app's CSP refuses)."""
    for _try in range(tries):
        found = page.evaluate(script)
        if found == expected:
            break
        page.wait_for_timeout(100)
    return found


def _visits(volunteer) -> int:
    return HomeVisit.objects.filter(visitor=volunteer).count()


def _open_visit_form(browser_session):
    """The volunteer on a phone, the visit form of their first case open and ready to be kept on
    the phone (the session's key fetched); the service worker installed."""
    page = browser_session.new_page(PHONE)
    login(page, "volunteer")
    pk = volunteer_slice_pk()
    page.goto(f"/vrijwillig/casussen/{pk}/bezoek/")
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "true")
    assert page.evaluate(SERVICE_WORKER_READY), "the service worker did not install"
    return page, pk


def _log_visit_offline(page, summary: str = SUMMARY) -> None:
    page.fill("#id_duration_minutes", "60")
    page.locator("input[name=activities][value=conversation]").check()
    page.fill("#id_summary", summary)
    page.context.set_offline(True)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#visit-saved")).to_be_visible()


def test_a_visit_logged_offline_is_kept_encrypted_and_sent_once_when_back_online(browser_session):
    page, pk = _open_visit_form(browser_session)
    volunteer = User.objects.get(username="volunteer")
    before = _visits(volunteer)

    _log_visit_offline(page)

    expect(page.locator("#offline-drafts")).to_be_visible()
    expect(page.locator("#offline-drafts .offline-drafts__count")).to_contain_text("1")
    expect(page.locator("#offline-drafts [data-draft-state=waiting]")).to_have_count(1)
    drafts = page.evaluate(READ_DRAFTS)
    assert len(drafts) == 1
    assert drafts[0]["fields"] == ["data", "id", "iv", "keyId", "savedAt", "state"]  # no key, no plain text
    assert SUMMARY.encode() not in bytes(drafts[0]["data"])
    assert _visits(volunteer) == before
    assert_accessible(page)
    screenshot(page, "volunteer", "offline-visit-saved")

    page.context.set_offline(False)

    expect(page.locator("#offline-drafts [data-draft-state=sent]")).to_have_count(1)
    expect(page.locator("#offline-drafts .offline-drafts__count")).to_contain_text("0")
    assert _visits(volunteer) == before + 1
    assert HomeVisit.objects.filter(visitor=volunteer, case_id=pk).order_by("-pk").first().summary == SUMMARY
    assert_accessible(page)
    screenshot(page, "volunteer", "offline-visit-sent")

    # The answer to that send lost, the phone sends the same draft again: still one visit.
    page.evaluate(UNSEND, drafts[0]["id"])
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "true")
    expect(page.locator("#offline-drafts [data-draft-state=sent]")).to_have_count(1)
    assert _visits(volunteer) == before + 1


def test_a_visit_for_a_case_no_longer_the_volunteers_is_refused_and_stays_on_the_phone(browser_session):
    page, pk = _open_visit_form(browser_session)
    volunteer = User.objects.get(username="volunteer")
    before = _visits(volunteer)
    _log_visit_offline(page)
    case = Case.objects.get(pk=pk)
    responsible = CaseMembership.objects.get(case=case, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True).user
    services.consent_withdraw(actor=responsible, case=case)  # meanwhile, at the office

    page.context.set_offline(False)

    refused = page.locator("#offline-drafts [data-draft-state=refused]")
    expect(refused).to_have_count(1)
    expect(refused.locator(".offline-drafts__delete")).to_be_visible()
    assert _visits(volunteer) == before
    assert_accessible(page)
    screenshot(page, "volunteer", "offline-visit-refused")

    refused.locator(".offline-drafts__delete").click()

    expect(page.locator("#offline-drafts")).to_be_hidden()
    assert page.evaluate(READ_DRAFTS) == []


def test_without_a_connection_a_page_shows_the_offline_page_never_a_stored_one(browser_session):
    page, pk = _open_visit_form(browser_session)
    page.reload()  # now under the service worker's control
    assert _eventually(page, "() => navigator.serviceWorker.controller !== null", True)
    page.context.set_offline(True)

    page.goto(f"/vrijwillig/casussen/{pk}/")

    expect(page.locator("body")).to_have_attribute("data-offline-drafts", "offline")
    assert page.locator(".account__name").count() == 0  # the anonymous page: no name
    assert_accessible(page)
    names = page.evaluate("caches.keys()")
    cached = page.evaluate(
        "async (names) => { const urls = []; for (const name of names) {"
        " for (const request of await (await caches.open(name)).keys()) { urls.push(new URL(request.url).pathname); } }"
        " return urls; }",
        names,
    )
    assert cached and all(re.match(r"^/(static/|thema\.css$|offline/$)", url) for url in cached), cached


def test_logging_out_leaves_nothing_on_the_phone(browser_session):
    page, _pk = _open_visit_form(browser_session)
    _log_visit_offline(page)
    assert len(page.evaluate(READ_DRAFTS)) == 1
    page.context.set_offline(False)

    page.locator(".menu-toggle").click()  # on a phone the menu is folded away
    page.locator(".account form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/account/inloggen/"))

    expect(page.locator("body")).to_have_attribute("data-offline-drafts", "none")
    assert _eventually(page, READ_DRAFTS, None) is None  # no database at all
    assert page.evaluate("caches.keys()") == []
