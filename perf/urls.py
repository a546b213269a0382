"""The app's URLs plus the baseline admin (benchmark settings only)."""

from django.urls import path

from wijkteam.urls import urlpatterns as app_urlpatterns

from .baseline import site

urlpatterns = [*app_urlpatterns, path("baseline-admin/", site.urls)]
