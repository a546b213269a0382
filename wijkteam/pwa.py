"""The installable web app for volunteer staff (issue [15], docs/offline-visits-design.md): the
service worker at the site root, the web manifest and the page shown without a connection.

All three are public and the same for everyone: no personal data, no case data. The worker
caches the app shell only (the static files the pages use and the anonymous offline page);
pages themselves are never cached (``NoStoreMiddleware``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import os

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from .theme import theme
from .theme import version as theme_version

# The static files of every page (base.html), cached when the worker installs.
SHELL_STATIC = (
    "vendor/nlds/voorbeeld-theme.css",
    "vendor/nlds/nlds-components.css",
    "css/wijkteam.css",
    "django_htmx/htmx-2.min.js",
    "js/wijkteam.js",
    "js/draft-store.js",
    "js/offline-visits.js",
)
# The worker's own code (importScripts): static files, so the CSP's script-src 'self' holds.
WORKER_SCRIPTS = ("js/draft-store.js", "js/service-worker.js")


def _static_files() -> list[str]:
    return [*SHELL_STATIC, theme()["logo"]]


def _content_hash(names) -> str:
    """A hash of the files' bytes: any change of a cached file (or of the worker's code) changes
    the worker's script, so browsers install the new worker and refresh the cache."""
    digest = hashlib.sha256()
    for name in names:
        digest.update(name.encode())
        digest.update(_file_digest(name))
    return digest.hexdigest()[:16]


def _file_digest(name: str) -> bytes:
    path = finders.find(name)
    if path is None:  # collected only (production): read through the storage
        with staticfiles_storage.open(name) as handle:
            return hashlib.sha256(handle.read()).digest()
    found = os.stat(path)
    return _digest_of(path, found.st_mtime_ns, found.st_size)


@functools.lru_cache(maxsize=64)
def _digest_of(path: str, mtime_ns: int, size: int) -> bytes:
    """Read once per version of the file: browsers ask for the worker on every visit."""
    with open(path, "rb") as handle:
        return hashlib.sha256(handle.read()).digest()


def worker_script() -> str:
    names = _static_files()
    config = {
        "version": _content_hash([*names, *WORKER_SCRIPTS]),
        "staticUrl": static(""),
        "shell": [static(name) for name in names] + [f"{reverse('theme_css')}?v={theme_version()}"],
        "offlineUrl": reverse("offline"),
        "draftKeyUrl": reverse("volunteers:draft_key"),
    }
    scripts = ", ".join(json.dumps(static(name)) for name in WORKER_SCRIPTS)
    return (
        "// Wijkteam's service worker (wijkteam/pwa.py; docs/offline-visits-design.md).\n"
        f"self.WIJKTEAM_WORKER = {json.dumps(config)};\n"
        f"importScripts({scripts});\n"
    )


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """At the site root, so its scope is the whole site without a Service-Worker-Allowed header."""
    response = HttpResponse(worker_script(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"  # browsers check for a new worker on every visit
    return response


@require_safe
def web_manifest(request: HttpRequest) -> JsonResponse:
    """Installs the app on the phone's home screen, in the municipality's name and colour."""
    name = theme()["name"]
    manifest = {
        "name": name,
        "short_name": name[:12],
        "description": _("Casework of the neighbourhood team"),
        "lang": request.LANGUAGE_CODE,
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": theme()["primary"],
        "icons": [{"src": static(theme()["logo"]), "sizes": "any", "type": "image/svg+xml", "purpose": "any"}],
    }
    response = JsonResponse(manifest, content_type="application/manifest+json")
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline_page(request: HttpRequest) -> HttpResponse:
    """What a page asked for without a connection shows (the worker caches it fetched without
    cookies: anonymous, so it holds no name and no session's token)."""
    return render(request, "offline.html")
