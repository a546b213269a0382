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
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        assert horizontal_overflow(page) <= 0, f"the case file scrolls sideways at {viewport['width']} px"
        assert_accessible(page)
    screenshot(page, "professional", "case-file")  # at both widths
