"""Project-wide middleware."""

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class NoStoreMiddleware:
    """Tell browsers and proxies never to store pages, which may hold personal data.

    Static files are served by whitenoise before this runs and keep their own caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Cache-Control", "no-store")
        return response


class ExplicitLanguageMiddleware:
    """Dutch unless the user chose otherwise with the language switch.

    Django's LocaleMiddleware follows the browser's Accept-Language, so a loaned phone set to
    English would show English pages. Here only the explicit choice (the language cookie that
    ``set_language`` writes) counts; without it, ``LANGUAGE_CODE`` (nl).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            translation.deactivate()
        response.setdefault("Content-Language", language)
        return response


# Pages a logged-in user may reach before completing MFA (URL names).
MFA_EXEMPT_URL_NAMES = {
    "accounts:mfa_verify",
    "accounts:mfa_setup",
    "accounts:logout",
    "accounts:sso_refused",
    # passkeys as the second step: what the verification page's script calls (not registration)
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
    "set_language",
    "calendar_feed",
    "theme_css",
    # the installable app's public files (wijkteam/pwa.py): a worker's update check takes no redirect
    "service_worker",
    "web_manifest",
    "offline",
}


class MFARequiredMiddleware:
    """After the password, every account verifies a second factor before any page (BIO2
    5.17.01): a TOTP code, or a one-time backup code. Without a device yet, the user sets one up.
    There is no setting to switch this off."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not user.is_verified():
            match = resolve_or_none(request.path_info)
            name = (
                f"{match.namespace}:{match.url_name}" if match and match.namespace else getattr(match, "url_name", None)
            )
            if name not in MFA_EXEMPT_URL_NAMES and not request.path_info.startswith(settings.STATIC_URL):
                from django_otp import user_has_device

                target = "accounts:mfa_verify" if user_has_device(user) else "accounts:mfa_setup"
                return redirect_to(target, request)
        return self.get_response(request)


def resolve_or_none(path: str):
    from django.urls import Resolver404, resolve

    try:
        return resolve(path)
    except Resolver404:
        return None


def redirect_to(url_name: str, request: HttpRequest) -> HttpResponse:
    from urllib.parse import urlencode

    from django.shortcuts import redirect
    from django.urls import reverse

    url = reverse(url_name)
    if request.method == "GET" and request.path_info != "/":
        url += "?" + urlencode({"next": request.get_full_path()})
    return redirect(url)


class SecurityHeadersMiddleware:
    """The headers beside the Content-Security-Policy (which django-csp writes, from
    ``CONTENT_SECURITY_POLICY`` in the settings): a Permissions-Policy that switches off what the
    app never uses, and the cross-origin opener policy."""

    PERMISSIONS = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", self.PERMISSIONS)
        response.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


def refresh_interval() -> int:
    """Seconds between two renewals of a session's expiry: a small fraction of the idle timeout."""
    return max(1, min(settings.SESSION_REFRESH_SECONDS, settings.SESSION_COOKIE_AGE // 10))


class SessionIdleRefreshMiddleware:
    """Sessions expire after ``SESSION_COOKIE_AGE`` of inactivity. Instead of writing the session
    on every request (``SESSION_SAVE_EVERY_REQUEST``: one UPDATE per page), renew its expiry at
    most once per :func:`refresh_interval` — a tenth of the idle timeout, and no more than
    ``SESSION_REFRESH_SECONDS`` — so the idle timeout is exact to within a tenth of itself, an
    active user is never logged out, and most pages write nothing."""

    KEY = "_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - session.get(self.KEY, 0) >= refresh_interval():
                session[self.KEY] = now  # modified: saved with a new expiry after the view
        return self.get_response(request)


class OwnNotFoundPageMiddleware:
    """With ``DEBUG`` on, Django answers a 404 with its English technical page (the URL
    patterns, the settings' names). Development shows the app's own page instead, as
    production does: "absent or not yours" looks the same everywhere."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.DEBUG and response.status_code == 404 and _is_technical(response):
            from django.views.defaults import page_not_found

            return page_not_found(request, exception=None)
        return response


def _is_technical(response: HttpResponse) -> bool:
    """Django's technical 404 page (``django/views/templates/technical_404.html``) ends with
    this sentence; the app's pages never say it."""
    content = b"" if response.streaming else response.content
    return b"<code>DEBUG = True</code>" in content
