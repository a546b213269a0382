"""The NL Design System layer in the browser: a small header with a collapsible menu on a phone,
the navigation on one row on a laptop, tap targets of at least 44 px, case cards tappable as a
whole, the vendored NLDS stylesheets served from the app and the municipality's theme applied."""

import re
from urllib.parse import urlsplit

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .conftest import LAPTOP, PHONE, assert_accessible, horizontal_overflow, login, path_of, screenshot

ROLES = ["professional", "volunteer", "coordinator", "privacy"]
TARGET = 44  # px: WCAG 2.5.5 (AAA); 2.5.8 (AA) asks 24


def _box(locator) -> dict:
    box = locator.bounding_box()
    assert box is not None, f"{locator} is not rendered"
    return box


def _rgb(hex_colour: str) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({r}, {g}, {b})"


@pytest.mark.parametrize("role", ROLES)
def test_the_header_takes_at_most_15_percent_of_a_phone_screen(browser_session, role):
    page = browser_session.new_page(PHONE)

    login(page, role)

    header = _box(page.locator("header.page-header"))
    assert header["height"] <= 0.15 * PHONE["height"], f"{role}: header is {header['height']} px tall"
    expect(page.get_by_role("button", name=re.compile("Menu"))).to_be_visible()
    expect(page.locator(".main-nav")).to_be_hidden()
    assert horizontal_overflow(page) == 0
    screenshot(page, role, "design-home")


def test_the_menu_opens_and_closes_with_the_button_and_the_keyboard(browser_session):
    page = browser_session.new_page(PHONE)
    login(page, "volunteer")
    toggle = page.locator(".menu-toggle")
    nav = page.locator(".main-nav")

    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    for link in nav.get_by_role("link").all():
        assert _box(link)["height"] >= TARGET
    page.screenshot(path=str(screenshot_path("volunteer-menu-open-390.png")))
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()

    toggle.focus()
    page.keyboard.press("Enter")
    expect(nav).to_be_visible()
    page.keyboard.press("Tab")  # into the menu: its first link
    expect(nav.get_by_role("link").first).to_be_focused()
    page.keyboard.press("Escape")
    expect(nav).to_be_hidden()
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Space")
    expect(nav).to_be_visible()


def screenshot_path(name: str):
    from .conftest import SCREENSHOT_DIR

    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR / name


def test_without_javascript_the_menu_stays_open(browser, live_server):
    """The "Menu" button needs the script; without it the button stays hidden and the menu shown."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, java_script_enabled=False)
    try:
        page = context.new_page()
        login(page, "volunteer")

        expect(page.locator(".menu-toggle")).to_be_hidden()
        expect(page.locator(".main-nav")).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("Log out|Uitloggen"))).to_be_visible()
    finally:
        context.close()


@pytest.mark.parametrize("role", ROLES)
def test_the_navigation_is_one_row_on_a_laptop(page, role):
    login(page, role)

    tops = page.eval_on_selector_all(".main-nav li", "items => items.map(item => item.offsetTop)")
    assert len(tops) >= 2 and len(set(tops)) == 1, f"{role}: nav items on rows {tops}"
    expect(page.locator(".menu-toggle")).to_be_hidden()
    assert page.eval_on_selector(".main-nav ul", "ul => ul.scrollWidth - ul.clientWidth") <= 0
    assert horizontal_overflow(page) == 0


def test_back_links_and_phone_links_are_44_px_tap_targets(browser_session):
    page = browser_session.new_page(PHONE)
    login(page, "volunteer")
    page.goto(reverse("volunteers:my_cases"))
    page.locator(".case-card__title a").first.click()
    page.wait_for_url(lambda url: re.fullmatch(r"/vrijwillig/casussen/\d+/", urlsplit(url).path) is not None)

    back = page.locator(".page-main > p:first-child > a").first
    tel = page.locator('a[href^="tel:"]')

    assert "←" in back.inner_text()
    assert _box(back)["height"] >= TARGET and _box(back)["width"] >= TARGET
    assert tel.count() >= 1
    for link in tel.all():
        box = _box(link)
        assert box["height"] >= TARGET and box["width"] >= TARGET, link.get_attribute("href")
    screenshot(page, "volunteer", "design-case")


@pytest.mark.parametrize("viewport", [PHONE, LAPTOP], ids=["phone", "laptop"])
def test_a_case_card_is_tappable_as_a_whole(browser_session, viewport):
    page = browser_session.new_page(viewport)
    login(page, "volunteer")
    page.goto(reverse("volunteers:my_cases"))
    card = page.locator(".case-card:has(.case-card__title a)").first
    href = card.locator(".case-card__title a").get_attribute("href")
    summary = card.locator("p").last  # the text, well away from the title link
    box = _box(summary)

    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)

    page.wait_for_url(lambda url: urlsplit(url).path == href)
    assert path_of(page) == href


def test_the_vendored_nlds_css_is_served_and_the_theme_colour_applies(page, settings):
    primary = settings.WIJKTEAM_THEME["primary"]
    login(page, "professional")

    hrefs = page.eval_on_selector_all("link[rel=stylesheet]", "links => links.map(link => link.href)")
    components = next(href for href in hrefs if "vendor/nlds/nlds-components" in href)
    tokens = next(href for href in hrefs if "vendor/nlds/voorbeeld-theme" in href)
    theme = next(href for href in hrefs if "/thema.css" in href)
    for href, marker in ((components, ".utrecht-button"), (tokens, "--basis-color"), (theme, primary.lower())):
        response = page.request.get(href)
        assert response.status == 200, href
        assert "text/css" in response.headers["content-type"]
        assert marker in response.text(), href
    assert (
        page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--wijkteam-color-primary')").strip()
        == primary.lower()
    )
    assert page.eval_on_selector("header.page-header", "h => getComputedStyle(h).backgroundColor") == _rgb(primary)
    primary_button = page.locator(".button--primary, .utrecht-button--primary-action").first
    if primary_button.count():
        assert primary_button.evaluate("b => getComputedStyle(b).backgroundColor") == _rgb(primary)


def test_a_municipality_sets_its_own_name_logo_and_colour(page, settings):
    settings.WIJKTEAM_THEME = {"name": "Wijkteam Overbetuwe", "primary": "#7a1f5c", "logo": "img/wijkteam-logo.svg"}

    login(page, "professional")

    expect(page.locator(".brand")).to_contain_text("Wijkteam Overbetuwe")
    assert page.eval_on_selector(".brand__logo", "img => img.naturalWidth") > 0
    assert page.eval_on_selector("header.page-header", "h => getComputedStyle(h).backgroundColor") == _rgb("#7a1f5c")
    page.screenshot(path=str(screenshot_path("professional-theme-overbetuwe-1280.png")))


@pytest.mark.parametrize("role", ROLES)
def test_home_pages_have_no_serious_axe_violations_at_both_widths(browser_session, role):
    page = browser_session.new_page(PHONE)
    login(page, role)

    assert_accessible(page)
    page.locator(".menu-toggle").click()
    assert_accessible(page)  # the open menu too
    page.set_viewport_size(LAPTOP)
    assert_accessible(page)
