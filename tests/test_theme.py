"""The municipality's theme (wijkteam/theme.py) and the vendored NL Design System CSS: the default
colour passes WCAG AA under white text, a colour that does not is refused at start-up, the theme
stylesheet is public and cacheable, and the committed CSS matches the locked npm packages."""

import json
from pathlib import Path

from django.conf import settings
from django.core.checks import run_checks
from django.urls import reverse

from wijkteam import theme

VENDOR = Path(settings.BASE_DIR, "static", "vendor", "nlds")


def test_the_default_primary_colour_has_aa_contrast_with_white_text():
    from wijkteam.settings import base

    assert theme.contrast_ratio(base.WIJKTEAM_THEME["primary"], "#ffffff") >= 4.5


def test_contrast_ratio_follows_wcag():
    assert round(theme.contrast_ratio("#000000", "#ffffff"), 1) == 21.0
    assert round(theme.contrast_ratio("#767676", "#ffffff"), 2) == 4.54


def test_a_primary_colour_too_light_for_white_text_fails_the_system_check(settings):
    settings.WIJKTEAM_THEME = {**settings.WIJKTEAM_THEME, "primary": "#3399ff"}

    errors = [error for error in run_checks() if error.id == "wijkteam.E102"]

    assert errors and "4.5:1" in errors[0].msg


def test_a_primary_that_is_no_colour_fails_the_system_check(settings):
    settings.WIJKTEAM_THEME = {**settings.WIJKTEAM_THEME, "primary": "red; } body { display: none"}

    assert [error.id for error in run_checks() if error.id.startswith("wijkteam.")] == ["wijkteam.E101"]


def test_the_theme_stylesheet_sets_the_tokens_for_everyone_and_may_be_kept(client, settings):
    settings.WIJKTEAM_THEME = {**settings.WIJKTEAM_THEME, "primary": "#7A1F5C"}

    response = client.get(reverse("theme_css"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert "--wijkteam-color-primary: #7a1f5c;" in response.content.decode()
    assert "--basis-color-action-1-inverse-bg-default: #7a1f5c;" in response.content.decode()
    assert response["Cache-Control"] == "private, max-age=31536000, immutable"


def test_pages_link_the_theme_stylesheet_by_a_versioned_address(client, settings):
    first = client.get(reverse("accounts:login")).content.decode()
    settings.WIJKTEAM_THEME = {**settings.WIJKTEAM_THEME, "primary": "#7a1f5c"}
    second = client.get(reverse("accounts:login")).content.decode()

    assert f'href="{reverse("theme_css")}?v={theme.version()}"' in second
    assert f"?v={theme.version()}" not in first


def test_the_committed_nlds_css_matches_the_locked_packages():
    """scripts/vendor-css writes each package's version into the files; the lock decides it."""
    lock = json.loads(Path(settings.BASE_DIR, "package-lock.json").read_text())["packages"]
    components = (VENDOR / "nlds-components.css").read_text()
    tokens = (VENDOR / "voorbeeld-theme.css").read_text()

    for path, entry in lock.items():
        if not path:
            continue
        name = path.removeprefix("node_modules/")
        marker = f"{name}@{entry['version']}"
        assert marker in components or marker in tokens, f"{marker} is not what static/vendor/nlds holds"
        assert entry["license"] == "EUPL-1.2", name
    assert "http://" not in components.replace("http://www.w3.org/2000/svg", "")
