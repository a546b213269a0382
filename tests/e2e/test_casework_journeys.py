"""The casework journeys of issues [3] and [4], in Debian's Chromium, with screenshots.

* A professional registers a request for help, the weekly meeting decides on it with a
  volunteer, the volunteer (on a phone) sees the proposal - name and street - and accepts it,
  a journal entry is added without a page reload, and the case is closed.
* Volunteer staff, on a 390 x 844 phone, log a home visit with a follow-up appointment (which
  then shows in "Deze week" on their home page) and raise the alarm; the supervising
  professional sees the alarm on their home page.
* A professional, on a phone, learns that another team knows a resident ("that, not what").
"""

import datetime
import re

from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import User
from cases.constants import CaseStatus, MembershipRole
from cases.models import Alarm, Case, CaseMembership, HomeVisit, JournalEntry, MeetingDecision
from cases.selectors import residents_for
from tests.e2e.conftest import PHONE, assert_accessible, horizontal_overflow, login, screenshot


def test_intake_to_meeting_decision_to_journal_to_close(browser_session):
    """Journey [3]: intake -> weekly meeting decision with a volunteer -> journal entry -> close."""
    page = browser_session.new_page()
    login(page, "professional")

    # Intake: a new resident in Elst (Team Elst), consent yes.
    page.goto("/casussen/aanmelden/")
    page.locator("details.new-resident summary").click()
    page.fill("#id_resident-first_name", "Hendrika")
    page.fill("#id_resident-last_name", "Brugman")
    page.fill("#id_resident-date_of_birth", "1941-06-30")
    page.fill("#id_resident-street", "Stationsstraat")
    page.fill("#id_resident-house_number", "8")
    page.fill("#id_resident-postcode", "6661 XY")
    page.select_option("#id_resident-village", label="Elst")
    page.locator("input[name=domains]").first.check()
    page.fill("#id_request_for_help", "Weduwe, komt weinig buiten en wil graag aanspraak.")
    page.fill("#id_volunteer_summary", "Zoekt gezelschap en een activiteit in het dorp.")
    page.locator("input[name=consent_answer][value=yes]").check()
    assert_accessible(page)
    screenshot(page, "professional", "journey-intake")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"/casussen/\d+/$"))
    case = Case.objects.get(resident__last_name="Brugman")
    assert case.status == CaseStatus.NEW and case.team.name == "Team Elst"

    # The weekly meeting: open it, decide on the new case with the suggested volunteer.
    page.goto("/overleg/")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/overleg/\d+/$"))
    item = page.locator(f"#item-{case.pk}")
    expect(item).to_be_visible()
    item.locator("a.button").click()  # htmx loads the decision form in place
    volunteer = User.objects.get(username="volunteer")
    volunteer_select = item.locator("select[name=volunteer]")
    expect(volunteer_select).to_be_visible()
    volunteer_select.select_option(value=str(volunteer.pk))
    item.locator("input[name=next_step]").fill("Kennismakingsbezoek met vrijwillig medewerker")
    assert_accessible(page)
    screenshot(page, "professional", "journey-meeting-decision")
    item.locator("button[type=submit]").click()
    decided = page.locator(f"#item-{case.pk}.agenda-item--decided")
    expect(decided).to_contain_text("Kennismakingsbezoek")
    decision = MeetingDecision.objects.get(case=case)
    assert decision.volunteer == volunteer
    case.refresh_from_db()
    assert case.status == CaseStatus.ACTIVE
    membership = CaseMembership.objects.get(case=case, user=volunteer, role=MembershipRole.VOLUNTEER)
    assert membership.accepted_at is None  # proposed: the volunteer answers first (R7)

    # The volunteer, on a phone, sees who the resident is (name and street only) and accepts.
    volunteer_page = browser_session.new_page(PHONE)
    login(volunteer_page, "volunteer")
    assert volunteer_page.goto(f"/vrijwillig/casussen/{case.pk}/").status == 404  # no slice yet
    volunteer_page.goto("/vrijwillig/casussen/")
    proposals = volunteer_page.locator("section.proposals")
    expect(proposals).to_contain_text("Hendrika Brugman")
    expect(proposals).to_contain_text("Stationsstraat")
    expect(proposals).not_to_contain_text("6661 XY")
    assert_accessible(volunteer_page)
    screenshot(volunteer_page, "volunteer", "journey-proposals")
    proposals.locator(f'a[href="/vrijwillig/voorstellen/{membership.pk}/"]').click()
    volunteer_page.wait_for_url(f"**/vrijwillig/voorstellen/{membership.pk}/")
    main = volunteer_page.locator("main")
    expect(main).to_contain_text("Hendrika Brugman")
    for hidden in ("6661 XY", "Weduwe", "Zoekt gezelschap", "1941"):
        expect(main).not_to_contain_text(hidden)
    assert horizontal_overflow(volunteer_page) == 0
    assert_accessible(volunteer_page)
    screenshot(volunteer_page, "volunteer", "journey-proposal")
    volunteer_page.locator('form[action$="/aannemen/"] button[type=submit]').click()
    volunteer_page.wait_for_url(f"**/vrijwillig/casussen/{case.pk}/")
    expect(volunteer_page.locator("h1")).to_contain_text("Hendrika Brugman")
    membership.refresh_from_db()
    assert membership.accepted_at is not None

    # A journal entry shared with the volunteer, added without leaving the page.
    page.goto(f"/casussen/{case.pk}/")
    page.locator("#journal details.action summary").click()  # one action at a time: the form opens
    page.fill("#id_text", "Eerste kennismaking gepland voor donderdag.")
    page.select_option("#id_visibility", value="shared")
    page.locator("#journal button[type=submit]").click()
    expect(page.locator("#journal")).to_contain_text("Eerste kennismaking gepland voor donderdag.")
    assert JournalEntry.objects.filter(case=case, visibility="shared").exists()
    screenshot(page, "professional", "journey-case-file")

    # Close the case: the volunteer's access ends.
    page.goto(f"/casussen/{case.pk}/afsluiten/")
    page.select_option("#id_outcome", value="resolved")
    page.fill("#id_closing_note", "Inwoner neemt deel aan de koffieochtend.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/casussen/{case.pk}/$"))
    expect(page.locator(".alert--success")).to_be_visible()
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED

    # The volunteer, still logged in (a second login within the code's 30 seconds is refused:
    # a one-time code is used once), no longer sees the closed case.
    response = volunteer_page.goto(f"/vrijwillig/casussen/{case.pk}/")
    assert response.status == 404


def test_volunteer_logs_a_visit_and_raises_the_alarm_on_a_phone(browser_session):
    """Journey [4] at 390 x 844: log a home visit, then ring the alarm bell on that case."""
    page = browser_session.new_page(PHONE)
    login(page, "volunteer")
    volunteer = User.objects.get(username="volunteer")
    visits_before = HomeVisit.objects.filter(visitor=volunteer).count()

    page.goto("/vrijwillig/casussen/")
    page.locator(".case-card__title a").first.click()
    page.wait_for_url(re.compile(r"/vrijwillig/casussen/\d+/$"))
    case_pk = int(re.search(r"/casussen/(\d+)/", page.url).group(1))
    screenshot(page, "volunteer", "journey-slice")

    page.locator("a.button--primary").first.click()
    page.wait_for_url(re.compile(r"/bezoek/$"))
    page.fill("#id_start_time", "10:30")
    page.fill("#id_duration_minutes", "75")
    page.locator("input[name=activities][value=conversation]").check()
    page.locator("input[name=activities][value=referral]").check()
    page.fill("#id_summary", "Samen de folder van de koffieochtend bekeken.")
    page.fill("#id_note_for_responsible", "Mevrouw lijkt somber; graag even bellen.")
    follow_up = timezone.localtime() + datetime.timedelta(days=2)
    page.fill("#id_follow_up_on", follow_up.strftime("%Y-%m-%dT10:00"))
    assert_accessible(page)
    screenshot(page, "volunteer", "journey-visit-form")
    submit = page.locator("main form button[type=submit]")
    submit.dblclick()  # a double tap records one visit
    page.wait_for_url(re.compile(rf"/vrijwillig/casussen/{case_pk}/$"))
    expect(page.locator(".alert--success")).to_be_visible()
    assert HomeVisit.objects.filter(visitor=volunteer).count() == visits_before + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    page.fill(".alarm-card textarea", "Ik merk dat dit me zwaar valt.")
    page.locator(".alarm-card button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/vrijwillig/casussen/{case_pk}/$"))
    expect(page.locator(".alert--success")).to_be_visible()
    screenshot(page, "volunteer", "journey-alarm-raised")
    alarm = Alarm.objects.get(volunteer=volunteer, case_id=case_pk)

    page.goto("/")  # issue [12]: the follow-up appointment in "My week", on the phone
    expect(page.locator("#my-week-h")).to_have_text("Deze week")
    expect(page.locator(f"#my-week a[href='/vrijwillig/casussen/{case_pk}/']").first).to_be_visible()
    assert horizontal_overflow(page) <= 0
    assert_accessible(page)
    screenshot(page, "volunteer", "journey-my-week")

    professional = browser_session.new_page()
    login(professional, "professional")
    expect(professional.locator(".alarm-card")).to_contain_text("Ik merk dat dit me zwaar valt.")
    assert alarm.resolved_at is None


def test_coordinator_pages_and_roster_week_and_checkin(browser_session):
    """Journey [5]: the coordinator walks their pages (axe, Dutch, screenshots), plans next
    week's walk-in hour and records a well-being check-in."""
    import datetime

    from django.utils import timezone

    from tests.e2e.conftest import NL, PageWalk
    from volunteers.models import RosterSlot, Shift, VolunteerStaff, WellbeingCheckIn

    page = browser_session.new_page()
    login(page, "coordinator")
    profile = VolunteerStaff.objects.get(user__username="gerda")
    walk = PageWalk(page, "coordinator")
    walk.visit("dashboard", "/coordinatie/", "Vrijwillig medewerkers")
    walk.visit("volunteer", f"/coordinatie/vrijwillig-medewerkers/{profile.pk}/", profile.user.first_name)
    walk.visit("volunteer-new", "/coordinatie/vrijwillig-medewerkers/nieuw/", NL("Register volunteer staff"))
    walk.visit("offboard", f"/coordinatie/vrijwillig-medewerkers/{profile.pk}/uitschrijven/", profile.user.first_name)
    walk.visit("roster-week", "/coordinatie/rooster/", NL("Walk-in hour roster"))
    walk.visit("roster-month", "/coordinatie/rooster/?weergave=maand", NL("Walk-in hour roster"))
    walk.visit("allowance", "/coordinatie/vergoedingen/", NL("Volunteer allowance"))
    walk.visit("my-calendar", "/mijn-rooster/", NL("My roster"))
    walk.finish()

    # Plan next week: put Gerda on duty at Team Elst's walk-in hour.
    today = timezone.localdate()
    next_monday = today - datetime.timedelta(days=today.weekday()) + datetime.timedelta(weeks=1)
    page.goto(f"/coordinatie/rooster/?datum={next_monday.isoformat()}")
    slot = RosterSlot.objects.get(location__team__name="Team Elst")
    day = next_monday + datetime.timedelta(days=slot.weekday)
    select = page.locator(f"#p-{slot.pk}-{day:%Y%m%d}")
    select.select_option(label=profile.user.display_name)
    select.locator("xpath=ancestor::form").locator("button[type=submit]").click()
    expect(page.locator(".alert--success")).to_be_visible()
    assert Shift.objects.filter(slot=slot, date=day, person=profile.user).exists()
    screenshot(page, "coordinator", "journey-roster-planned")

    # Record a check-in on Gerda's profile.
    page.goto(f"/coordinatie/vrijwillig-medewerkers/{profile.pk}/")
    page.locator("input[name=load][value='4']").check()
    page.fill("#id_how_are_you", "Het is druk, maar ze heeft er plezier in.")
    page.fill("#id_follow_up", "Over vier weken opnieuw bellen")
    page.locator("#checkins-h ~ form button[type=submit]").click()
    expect(page.locator(".alert--success")).to_be_visible()
    checkin = WellbeingCheckIn.objects.get(volunteer=profile)
    assert checkin.load == 4
    screenshot(page, "coordinator", "journey-checkin-recorded")


def test_privacy_officer_finds_who_looked_and_hands_over_the_export(browser_session):
    """Journey [11]: the privacy officer sees the audit log's last check on their desk, finds a
    resident, reads who looked at the file, and makes the right-of-access document — as a page
    at phone and laptop width, and as a PDF (axe, Dutch, screenshots on every page)."""
    import io

    from pypdf import PdfReader

    from privacy.services import audit_chain_check
    from tests.e2e.conftest import LAPTOP, NL, PageWalk

    check = audit_chain_check()
    assert check.ok
    case = Case.objects.filter(team__name="Team Elst", status=CaseStatus.ACTIVE).order_by("pk").first()
    resident = case.resident
    page = browser_session.new_page()
    login(page, "privacy")
    walk = PageWalk(page, "privacy")

    walk.visit("desk", "/", "Welkom")
    desk_chain = page.locator("section[aria-labelledby=desk-chain]")
    expect(desk_chain).to_contain_text(NL("Unchanged").dutch())

    walk.visit("access-log-resident", f"/privacy/toegangslog/?resident={resident.last_name}", NL("Access log"))
    expect(page.locator("main table")).to_contain_text(resident.full_name)
    page.locator("main").get_by_role("link", name=resident.full_name).first.click()
    page.wait_for_url(re.compile(rf"/privacy/inwoners/{resident.pk}/$"))
    walk.check("resident", resident.last_name)

    page.get_by_role("button", name=NL("Show the document").dutch()).click()  # a POST: it is recorded
    walk.check("export", NL("Your personal data at the social neighbourhood team"))
    document = page.locator("article.access-document")
    expect(document).to_contain_text(case.request_for_help[:30])
    expect(document).to_contain_text(NL("Who looked at your file").dutch())
    responsible = CaseMembership.objects.get(case=case, role=MembershipRole.RESPONSIBLE, ended_at=None).user
    expect(document).to_contain_text(responsible.display_name)
    for viewport in (PHONE, LAPTOP):
        page.set_viewport_size(viewport)
        assert horizontal_overflow(page) <= 0, f"the document scrolls sideways at {viewport['width']} px"
        screenshot(page, "privacy", f"export-{viewport['width']}")

    page.go_back()
    page.wait_for_url(re.compile(rf"/privacy/inwoners/{resident.pk}/$"))
    with page.expect_download() as download:
        page.get_by_role("button", name=NL("Download as PDF").dutch()).click()
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(download.value.path().read_bytes())).pages)
    assert resident.full_name in " ".join(text.split())
    assert NL("Who looked at your file").dutch() in text
    walk.finish()


def test_volunteer_refers_a_resident_from_a_visit_to_the_social_map(browser_session):
    """Journey [7]: on a phone, volunteer staff log a visit and refer the resident to a local
    offer; the social map and the signals pages pass axe in Dutch."""
    from socialmap.models import Referral
    from tests.e2e.conftest import NL, PageWalk

    page = browser_session.new_page(PHONE)
    login(page, "volunteer")
    walk = PageWalk(page, "volunteer")
    walk.visit("social-map", "/sociale-kaart/", NL("Social map"))
    walk.visit("signals", "/sociale-kaart/signalen/", NL("Collective signals"))
    walk.finish()

    page.goto("/vrijwillig/casussen/")
    page.locator(".case-card__title a").first.click()
    page.wait_for_url(re.compile(r"/vrijwillig/casussen/\d+/$"))
    case_pk = int(re.search(r"/casussen/(\d+)/", page.url).group(1))
    page.locator("a.button--primary").first.click()
    page.fill("#id_duration_minutes", "45")
    page.locator("input[name=activities][value=referral]").check()
    page.fill("#id_summary", "Samen gekeken naar activiteiten in het dorp.")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/vrijwillig/casussen/{case_pk}/$"))

    from socialmap.models import Offer

    page.locator("#referrals-h ~ details.action summary").click()
    page.select_option(f"#offer-{case_pk}", value=str(Offer.objects.get(name="Samen eten in Valburg").pk))
    page.locator("#referrals-h ~ details.action form button[type=submit]").click()
    expect(page.locator(".alert--success")).to_be_visible()
    expect(page.locator("#referrals-h").locator("xpath=..")).to_contain_text("Samen eten")
    referral = Referral.objects.filter(case_id=case_pk, offer__name__startswith="Samen eten").get()
    assert referral.visit is not None
    screenshot(page, "volunteer", "journey-referral")


def test_reports_with_charts_for_a_professional_and_a_coordinator(browser_session):
    """Journey [7]: reports with their charts (SVG made by the app), for a professional (exact
    numbers) and a coordinator (numbers below 5 shown as <5)."""
    from tests.e2e.conftest import NL, PageWalk

    for username in ("professional", "coordinator"):
        page = browser_session.new_page()
        login(page, username)
        walk = PageWalk(page, username)
        walk.visit("reports", "/rapportages/", NL("Reports"))
        walk.finish()
        expect(page.locator("svg.chart").first).to_be_visible()
        if username == "coordinator":
            expect(page.locator("main")).to_contain_text("<5")


def test_a_professional_learns_that_another_team_knows_a_resident_on_a_phone(browser_session):
    """That, not what: a professional of Team Elst looks up a resident known only to Team
    Zetten, by postcode and house number, on a 390 px phone: the team and whom to call, no file."""
    seeker = User.objects.get(username="professional")
    case = (
        Case.objects.filter(team__name="Team Zetten", memberships__role=MembershipRole.RESPONSIBLE)
        .exclude(resident__in=residents_for(seeker))
        .exclude(resident__postcode="")
        .select_related("resident")
        .first()
    )
    resident = case.resident
    page = browser_session.new_page(PHONE)
    login(page, "professional")

    page.goto("/casussen/aanmelden/")
    page.get_by_role("link", name=re.compile("ander team")).first.click()
    page.fill("#id_postcode", resident.postcode)
    page.fill("#id_house_number", resident.house_number)
    page.locator("main form button[type=submit]").first.click()

    expect(page.locator("main")).to_contain_text("Team Zetten")
    assert resident.first_name not in page.locator("main").inner_text()
    assert page.locator("main a[href^='tel:']").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    screenshot(page, "professional", "existence-lookup")
