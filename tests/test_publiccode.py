"""publiccode.yaml (the publiccode.yml standard, version 0.4) describes the project as Dutch
public-sector software does; it must hold the standard's required keys and stay true to the code."""

import datetime
import re
import tomllib
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SOFTWARE_TYPES = {"standalone/mobile", "standalone/iot", "standalone/desktop", "standalone/web", "standalone/backend",
                  "standalone/other", "addon", "library", "configurationFiles"}  # fmt: skip
STATUSES = {"concept", "development", "beta", "stable", "obsolete"}
MAINTENANCE = {"internal", "contract", "community", "none"}


def _publiccode() -> dict:
    return yaml.safe_load((ROOT / "publiccode.yaml").read_text(encoding="utf-8"))


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_the_required_keys_of_the_standard_are_there():
    code = _publiccode()
    assert code["publiccodeYmlVersion"] == "0.4"
    assert code["name"] == "Wijkteam"
    assert re.fullmatch(r"https://\S+", code["url"])
    assert code["platforms"] == ["web"]
    assert code["categories"]
    assert code["developmentStatus"] in STATUSES
    assert code["softwareType"] in SOFTWARE_TYPES
    datetime.date.fromisoformat(code["releaseDate"])
    assert code["maintenance"]["type"] in MAINTENANCE
    if code["maintenance"]["type"] in {"internal", "contract"}:
        assert all(contact["name"] for contact in code["maintenance"]["contacts"])
    for language in ("nl", "en"):
        description = code["description"][language]
        assert 0 < len(description["shortDescription"]) <= 150, language
        assert 150 <= len(description["longDescription"]) <= 10_000, language
        assert description["features"], language


def test_it_says_what_the_code_says():
    code, project = _publiccode(), _pyproject()
    assert code["softwareVersion"] == project["version"]
    assert code["legal"]["license"] == project["license"]["text"] == "EUPL-1.2"
    assert code["localisation"]["availableLanguages"] == [language for language, _name in settings.LANGUAGES]
    python = next(dep for dep in code["dependsOn"]["open"] if dep["name"] == "Python")
    assert f">={python['versionMin']}" in project["requires-python"]
    django_min = next(dep for dep in code["dependsOn"]["open"] if dep["name"] == "Django")["versionMin"]
    assert f"Django>={django_min}" in project["dependencies"][0]
