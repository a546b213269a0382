"""The municipality's theme: name, logo and primary colour from the ``WIJKTEAM_THEME`` setting.

The colour becomes NL Design System design tokens (CSS custom properties) in a small stylesheet,
``theme.css``, served by :func:`theme_css`: the Content-Security-Policy allows no inline style,
so the tokens cannot go into a ``<style>`` element of the page. The stylesheet's address carries
a hash of the theme, so browsers may keep it (privately) for a year.
"""

import hashlib
import re

from django.conf import settings
from django.core.checks import Error, register
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# WCAG 2.1 AA (1.4.3): white text on the primary colour (header, primary buttons).
MIN_CONTRAST = 4.5


def _channels(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def relative_luminance(colour: str) -> float:
    """WCAG 2.1's relative luminance of an sRGB ``#rrggbb`` colour."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in _channels(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """``colour`` with ``share`` (0..1) of ``other`` mixed in: shades (black) and tints (white)."""
    channels = (round(a + (b - a) * share) for a, b in zip(_channels(colour), _channels(other), strict=True))
    return "#" + "".join(f"{c:02x}" for c in channels)


def theme() -> dict:
    return settings.WIJKTEAM_THEME


def tokens(primary: str) -> dict[str, str]:
    """The design tokens one primary colour sets: the action and accent colours of the
    NL Design System's basis layer (buttons, links, focus of form controls) and our header."""
    dark, darker = mix(primary, "#000000", 0.25), mix(primary, "#000000", 0.45)
    tint, tint_hover = mix(primary, "#ffffff", 0.92), mix(primary, "#ffffff", 0.84)
    values = {"wijkteam-color-primary": primary, "wijkteam-color-primary-hover": dark}
    for scale in ("accent-1", "action-1", "action-2"):
        prefix = f"basis-color-{scale}"
        values |= {
            f"{prefix}-inverse-bg-default": primary,
            f"{prefix}-inverse-bg-hover": dark,
            f"{prefix}-inverse-bg-active": darker,
            f"{prefix}-inverse-color-default": "#ffffff",
            f"{prefix}-inverse-color-hover": "#ffffff",
            f"{prefix}-inverse-color-active": "#ffffff",
            f"{prefix}-color-default": primary,
            f"{prefix}-color-hover": dark,
            f"{prefix}-color-active": darker,
            f"{prefix}-color-document": dark,
            f"{prefix}-border-default": primary,
            f"{prefix}-border-hover": dark,
            f"{prefix}-border-active": darker,
            f"{prefix}-bg-subtle": tint,
            f"{prefix}-bg-default": tint,
            f"{prefix}-bg-hover": tint_hover,
            f"{prefix}-bg-active": tint_hover,
        }
    return values


def stylesheet(primary: str) -> str:
    lines = [f"  --{name}: {value};" for name, value in tokens(primary.lower()).items()]
    # Two classes: wins over the voorbeeld theme's single-class rule whatever the order of the files.
    header = "/* The municipality's theme (WIJKTEAM_THEME), wijkteam/theme.py */\n"
    return header + ".voorbeeld-theme.wijkteam-theme {\n" + "\n".join(lines) + "\n}\n"


def version() -> str:
    return hashlib.sha256(stylesheet(theme()["primary"]).encode()).hexdigest()[:12]


@require_safe
def theme_css(request: HttpRequest) -> HttpResponse:
    """Public (the login page wears the theme too) and the same for everyone."""
    response = HttpResponse(stylesheet(theme()["primary"]), content_type="text/css; charset=utf-8")
    # private: never in a shared cache, whatever cookie the session middleware sets.
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    return response


def theme_context(request: HttpRequest) -> dict:
    """Template context: ``theme`` (name, logo) and the versioned address of its stylesheet."""
    return {"theme": theme(), "theme_css_url": f"{reverse('theme_css')}?v={version()}"}


@register()
def check_theme(app_configs, **kwargs) -> list[Error]:
    """A wrong colour is found at start-up, not by a resident who cannot read a button."""
    primary = theme().get("primary", "")
    if not HEX_COLOUR.match(primary or ""):
        return [Error(f"WIJKTEAM_THEME_PRIMARY must be a colour like #154273, not {primary!r}.", id="wijkteam.E101")]
    ratio = contrast_ratio(primary, "#ffffff")
    if ratio < MIN_CONTRAST:
        return [
            Error(
                f"WIJKTEAM_THEME_PRIMARY {primary} has {ratio:.2f}:1 contrast with white text; WCAG AA needs "
                f"{MIN_CONTRAST}:1. Choose a darker colour.",
                id="wijkteam.E102",
            )
        ]
    return []
