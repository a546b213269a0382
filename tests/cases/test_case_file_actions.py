"""The case file's action forms whose pickers are queries of their own (people, agreement,
referral) load when their button opens them: a GET endpoint per action answers the form alone
to htmx and a page of its own without JavaScript, authorised like the POST it sends to (404
for what you may not do), and that POST works from either."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils.html import escape

from cases import services
from cases.models import Agreement, CaseMembership
from privacy.services import resident_restrict
from socialmap import services as map_services
from socialmap.models import Referral
from tests.factories import (
    PASSWORD,
    CaseFactory,
    make_coordinator,
    make_privacy_officer,
    make_professional,
    make_volunteer,
)

HTMX = {"HTTP_HX_REQUEST": "true"}


@dataclass
class _Form:
    action: str
    fields: dict[str, str] = field(default_factory=dict)  # name -> value of inputs
    options: dict[str, list[str]] = field(default_factory=dict)  # select name -> option values
    ids: list[str] = field(default_factory=list)


class _Forms(HTMLParser):
    """The POST forms of a page or fragment, with their inputs and the options of their selects."""

    def __init__(self):
        super().__init__()
        self.forms: list[_Form] = []
        self.select: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        form = self.forms[-1] if self.forms else None
        if tag == "form" and attrs.get("method") == "post":
            self.forms.append(_Form(action=attrs.get("action") or ""))
        elif form is None:
            return
        elif tag in ("input", "textarea") and attrs.get("name"):
            form.fields[attrs["name"]] = attrs.get("value") or ""
        elif tag == "select":
            self.select = attrs.get("name")
            form.options[self.select] = []
        elif tag == "option" and self.select:
            form.options[self.select].append(attrs.get("value") or "")
        if form is not None and attrs.get("id"):
            form.ids.append(attrs["id"])

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None


def _forms(html: str) -> list[_Form]:
    """The forms of a fragment, or of a page's <main> (not the header's log-out and language)."""
    if "<main" in html:
        html = html[html.index("<main") : html.index("</main>")]
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def _login(client, user):
    client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def case():
    """An active case with a volunteer on it, an offer on the social map of its village, and a
    second volunteer of the team who could still join."""
    case = CaseFactory(with_volunteer=True)
    case.offer = map_services.offer_save(
        actor=case.responsible, villages=[case.resident.village], name="Koffieochtend", kind="activity"
    )
    case.free_volunteer = make_volunteer(case.team)
    return case


# name, the endpoint, the form(s) it holds (POST addresses), the section the page goes back to
ACTIONS = {
    "people": (
        lambda case: reverse("cases:people_forms", args=[case.pk]),
        lambda case: [
            reverse("cases:people", args=[case.pk, role]) for role in ("responsible", "professional", "volunteer")
        ],
        "team-h",
    ),
    "agreement": (
        lambda case: reverse("cases:agreement_add", args=[case.pk]),
        lambda case: [reverse("cases:agreement_add", args=[case.pk])],
        "agreements-h",
    ),
    "referral": (
        lambda case: reverse("socialmap:referral_form", args=[case.pk]),
        lambda case: [reverse("socialmap:referral_new", args=[case.pk])],
        "referrals-h",
    ),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_htmx_gets_the_form_alone(client, case, action):
    endpoint, posts_to, _anchor = ACTIONS[action]
    _login(client, case.responsible)

    response = client.get(endpoint(case), **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<h1" not in html
    assert [form.action for form in _forms(html)] == posts_to(case)
    assert all("csrfmiddlewaretoken" in form.fields and "submission_key" in form.fields for form in _forms(html))
    assert "HX-Request" in response["Vary"]  # the page and the fragment share an address


@pytest.mark.parametrize("action", ACTIONS)
def test_without_javascript_the_form_is_a_page_of_its_own(client, case, action):
    endpoint, posts_to, anchor = ACTIONS[action]
    _login(client, case.responsible)

    response = client.get(endpoint(case))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html and "<h1" in html and case.reference in html
    assert f'href="{reverse("cases:detail", args=[case.pk])}#{anchor}"' in html  # back to the file
    assert [form.action for form in _forms(html)] == posts_to(case)
    assert case.resident.last_name not in html  # the page names the case, not the resident


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["other_team_professional", "volunteer_of_the_case", "coordinator"])
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "page"])
def test_who_may_not_act_hears_404(client, case, action, who, htmx):
    endpoint, _posts_to, _anchor = ACTIONS[action]
    person = {
        "other_team_professional": lambda: make_professional(CaseFactory().team),
        "volunteer_of_the_case": lambda: case.volunteer,
        "coordinator": lambda: make_coordinator(case.team),
    }[who]()
    _login(client, person)

    response = client.get(endpoint(case), **(HTMX if htmx else {}))

    assert response.status_code == 404


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", ["closed", "restricted"])
def test_a_file_that_may_not_change_has_no_action_forms(client, case, action, state):
    """Closed, or the resident restricted processing (art. 18): read-only, so 404 (never 403 or 500)."""
    endpoint, _posts_to, _anchor = ACTIONS[action]
    if state == "closed":
        services.case_close(actor=case.responsible, case=case, outcome="resolved")
    else:
        resident_restrict(actor=make_privacy_officer(case.team.municipality), resident=case.resident, reason="art. 18")
    _login(client, case.responsible)

    assert client.get(endpoint(case), **HTMX).status_code == 404
    assert client.get(endpoint(case)).status_code == 404


def test_a_case_that_does_not_exist_is_404(client, case):
    _login(client, case.responsible)

    for url in (
        reverse("cases:people_forms", args=[999999]),
        reverse("cases:agreement_add", args=[999999]),
        reverse("socialmap:referral_form", args=[999999]),
    ):
        assert client.get(url, **HTMX).status_code == 404, url


def test_the_people_forms_offer_what_their_posts_accept(client, case):
    declining = make_volunteer(case.team)
    proposal = services.volunteer_assign(actor=case.responsible, case=case, volunteer=declining)
    services.proposal_decline(actor=declining, membership=proposal, reason="knows_resident")
    colleague = make_professional(case.team)
    _login(client, case.responsible)

    responsible, professional, volunteer = _forms(
        client.get(reverse("cases:people_forms", args=[case.pk]), **HTMX).content.decode()
    )

    assert str(colleague.pk) in responsible.options["person"] and str(colleague.pk) in professional.options["person"]
    assert str(case.free_volunteer.pk) in volunteer.options["person"]
    assert str(declining.pk) not in volunteer.options["person"]  # declined (R7)
    assert str(case.volunteer.pk) not in volunteer.options["person"]  # on the case already
    assert len({*responsible.ids, *professional.ids, *volunteer.ids}) == 3  # one id per field on the page


def test_without_consent_the_volunteer_form_says_so(client, case):
    services.consent_withdraw(actor=case.responsible, case=case)
    _login(client, case.responsible)

    html = client.get(reverse("cases:people_forms", args=[case.pk]), **HTMX).content.decode()

    assert "Alleen mogelijk" in html  # "Only possible when the resident said yes…"
    assert _forms(html)[2].options["person"] == [""]  # nobody to choose


def test_the_agreement_form_offers_the_people_on_the_case(client, case):
    outsider = make_professional(case.team)
    _login(client, case.responsible)

    [form] = _forms(client.get(reverse("cases:agreement_add", args=[case.pk]), **HTMX).content.decode())

    assert set(form.options["assignee"]) - {""} == {str(case.responsible.pk), str(case.volunteer.pk)}
    assert str(outsider.pk) not in form.options["assignee"]


def test_the_referral_form_offers_the_social_map_of_the_team(client, case):
    _login(client, case.responsible)

    [form] = _forms(client.get(reverse("socialmap:referral_form", args=[case.pk]), **HTMX).content.decode())

    assert form.options["offer"] == ["", str(case.offer.pk)]


# --- the page of its own posts as the case file's form did ---------------------------------


def _page_form(client, url: str, action: str) -> _Form:
    response = client.get(url)
    assert response.status_code == 200
    [form] = [form for form in _forms(response.content.decode()) if form.action == action]
    return form


def test_an_agreement_is_added_from_its_own_page(client, case):
    _login(client, case.responsible)
    url = reverse("cases:agreement_add", args=[case.pk])
    form = _page_form(client, url, url)

    response = client.post(
        form.action,
        {**form.fields, "kind": "practical", "description": "Boodschappen", "assignee": case.volunteer.pk},
    )

    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk]) + "#agreements-h"
    assert Agreement.objects.filter(case=case, description="Boodschappen", assignee=case.volunteer).count() == 1
    assert "Boodschappen" in client.get(response.url).content.decode()


def test_a_professional_is_added_from_the_people_page(client, case):
    colleague = make_professional(case.team)
    _login(client, case.responsible)
    form = _page_form(
        client,
        reverse("cases:people_forms", args=[case.pk]),
        reverse("cases:people", args=[case.pk, "professional"]),
    )

    response = client.post(form.action, {**form.fields, "person": colleague.pk})

    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk]) + "#team-h"
    assert CaseMembership.objects.filter(case=case, user=colleague, ended_at__isnull=True).exists()
    assert escape(colleague.display_name) in client.get(response.url).content.decode()


def test_a_volunteer_is_proposed_from_the_people_page(client, case):
    _login(client, case.responsible)
    form = _page_form(
        client,
        reverse("cases:people_forms", args=[case.pk]),
        reverse("cases:people", args=[case.pk, "volunteer"]),
    )

    response = client.post(form.action, {**form.fields, "person": case.free_volunteer.pk})

    assert response.status_code == 302
    membership = CaseMembership.objects.get(case=case, user=case.free_volunteer, ended_at__isnull=True)
    assert membership.is_proposal


def test_a_referral_is_made_from_its_own_page(client, case):
    _login(client, case.responsible)
    form = _page_form(
        client,
        reverse("socialmap:referral_form", args=[case.pk]),
        reverse("socialmap:referral_new", args=[case.pk]),
    )

    response = client.post(form.action, {**form.fields, "offer": case.offer.pk})

    assert response.status_code == 302
    assert response.url == reverse("cases:detail", args=[case.pk]) + "#referrals-h"
    assert Referral.objects.filter(case=case, offer=case.offer, referred_by=case.responsible).count() == 1


def test_a_wrong_choice_from_its_own_page_goes_back_to_the_file_with_the_reason(client, case):
    """The POST validates as it always did: a person the list does not hold is refused."""
    outsider = make_professional(CaseFactory().team)
    _login(client, case.responsible)
    form = _page_form(
        client,
        reverse("cases:people_forms", args=[case.pk]),
        reverse("cases:people", args=[case.pk, "responsible"]),
    )

    response = client.post(form.action, {**form.fields, "person": outsider.pk}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("cases:detail", args=[case.pk]) + "#team-h"
    assert "alert--error" in response.content.decode()
    assert not CaseMembership.objects.filter(case=case, user=outsider).exists()


# --- the case file holds the buttons, not the forms ---------------------------------------


def test_the_case_file_loads_each_form_when_opened_and_links_to_it_without_javascript(client, case):
    _login(client, case.responsible)

    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()

    for endpoint, _posts_to, _anchor in ACTIONS.values():
        url = endpoint(case)
        assert f'hx-get="{url}" hx-trigger="toggle once" hx-target="find .action__body" hx-swap="outerHTML"' in html
        assert f'<a href="{url}">' in html
    posted_to = {form.action for form in _forms(html)}
    assert reverse("cases:agreement_add", args=[case.pk]) not in posted_to
    assert reverse("socialmap:referral_new", args=[case.pk]) not in posted_to
    assert not any("/betrokkenen/" in action and "beeindigen" not in action for action in posted_to)
    assert "Koffieochtend" not in html  # the offers are not read


def test_the_volunteer_slice_keeps_its_referral_form_inline(client, case):
    _login(client, case.volunteer)

    html = client.get(reverse("volunteers:my_case", args=[case.pk])).content.decode()

    [form] = [form for form in _forms(html) if form.action == reverse("socialmap:referral_new", args=[case.pk])]
    assert str(case.offer.pk) in form.options["offer"]
