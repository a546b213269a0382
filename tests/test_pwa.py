"""The installable app for volunteer staff (issue [15]): the service worker at the site root,
the web manifest and the offline page -- public, the same for everyone, without personal data --
under the strict Content-Security-Policy. The worker caches the static files and the offline
page only, never a page."""

import json
import re

from django.conf import settings
from django.urls import reverse

from tests.factories import PASSWORD, CaseFactory
from wijkteam import pwa
from wijkteam.middleware import MFA_EXEMPT_URL_NAMES


def _worker_config(body: str) -> dict:
    return json.loads(re.search(r"^self\.WIJKTEAM_WORKER = (\{.*\});$", body, re.MULTILINE).group(1))


def test_the_worker_is_served_at_the_site_root_so_its_scope_is_the_whole_site(client):
    response = client.get("/sw.js")

    assert reverse("service_worker") == "/sw.js"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"


def test_the_worker_caches_only_static_files_and_the_offline_page(client):
    config = _worker_config(client.get("/sw.js").content.decode())

    assert config["shell"] and all(
        url.startswith(settings.STATIC_URL) or url.startswith(reverse("theme_css") + "?v=") for url in config["shell"]
    )
    assert config["offlineUrl"] == reverse("offline")
    assert config["draftKeyUrl"] == reverse("volunteers:draft_key")


def test_the_workers_code_comes_from_the_apps_static_files(client):
    body = client.get("/sw.js").content.decode()

    imported = re.search(r"^importScripts\((.*)\);$", body, re.MULTILINE).group(1)
    assert [json.loads(part) for part in imported.split(", ")] == [
        settings.STATIC_URL + "js/draft-store.js",
        settings.STATIC_URL + "js/service-worker.js",
    ]
    assert "http" not in imported


def test_a_changed_static_file_changes_the_worker(monkeypatch, tmp_path):
    files = {name: tmp_path / name.replace("/", "_") for name in ("a.css", "b.js")}
    for path in files.values():
        path.write_text("one")
    monkeypatch.setattr(pwa.finders, "find", lambda name: str(files[name]))
    before = pwa._content_hash(files)

    files["b.js"].write_text("three")

    assert pwa._content_hash(files) != before


def test_the_same_worker_for_everyone(client):
    anonymous = client.get("/sw.js").content
    case = CaseFactory(with_volunteer=True)
    client.login(username=case.volunteer.username, password=PASSWORD)

    assert client.get("/sw.js").content == anonymous


def test_the_apps_public_files_need_no_second_step():
    """A worker's update check that got a redirect would fail."""
    assert {"service_worker", "web_manifest", "offline"} <= MFA_EXEMPT_URL_NAMES


def test_the_manifest_installs_the_app_in_the_municipalitys_name_and_colour(client):
    response = client.get(reverse("web_manifest"))

    manifest = json.loads(response.content)
    assert response["Content-Type"] == "application/manifest+json"
    assert manifest["name"] == settings.WIJKTEAM_THEME["name"]
    assert manifest["theme_color"] == settings.WIJKTEAM_THEME["primary"]
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == ("/", "/", "standalone")
    assert all(icon["src"].startswith(settings.STATIC_URL) for icon in manifest["icons"])


def test_the_offline_page_is_the_anonymous_page_without_a_session(client):
    html = client.get(reverse("offline")).content.decode()

    assert 'data-offline-drafts="offline"' in html
    assert 'id="offline-drafts"' in html  # the count of waiting visits
    assert "csrfmiddlewaretoken" not in html  # no form of a session in the cached copy


def test_pages_link_the_manifest_and_say_whose_drafts_may_stay(client):
    login_page = client.get(reverse("accounts:login")).content.decode()
    case = CaseFactory(with_volunteer=True)
    client.login(username=case.volunteer.username, password=PASSWORD)
    volunteer_page = client.get(reverse("volunteers:my_cases")).content.decode()

    assert f'rel="manifest" href="{reverse("web_manifest")}"' in login_page
    assert 'data-offline-drafts="none"' in login_page and "data-draft-key" not in login_page
    assert 'data-offline-drafts="volunteer"' in volunteer_page
    assert f'data-draft-key="{reverse("volunteers:draft_key")}"' in volunteer_page


def test_the_visit_form_can_be_kept_on_the_phone(client):
    case = CaseFactory(with_volunteer=True)
    client.login(username=case.volunteer.username, password=PASSWORD)

    html = client.get(reverse("volunteers:visit_new", args=[case.pk])).content.decode()

    assert "data-offline-visit" in html
    assert f'data-send-url="{reverse("volunteers:visit_send", args=[case.pk])}"' in html


def test_the_csp_names_the_worker_and_manifest_and_stays_strict(client):
    csp = client.get("/sw.js")["Content-Security-Policy"]

    assert "worker-src 'self'" in csp and "manifest-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
