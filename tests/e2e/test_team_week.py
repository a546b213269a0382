"""What a new user stumbled on in a team's week (issue [12]), in Debian's Chromium: the htmx
and CSS defects, each with the check that failed before its fix."""

import re

from playwright.sync_api import expect

from cases.models import MeetingDecision
from tests.e2e.conftest import LAPTOP, login, screenshot


def test_a_meeting_decision_with_an_error_can_be_sent_again(browser_session):
    """The error replaced the whole agenda item with the bare form; the next submit aimed at an
    item that was gone, and only a reload helped — with the whole team watching."""
    page = browser_session.new_page(viewport=LAPTOP)
    login(page, "professional")
    page.goto("/overleg/")
    start = page.locator("main form button[type=submit]")
    if start.count():
        start.first.click()
    page.wait_for_url(re.compile(r"/overleg/\d+/$"))
    item = page.locator("li.agenda-item:not(.agenda-item--decided)").first
    item_id = item.get_attribute("id")
    item = page.locator(f"#{item_id}")
    item.locator("a.button", has_text=re.compile(".")).first.click()
    next_step = item.locator("input[name=next_step]")
    expect(next_step).to_be_visible()
    next_step.fill("")
    item.locator("button[type=submit]").click()

    expect(item.locator(".field__error")).to_be_visible()  # the error, inside the item still there
    expect(item.locator(".agenda-item__title")).to_be_visible()
    expect(next_step).to_have_attribute("aria-invalid", "true")
    red, green, blue = map(int, re.findall(r"\d+", next_step.evaluate("el => getComputedStyle(el).borderTopColor"))[:3])
    assert red >= 150 and green < 100 and blue < 100, "the invalid field's border is not red"
    described = next_step.get_attribute("aria-describedby") or ""
    for target in described.split():
        assert page.locator(f"#{target}").count() == 1, f"aria-describedby points at a missing #{target}"
    assert described, "the error is not announced with the field"
    screenshot(page, "professional", "meeting-decision-error")

    next_step.fill("Kennismaken bij de inwoner thuis")
    item.locator("button[type=submit]").click()

    expect(item.locator(".decision")).to_contain_text("Kennismaken bij de inwoner thuis")
    case_pk = int(item_id.removeprefix("item-"))
    assert MeetingDecision.objects.filter(case_id=case_pk, next_step="Kennismaken bij de inwoner thuis").count() == 1


def test_every_help_text_is_announced_with_its_field(browser_session):
    page = browser_session.new_page(viewport=LAPTOP)
    login(page, "professional")
    page.goto("/casussen/aanmelden/")

    missing = page.evaluate(
        """() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
             el.getAttribute('aria-describedby').split(/\\s+/).filter(id => id && !document.getElementById(id))
               .map(id => `${el.name || el.id} -> #${id}`))"""
    )
    helps = page.evaluate(
        """() => [...document.querySelectorAll('.field__help[id]')].filter(help =>
             !document.querySelector(`[aria-describedby~="${help.id}"]`)).map(help => help.id)"""
    )

    assert missing == []
    assert helps == [], "help texts no field points at"


def test_roster_buttons_stay_inside_their_cell_at_1280(browser_session):
    page = browser_session.new_page(viewport=LAPTOP)
    login(page, "coordinator")
    page.goto("/coordinatie/rooster/")

    sticking_out = page.evaluate(
        """() => [...document.querySelectorAll('.roster-cell')].flatMap(cell => {
             const box = cell.getBoundingClientRect();
             return [...cell.querySelectorAll('button, select')].filter(el => {
               const r = el.getBoundingClientRect();
               return r.width && (r.right > box.right + 0.5 || r.left < box.left - 0.5);
             }).map(el => el.textContent.trim() || el.id);
           })"""
    )

    screenshot(page, "coordinator", "roster-1280")
    assert sticking_out == []


def test_the_case_file_in_the_meeting_room(browser_session):
    """Point 4: the facts first, a short in-page menu, each action one button that opens its
    form — with the keyboard too — at phone and laptop width."""
    from cases.constants import CaseStatus
    from cases.models import Case
    from tests.e2e.conftest import PHONE, assert_accessible, horizontal_overflow

    case = Case.objects.filter(team__name="Team Elst", status=CaseStatus.ACTIVE).order_by("pk").first()
    page = browser_session.new_page(viewport=LAPTOP)
    login(page, "professional")
    page.goto(f"/casussen/{case.pk}/")

    textarea = page.locator("#id_text")
    expect(textarea).to_be_hidden()  # the journal's form waits behind its button
    page.locator("#journal details.action summary").focus()
    page.keyboard.press("Enter")
    expect(textarea).to_be_visible()
    page.locator(".in-page-nav a[href='#history-h']").click()
    assert page.evaluate("location.hash") == "#history-h"
    history = page.locator("section[aria-labelledby='history-h'] details.history")
    history.locator("summary").click()  # the history loads when opened (htmx), with the reads
    expect(history.locator("table tbody tr").first).to_be_visible()
    expect(history.locator("table")).to_contain_text("ingezien")
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        assert horizontal_overflow(page) <= 0, f"the case file scrolls sideways at {viewport['width']} px"
        assert_accessible(page)
    screenshot(page, "professional", "case-file")  # at both widths


def _action(page, section: str):
    return page.locator(f"section[aria-labelledby='{section}'] details.action")


def test_an_action_form_loads_when_opened_and_works(browser_session):
    """The case file's forms with database-backed pickers load when their button opens them:
    busy while loading, then the focus on the first field; at phone and laptop width, with no
    axe violations; the loaded form posts like any other."""
    from cases.constants import CaseStatus
    from cases.models import Agreement, Case, CaseMembership
    from cases.policies import professionals_for
    from tests.e2e.conftest import PHONE, assert_accessible, horizontal_overflow

    case = Case.objects.filter(team__name="Team Elst", status=CaseStatus.ACTIVE).order_by("pk").first()
    on_case = CaseMembership.objects.filter(case=case, ended_at__isnull=True).values("user_id")
    colleague = professionals_for(case, responsible=False).exclude(pk__in=on_case).first()
    assert colleague is not None
    page = browser_session.new_page(viewport=PHONE)
    login(page, "professional")
    page.goto(f"/casussen/{case.pk}/")

    # 390 px: "Add agreement". The request is held a moment, to see the action busy meanwhile.
    held = []
    form_address = re.compile(rf"/casussen/{case.pk}/afspraken/$")
    page.route(form_address, lambda route: held.append(route))
    agreement = _action(page, "agreements-h")
    expect(agreement.locator("select[name=assignee]")).to_have_count(0)  # not on the page yet
    agreement.locator("summary").click()
    expect(agreement).to_have_attribute("aria-busy", "true")
    for _ in range(50):
        if held:
            break
        page.wait_for_timeout(100)
    assert len(held) == 1, "opening the action did not ask for its form"
    assert held[0].request.headers.get("hx-request") == "true"
    held[0].continue_()
    page.unroute(form_address)  # the form posts to the same address
    expect(agreement.locator("select[name=assignee]")).to_be_visible()
    expect(agreement).not_to_have_attribute("aria-busy", "true")
    expect(agreement.locator("#id_kind")).to_be_focused()  # the first field
    assert horizontal_overflow(page) <= 0
    assert_accessible(page)
    screenshot(page, "professional", "case-file-agreement-form")  # at both widths

    agreement.locator("#id_kind").select_option("practical")
    agreement.locator("#id_description").fill("Samen boodschappen doen")
    agreement.locator("#id_assignee").select_option(index=1)
    agreement.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/casussen/{case.pk}/#agreements-h$"))
    expect(page.locator(".alert--success")).to_be_visible()
    expect(page.locator("section[aria-labelledby='agreements-h']")).to_contain_text("Samen boodschappen doen")
    assert Agreement.objects.filter(case=case, description="Samen boodschappen doen").count() == 1

    # 1280 px: "Add or change people", opened with the keyboard.
    page.set_viewport_size(LAPTOP)
    people = _action(page, "team-h")
    people.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(people.locator("#id_responsible_person")).to_be_focused()
    expect(people.locator("#id_professional_person")).to_be_visible()
    assert horizontal_overflow(page) <= 0
    assert_accessible(page)
    screenshot(page, "professional", "case-file-people-form")

    people.locator("#id_professional_person").select_option(value=str(colleague.pk))
    people.locator(f"form[action='/casussen/{case.pk}/betrokkenen/professional/'] button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/casussen/{case.pk}/#team-h$"))
    expect(page.locator(".alert--success")).to_be_visible()
    assert CaseMembership.objects.filter(case=case, user=colleague, ended_at__isnull=True).exists()

    # Without JavaScript the same address is a page of its own (test_an_action_form_works_without_javascript).
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        page.goto(f"/casussen/{case.pk}/betrokkenen/")
        expect(page.locator("#id_volunteer_person")).to_be_visible()
        assert horizontal_overflow(page) <= 0
        assert_accessible(page)
    screenshot(page, "professional", "case-file-people-page")


def test_an_action_form_works_without_javascript(browser_session):
    """With scripting off the button still opens its details, which hold a link to the form on
    a page of its own; that page has a way back and its form posts to the case file."""
    from cases.constants import CaseStatus
    from cases.models import Case
    from socialmap.models import Offer, Referral
    from tests.e2e.conftest import PHONE

    case = Case.objects.filter(team__name="Team Elst", status=CaseStatus.ACTIVE).order_by("pk").first()
    offer = Offer.objects.get(name="Samen eten in Valburg")
    context = browser_session.browser.new_context(
        base_url=browser_session.base_url, viewport=PHONE, locale="en-US", java_script_enabled=False
    )
    browser_session.contexts.append(context)  # closed with the session's
    page = context.new_page()
    login(page, "professional")
    page.goto(f"/casussen/{case.pk}/")

    referral = _action(page, "referrals-h")
    referral.locator("summary").click()
    referral.locator(f"a[href='/sociale-kaart/verwijzing/casus/{case.pk}/formulier/']").click()
    page.wait_for_url(f"**/sociale-kaart/verwijzing/casus/{case.pk}/formulier/")
    expect(page.locator("h1")).to_contain_text(case.reference)
    expect(page.locator(f"main a[href='/casussen/{case.pk}/#referrals-h']")).to_be_visible()
    screenshot(page, "professional", "referral-form-page")
    page.select_option(f"#offer-{case.pk}", value=str(offer.pk))
    page.locator("main form button[type=submit]").click()

    page.wait_for_url(re.compile(rf"/casussen/{case.pk}/#referrals-h$"))
    expect(page.locator(".alert--success")).to_be_visible()
    assert Referral.objects.filter(case=case, offer=offer).exists()
