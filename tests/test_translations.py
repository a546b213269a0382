"""Dutch is complete, English too: no message may be untranslated or fuzzy.

The second test re-extracts the messages from a copy of the source, so a new string that was
never added to the catalogues fails here rather than showing up in English on a Dutch page.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE = Path(settings.BASE_DIR)
APPS = sorted(path.parent.name for path in BASE.glob("*/apps.py"))
SOURCES = ["manage.py", "wijkteam", "templates", "locale", *[app for app in APPS if app != "wijkteam"]]


def parse_po(path: Path) -> list[dict]:
    """A minimal .po reader: entries with msgctxt, msgid, msgstr(s) and flags."""
    entries, current, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current and "msgid" in current:
                entries.append(current)
            current, key = None, None
            continue
        current = current or {"flags": set(), "msgstr": []}
        if line.startswith("#,"):
            current["flags"] |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith(("msgctxt ", "msgid ", "msgid_plural ")):
            key, _, value = line.partition(" ")
            current[key] = _unquote(value)
        elif line.startswith("msgstr"):
            key = "msgstr"
            current["msgstr"].append(_unquote(line.partition(" ")[2]))
        elif line.startswith('"') and key:
            if key == "msgstr":
                current["msgstr"][-1] += _unquote(line)
            else:
                current[key] += _unquote(line)
    return [entry for entry in entries if entry["msgid"]]


def _unquote(value: str) -> str:
    return value.strip()[1:-1].encode().decode("unicode_escape").encode("latin-1").decode("utf-8")


def _problems(path: Path) -> list[str]:
    problems = []
    for entry in parse_po(path):
        if "fuzzy" in entry["flags"]:
            problems.append(f"fuzzy: {entry['msgid']!r}")
        elif not all(entry["msgstr"]):
            problems.append(f"untranslated: {entry['msgid']!r}")
    return problems


@pytest.mark.parametrize("language", ["nl", "en"])
def test_catalogue_is_complete(language):
    path = BASE / "locale" / language / "LC_MESSAGES" / "django.po"

    assert parse_po(path), f"{path} has no messages"
    assert _problems(path) == []


@pytest.mark.skipif(shutil.which("msgmerge") is None, reason="GNU gettext is not installed")
def test_catalogues_hold_every_message_in_the_source(tmp_path):
    for name in SOURCES:
        source = BASE / name
        target = tmp_path / name
        shutil.copytree(source, target) if source.is_dir() else shutil.copy(source, target)

    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "nl", "-l", "en", "--no-obsolete"],
        cwd=tmp_path,
        check=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "wijkteam.settings.test"},
    )

    for language in ("nl", "en"):
        assert _problems(tmp_path / "locale" / language / "LC_MESSAGES" / "django.po") == [], language


def test_pages_are_dutch_by_default_and_english_on_request(client):
    from django.urls import reverse

    from tests.factories import PASSWORD, CaseFactory

    case = CaseFactory(active=True)
    client.login(username=case.responsible.username, password=PASSWORD)

    dutch = client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("home")).content.decode()

    assert 'lang="nl"' in dutch and "Uitloggen" in dutch and "Casussen van mijn team" in dutch
    assert 'lang="en"' in english and "Log out" in english and "Cases of my team" in english


def test_browser_language_does_not_override_dutch(client):
    from django.urls import reverse

    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert "<h1>Inloggen</h1>" in response.content.decode()
    assert response["Content-Language"] == "nl"
