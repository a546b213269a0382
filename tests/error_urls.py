"""The app's URLs plus views that fail on purpose, for the error-page tests."""

from django.core.exceptions import PermissionDenied
from django.urls import path

from wijkteam.urls import urlpatterns as app_patterns


def boom(request):
    raise RuntimeError("MARKER-stacktrace-secret")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [*app_patterns, path("test-boom/", boom), path("test-forbidden/", forbidden)]
