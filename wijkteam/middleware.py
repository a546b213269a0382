"""Project-wide middleware."""

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
