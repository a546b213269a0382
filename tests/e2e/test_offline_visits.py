"""Issue [15] in Chromium on a 390 x 844 phone, with the network switched off and on again
(``context.set_offline``): a home visit logged without a connection is kept on the phone,
encrypted, and sent once when the connection is back; a second send of the same draft records
nothing more; a case no longer the volunteer's refuses it without writing anything, and the
volunteer sends it to their supervising professional instead; deleting a draft asks first; a
draft with errors is opened in the form, corrected and sent; a correction kept on the phone is
sent once, or, when someone changed the visit meanwhile, opened on the conflict page of issue
[10] without overwriting anything; logging out leaves nothing in IndexedDB."""

import re
from urllib.parse import urlsplit

from django.utils import translation
from playwright.sync_api import expect

from accounts.models import User
from cases import services
from cases.constants import MembershipRole
from cases.models import Case, CaseMembership, HomeVisit, VisitNote
from tests.e2e.conftest import PHONE, assert_accessible, login, screenshot
from tests.e2e.test_journeys import volunteer_slice_pk

SUMMARY = "Zonder bereik geschreven, bij mevrouw in de keuken."
CORRECTED = "Later aangevuld: ook de buurvrouw was erbij."
THEIRS = "Vanaf de andere telefoon aangepast."

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

# Change a draft's plain-text fields in IndexedDB: put a sent draft back to "waiting" (as if the
# answer to its first send had been lost), or make it sent long ago (the next page load tidies it).
CHANGE_DRAFT = """async ([id, changes]) => {
  const db = await new Promise((resolve) => {
    const request = indexedDB.open("wijkteam-drafts");
    request.onsuccess = () => resolve(request.result);
  });
  await new Promise((resolve) => {
    const store = db.transaction("drafts", "readwrite").objectStore("drafts");
    const get = store.get(id);
    get.onsuccess = () => {
      store.put(Object.assign(get.result, changes)).onsuccess = resolve;
    };
  });
  db.close();
}"""
UNSENT = {"state": "waiting"}
LONG_AGO = {"sentAt": 0}


def _nl(msgid: str) -> str:
    """What the (Dutch) page shows for ``msgid``: its translation, or the msgid while it has none."""
    with translation.override("nl"):
        return translation.gettext(msgid)


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


def _open_form(browser_session, path: str):
    """The volunteer on a phone, the form at ``path`` open and ready to be kept on the phone
    (the session's key fetched); the service worker installed."""
    page = browser_session.new_page(PHONE)
    login(page, "volunteer")
    page.goto(path)
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "true")
    assert page.evaluate(SERVICE_WORKER_READY), "the service worker did not install"
    return page


def _open_visit_form(browser_session):
    """The visit form of the volunteer's first case (see ``_open_form``)."""
    pk = volunteer_slice_pk()
    return _open_form(browser_session, f"/vrijwillig/casussen/{pk}/bezoek/"), pk


def _open_correction_form(browser_session):
    """The correction form of the volunteer's visit on their first case (the demo world's, still
    within the correction window; see ``_open_form``)."""
    pk = volunteer_slice_pk()
    visit = HomeVisit.objects.filter(visitor__username="volunteer", case_id=pk).order_by("pk").first()
    assert visit is not None, "the demo volunteer has no visit to correct"
    path = f"/vrijwillig/casussen/{pk}/bezoek/{visit.pk}/"
    return _open_form(browser_session, path), pk, visit, path


def _save_offline(page) -> None:
    page.context.set_offline(True)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("#visit-saved")).to_be_visible()


def _draft(page, state: str):
    return page.locator(f"#offline-drafts [data-draft-state={state}]")


def _log_visit_offline(page, summary: str = SUMMARY) -> None:
    page.fill("#id_duration_minutes", "60")
    page.locator("input[name=activities][value=conversation]").check()
    page.fill("#id_summary", summary)
    _save_offline(page)


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
    page.evaluate(CHANGE_DRAFT, [drafts[0]["id"], UNSENT])
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "true")
    expect(page.locator("#offline-drafts [data-draft-state=sent]")).to_have_count(1)
    assert _visits(volunteer) == before + 1


def test_a_visit_refused_meanwhile_goes_to_the_supervising_professional_instead(browser_session):
    page, pk = _open_visit_form(browser_session)
    volunteer = User.objects.get(username="volunteer")
    before = _visits(volunteer)
    _log_visit_offline(page)
    case = Case.objects.get(pk=pk)
    responsible = CaseMembership.objects.get(case=case, role=MembershipRole.RESPONSIBLE, ended_at__isnull=True).user
    services.consent_withdraw(actor=responsible, case=case)  # meanwhile, at the office

    page.context.set_offline(False)

    refused = _draft(page, "refused")
    expect(refused).to_have_count(1)
    expect(refused.locator("[data-action=delete]")).to_be_visible()
    # The box above no longer promises a send; the list says what happened.
    expect(page.locator("#visit-saved")).to_have_attribute("data-draft-state", "refused")
    expect(page.locator("#visit-saved .visit-saved__message")).to_have_text(
        _nl("Not sent. Read what happened under “Visits on this phone”.")
    )
    expect(page.locator("#offline-drafts .offline-drafts__news")).to_contain_text(
        _nl(
            "You can no longer log visits on this case. Nothing was saved on the case. "
            "The visit is still on this phone."
        )
    )
    assert _visits(volunteer) == before
    assert_accessible(page)
    screenshot(page, "volunteer", "offline-visit-refused")

    # Without a connection the note cannot go: it says so, and the visit stays as it was.
    page.context.set_offline(True)
    refused.locator("[data-action=note]").click()
    expect(page.locator("#offline-drafts .offline-drafts__news")).to_have_text(
        _nl("No connection. The visit is still on this phone. Try again later.")
    )
    expect(refused.locator("[data-action=note]")).to_be_focused()
    page.context.set_offline(False)

    refused.locator("[data-action=note]").click()

    noted = _draft(page, "noted")
    expect(noted).to_contain_text(_nl("Sent to your supervising professional. They decide what happens with it."))
    expect(noted).to_be_focused()
    note = VisitNote.objects.get(volunteer=volunteer, case=case)
    assert (note.summary, note.duration_minutes, note.handled_at) == (SUMMARY, 60, None)
    assert _visits(volunteer) == before  # nothing on the case
    drafts = page.evaluate(READ_DRAFTS)
    assert [draft["state"] for draft in drafts] == ["noted"]
    assert_accessible(page)

    # Listed a while like a sent visit, then tidied away.
    page.evaluate(CHANGE_DRAFT, [drafts[0]["id"], LONG_AGO])
    page.goto("/")
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "true")
    assert _eventually(page, READ_DRAFTS, []) == []
    expect(page.locator("#offline-drafts")).to_be_hidden()
    assert VisitNote.objects.filter(volunteer=volunteer).count() == 1

    # At the office, the responsible professional finds it on their home page and decides.
    desk = browser_session.new_page()
    login(desk, responsible.username)
    desk.locator(f"main a[href='/casussen/bezoeknotities/{note.pk}/']").click()
    expect(desk.locator("main")).to_contain_text(SUMMARY)
    assert_accessible(desk)
    screenshot(desk, "professional", "visit-note")
    desk.locator("main form:has(input[value=logged]) button[type=submit]").click()
    expect(desk.locator("main input[name=outcome]")).to_have_count(0)
    note.refresh_from_db()
    assert note.visit.visitor == volunteer and note.visit.summary == SUMMARY
    assert _visits(volunteer) == before + 1  # now it counts as the volunteer's visit


def test_deleting_a_draft_asks_first(browser_session):
    page, _pk = _open_visit_form(browser_session)
    _log_visit_offline(page, summary="")  # the summary is required: the server answers "invalid"
    page.context.set_offline(False)
    invalid = _draft(page, "invalid")
    expect(invalid).to_have_count(1)

    invalid.locator("[data-action=delete]").click()

    expect(invalid.locator(".offline-drafts__confirm")).to_contain_text(
        _nl("Delete this visit for good? It is not on the case.")
    )
    expect(invalid.locator("[data-action=keep]")).to_be_focused()
    assert len(page.evaluate(READ_DRAFTS)) == 1  # one tap deletes nothing
    assert_accessible(page)
    screenshot(page, "volunteer", "offline-visit-delete")

    invalid.locator("[data-action=keep]").click()

    expect(invalid.locator(".offline-drafts__confirm")).to_have_count(0)
    expect(invalid.locator("[data-action=delete]")).to_be_focused()
    assert len(page.evaluate(READ_DRAFTS)) == 1

    invalid.locator("[data-action=delete]").click()
    invalid.locator("[data-action=delete-yes]").click()

    expect(page.locator("#offline-drafts [data-draft-id]")).to_have_count(0)
    expect(page.locator("#offline-drafts .offline-drafts__news")).to_have_text(_nl("Deleted from this phone."))
    expect(page.locator("#offline-drafts")).to_be_focused()
    assert page.evaluate(READ_DRAFTS) == []


def test_a_draft_with_errors_is_opened_in_the_form_corrected_and_sent(browser_session):
    page, pk = _open_visit_form(browser_session)
    volunteer = User.objects.get(username="volunteer")
    before = _visits(volunteer)
    _log_visit_offline(page, summary="")
    page.context.set_offline(False)
    invalid = _draft(page, "invalid")
    expect(invalid).to_have_count(1)
    expect(page.locator("#visit-saved")).to_have_attribute("data-draft-state", "invalid")

    invalid.locator("[data-action=open]").click()

    expect(page.locator("main form")).to_be_visible()
    expect(page.locator("#draft-opened")).to_be_focused()
    expect(page.locator("#id_duration_minutes")).to_have_value("60")  # the draft's fields are back
    expect(page.locator("input[name=activities][value=conversation]")).to_be_checked()
    page.fill("#id_summary", SUMMARY)
    page.locator("main form button[type=submit]").click()

    page.wait_for_url(lambda url: urlsplit(url).path == f"/vrijwillig/casussen/{pk}/")
    assert _visits(volunteer) == before + 1
    assert HomeVisit.objects.filter(visitor=volunteer).order_by("-pk").first().summary == SUMMARY
    assert _eventually(page, READ_DRAFTS, []) == []  # the draft made way for the sent visit


def test_a_correction_kept_on_the_phone_is_sent_once_when_back_online(browser_session):
    page, _pk, visit, _path = _open_correction_form(browser_session)
    page.fill("#id_summary", CORRECTED)
    _save_offline(page)
    expect(page.locator("#visit-saved .visit-saved__message")).to_have_text(
        _nl("Correction saved on this phone, will be sent when there is a connection.")
    )
    expect(_draft(page, "waiting")).to_have_count(1)
    drafts = page.evaluate(READ_DRAFTS)

    page.context.set_offline(False)

    expect(_draft(page, "sent")).to_have_count(1)
    expect(page.locator("#visit-saved")).to_have_attribute("data-draft-state", "sent")
    changed = HomeVisit.objects.get(pk=visit.pk)
    assert (changed.summary, changed.version) == (CORRECTED, visit.version + 1)

    # The answer to that send lost, the phone sends the same correction again: nothing changes.
    page.evaluate(CHANGE_DRAFT, [drafts[0]["id"], UNSENT])
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-offline-ready", "true")
    expect(_draft(page, "sent")).to_have_count(1)
    assert HomeVisit.objects.get(pk=visit.pk).version == visit.version + 1


def test_a_correction_of_a_visit_changed_meanwhile_opens_the_conflict_page(browser_session):
    page, pk, visit, path = _open_correction_form(browser_session)
    page.fill("#id_summary", CORRECTED)
    _save_offline(page)
    volunteer = User.objects.get(username="volunteer")
    # Meanwhile the same volunteer corrects the visit on another phone.
    services.home_visit_correct(actor=volunteer, visit=visit, expected_version=visit.version, summary=THEIRS)

    page.context.set_offline(False)

    conflict = _draft(page, "conflict")
    expect(conflict).to_contain_text(_nl("Someone changed this visit meanwhile. Open it to compare."))
    assert (HomeVisit.objects.get(pk=visit.pk).summary, HomeVisit.objects.get(pk=visit.pk).version) == (
        THEIRS,
        visit.version + 1,
    )
    assert_accessible(page)
    screenshot(page, "volunteer", "offline-visit-conflict")

    page.goto(f"/vrijwillig/casussen/{pk}/")  # the list is on every page; Open leads to the form
    _draft(page, "conflict").locator("[data-action=open]").click()

    page.wait_for_url(lambda url: urlsplit(url).path == path)
    expect(page.locator("#draft-opened")).to_be_visible()
    expect(page.locator("#id_summary")).to_have_value(CORRECTED)
    expect(page.locator("main form input[name=version]")).to_have_value(str(visit.version))  # the old one
    page.locator("main form button[type=submit]").click()

    expect(page.locator("#conflict-h")).to_have_text(_nl("Someone else saved this in the meantime"))
    expect(page.locator("main form table")).to_contain_text(THEIRS)
    expect(page.locator("main form table")).to_contain_text(CORRECTED)
    saved = HomeVisit.objects.get(pk=visit.pk)
    assert (saved.summary, saved.version) == (THEIRS, visit.version + 1)  # nothing overwritten
    assert page.evaluate(READ_DRAFTS) == []  # what was on the phone is in the form now


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
    # Back online, but the draft cannot get through yet (server trouble): it is still waiting
    # when the volunteer logs out -- and no send is under way while the page goes.
    page.route("**/bezoek/verzenden/", lambda route: route.abort())
    page.context.set_offline(False)
    expect(_draft(page, "waiting")).to_have_count(1)

    page.locator(".menu-toggle").click()  # on a phone the menu is folded away
    page.locator(".account form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/account/inloggen/"))

    expect(page.locator("body")).to_have_attribute("data-offline-drafts", "none")
    assert _eventually(page, READ_DRAFTS, None) is None  # no database at all
    assert page.evaluate("caches.keys()") == []
