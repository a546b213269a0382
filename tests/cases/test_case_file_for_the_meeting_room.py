"""The case file for the meeting room (issue [12], point 4): the facts first, each action one
button that opens its form, sections reachable from a short in-page menu, what happened lately
at the top, the history folded away. Every action keeps its server-side rules (the other case
file tests post to the same views)."""

import re
from html.parser import HTMLParser

from django.urls import reverse

from cases import services
from tests.factories import PASSWORD, CaseFactory, add_journal


class _Outline(HTMLParser):
    """Where each form sits: inside which <details class="action">, after which heading; and
    which actions load their form when opened (``hx-get``, with a link to the same address)."""

    def __init__(self):
        super().__init__()
        self.open_details: list[bool] = []
        self.forms: list[tuple[str, bool]] = []  # (action, inside an action's <details>)
        self.loaded: list[str] = []  # the address an action's form loads from
        self.links_in_actions: list[str] = []
        self.ids: set[str] = set()
        self.anchors: list[str] = []
        self.headings: list[str] = []
        self.in_main = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if tag == "details":
            is_action = "action" in (attrs.get("class") or "").split()
            self.open_details.append(is_action)
            if is_action and attrs.get("hx-get"):
                self.loaded.append(attrs["hx-get"])
        elif tag == "a" and any(self.open_details):
            self.links_in_actions.append(attrs.get("href") or "")
        elif tag == "form" and attrs.get("method") == "post":
            self.forms.append((attrs.get("action") or "", any(self.open_details)))
        elif tag == "a" and (attrs.get("href") or "").startswith("#"):
            self.anchors.append(attrs["href"][1:])
        elif tag == "h2" and "id" in attrs:
            self.headings.append(attrs["id"])

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if tag == "details" and self.open_details:
            self.open_details.pop()


def _file(client, case) -> tuple[str, _Outline]:
    client.login(username=case.responsible.username, password=PASSWORD)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    outline = _Outline()
    outline.feed(html)
    return html, outline


# Short one-click actions in the page header and on a line of a list stay plain buttons.
ONE_CLICK = re.compile(r"/(status/\w+|heropenen|klaar|beeindigen|afgehandeld)/$|/verwijzing/\d+/$")


def test_the_facts_come_before_any_form(client):
    case = CaseFactory(with_volunteer=True, active=True)

    _html, outline = _file(client, case)

    assert outline.headings[:3] == ["resident-h", "request-h", "team-h"]


def test_every_form_with_fields_opens_from_its_own_button(client):
    case = CaseFactory(with_volunteer=True, active=True)

    _html, outline = _file(client, case)

    loose = [action for action, inside in outline.forms if not inside and not ONE_CLICK.search(action)]
    assert loose == [], f"forms lying open between the facts: {loose}"
    # consent and journal hold their form; people, agreement and referral load it when opened
    assert sum(inside for _action, inside in outline.forms) >= 2
    assert len(outline.loaded) == 3
    assert [url for url in outline.loaded if url not in outline.links_in_actions] == []  # works without JS


def test_the_in_page_menu_reaches_every_section(client):
    case = CaseFactory(with_volunteer=True, active=True)

    _html, outline = _file(client, case)

    assert {"team-h", "journal-h", "visits-h", "agreements-h", "history-h"} <= set(outline.anchors)
    assert [anchor for anchor in outline.anchors if anchor not in outline.ids] == []


def test_what_happened_lately_is_near_the_top_newest_first(client):
    case = CaseFactory(with_volunteer=True, active=True)
    add_journal(case, text="Eerste notitie", shared=False)
    add_journal(case, text="Tweede notitie", shared=False)
    services.home_visit_log(
        actor=case.volunteer,
        case=case,
        visited_on=case.opened_at.date(),
        duration_minutes=30,
        summary="Koffie gedronken",
    )

    html, _outline = _file(client, case)

    lately = html[html.index('id="lately-h"') : html.index('id="journal-h"')]
    assert "Tweede notitie" in lately and "Koffie gedronken" in lately
    assert lately.index("Tweede notitie") < lately.index("Eerste notitie")
