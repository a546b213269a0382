"""Browser journeys over the demo world, in Debian's Chromium.

Every page of every demo role is walked and checked for accessibility (axe, WCAG 2.1 A/AA:
serious and critical violations fail), Dutch by default, and photographed at phone and laptop
width (test-output/screenshots/). Then the journeys that cross roles: closing a case ends the
volunteer's access, the language switch, and the volunteer pages on a phone.
"""

import re

from playwright.sync_api import expect

from accounts.models import User
from cases.constants import CaseStatus
from cases.models import Case, HomeVisit
from cases.permissions import CaseAction, cases_for
from cases.policies import open_questions, proposals
from tests.e2e.conftest import NL, PHONE, PageWalk, login, path_of

# --- the demo world, found through the ORM ---------------------------------------------------


def team_elst_active_case() -> Case:
    return Case.objects.filter(team__name="Team Elst", status=CaseStatus.ACTIVE).order_by("pk").first()


def volunteer_slice_pk(username: str = "volunteer") -> int:
    case = cases_for(User.objects.get(username=username), CaseAction.VIEW_SLICE).order_by("pk").first()
    assert case is not None, f"demo volunteer {username!r} has no case slice"
    return case.pk


def volunteer_pages() -> list[tuple[str, str, object]]:
    """(name, url, heading) of every page demo user ``volunteer`` has. Needs the demo world."""
    volunteer = User.objects.get(username="volunteer")
    pk = volunteer_slice_pk()
    pages = [
        ("home", "/", "Welkom"),
        ("my-cases", "/vrijwillig/casussen/", "Mijn casussen"),
        ("case-slice", f"/vrijwillig/casussen/{pk}/", "Casus"),
        ("visit-new", f"/vrijwillig/casussen/{pk}/bezoek/", NL("Log a home visit")),
        ("board", "/vrijwillig/open-vragen/", NL("Open questions of my team")),
        ("alarm", "/vrijwillig/alarm/", NL("Raise the alarm")),
        ("hours", "/vrijwillig/uren/", NL("My hours")),
    ]
    visit = HomeVisit.objects.filter(case_id=pk, visitor=volunteer).order_by("pk").first()
    if visit is not None:
        pages.insert(4, ("visit-edit", f"/vrijwillig/casussen/{pk}/bezoek/{visit.pk}/", NL("Correct a home visit")))
    question = open_questions.scope(volunteer).order_by("pk").first()
    if question is not None:
        pages.append(("board-answer", f"/vrijwillig/open-vragen/{question.pk}/", question.resident.village.name))
    proposal = proposals.scope(volunteer).order_by("pk").first()  # seed_demo leaves one open (R7)
    assert proposal is not None, "demo volunteer has no open proposal"
    pages.append(("proposal", f"/vrijwillig/voorstellen/{proposal.pk}/", NL("Do you know this resident?")))
    return pages


# --- every page of every role -----------------------------------------------------------------


def test_anonymous_pages(page):
    """Journey: someone not logged in sees the login page, and an unknown address shows the
    Dutch 404 page."""
    walk = PageWalk(page, "anonymous")
    walk.visit("login", "/account/inloggen/", "Inloggen")
    walk.visit("404", "/bestaat-niet/", "Pagina niet gevonden", status=404)
    walk.finish()


def test_professional_pages(page):
    """Journey: the professional (social worker, Team Elst) walks home, the team's case list,
    the intake form, a case file with its edit, resident, transfer and close forms, and the
    weekly meeting (start page, agenda, one decision, minutes)."""
    case = team_elst_active_case()
    assert case is not None, "the demo world has no active Team Elst case"
    login(page, "professional")
    walk = PageWalk(page, "professional")
    walk.visit("home", "/", "Welkom")
    walk.visit("case-list", "/casussen/", "Casussen van mijn team")
    walk.visit("intake", "/casussen/aanmelden/", NL("Register a request for help"))
    walk.visit("case-file", f"/casussen/{case.pk}/", "Casus")
    walk.visit("case-edit", f"/casussen/{case.pk}/bewerken/", NL("Edit case"))
    walk.visit("resident-edit", f"/casussen/{case.pk}/inwoner/", NL("Resident's details"))
    walk.visit("case-transfer", f"/casussen/{case.pk}/overdragen/", NL("Transfer case"))
    walk.visit("case-close", f"/casussen/{case.pk}/afsluiten/", "Casus afsluiten")
    walk.visit("meeting-start", "/overleg/", NL("Weekly meeting"))
    if path_of(page) == "/overleg/":  # no meeting this week yet: open it (else /overleg/ showed the agenda)
        page.locator("main form[method=post] button[type=submit]").click()
        page.wait_for_url(re.compile(r"/overleg/\d+/$"))
    walk.check("meeting-agenda", NL("Weekly meeting"))
    agenda = path_of(page)
    decide = page.locator("ol.agenda a.button").first
    if decide.count():
        walk.visit("meeting-decision", decide.get_attribute("href"), NL("Decision on case"))
    walk.visit("meeting-minutes", f"{agenda}notulen/", NL("Minutes"))
    walk.finish()


def test_volunteer_pages(page):
    """Journey: the volunteer (Team Elst) walks home, their cases, one assigned case slice, the
    home-visit form (new and correcting), the open-questions board (and one answer), the alarm
    and their hours."""
    login(page, "volunteer")
    walk = PageWalk(page, "volunteer")
    for name, url, heading in volunteer_pages():
        walk.visit(name, url, heading)
    walk.finish()


def test_coordinator_pages(page):
    """Journey: the coordinator of Team Elst sees the home page with their volunteer staff."""
    login(page, "coordinator")
    walk = PageWalk(page, "coordinator")
    walk.visit("home", "/", "Welkom")
    expect(page.locator("#my-volunteers")).to_be_visible()
    walk.finish()


# --- journeys across roles ----------------------------------------------------------------------


def test_closing_a_case_ends_the_volunteers_access(browser_session):
    """Journey: the professional closes a case through the close form (outcome, closing note)
    and sees the Dutch success message; the volunteer who was assigned to it then gets the
    404 page on its slice, and it is gone from their list."""
    pk = (
        cases_for(User.objects.get(username="volunteer"), CaseAction.VIEW_SLICE)
        .filter(status=CaseStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    assert pk is not None, "demo user 'volunteer' has no active case"
    slice_url = f"/vrijwillig/casussen/{pk}/"

    volunteer = browser_session.new_page()
    login(volunteer, "volunteer")
    assert volunteer.goto(slice_url).status == 200

    professional = browser_session.new_page()
    login(professional, "professional")
    professional.goto(f"/casussen/{pk}/")
    professional.get_by_role("link", name="Casus afsluiten").click()
    professional.wait_for_url(f"**/casussen/{pk}/afsluiten/")
    professional.select_option("#id_outcome", "resolved")
    professional.fill("#id_closing_note", "Vraag beantwoord; inwoner redt het weer zelf.")
    professional.locator("main form button[type=submit]").click()
    professional.wait_for_url(f"**/casussen/{pk}/")
    expect(professional.locator(".messages")).to_contain_text(
        "De casus is afgesloten. Vrijwillig medewerkers hebben geen toegang meer."
    )
    assert Case.objects.get(pk=pk).status == CaseStatus.CLOSED

    response = volunteer.goto(slice_url)
    assert response.status == 404
    expect(volunteer.locator("h1")).to_have_text("Pagina niet gevonden")
    volunteer.goto("/vrijwillig/casussen/")
    expect(volunteer.locator(f'a[href="{slice_url}"]')).to_have_count(0)


def test_language_switch(page):
    """Journey: a logged-in user switches to English with the switch at the bottom of the page,
    sees English ("Log out") on the same page, and switches back to Dutch."""
    login(page, "volunteer")
    page.goto("/vrijwillig/casussen/")
    footer = page.locator("footer")

    footer.locator("select").select_option("en")
    footer.locator("button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator("h1")).to_have_text("My cases")
    assert path_of(page) == "/vrijwillig/casussen/"

    footer.locator("select").select_option("nl")
    footer.locator("button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible()
    expect(page.locator("h1")).to_have_text("Mijn casussen")
    assert path_of(page) == "/vrijwillig/casussen/"


def test_volunteer_pages_fit_a_phone(browser_session):
    """Journey: the volunteer on a phone (390×844): no page of theirs scrolls sideways."""
    page = browser_session.new_page(viewport=PHONE)
    login(page, "volunteer")
    too_wide = []
    for name, url, _heading in volunteer_pages():
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide.append(f"{name} {url}: scrollWidth {width}px > {PHONE['width']}px")
    assert not too_wide, "volunteer pages scroll sideways on a phone:\n" + "\n".join(too_wide)
