"""The app's URLs plus the baseline admin and the floor page (benchmark settings only)."""

from django.urls import path

from wijkteam.urls import urlpatterns as app_urlpatterns

from .baseline import site
from .views import floor

urlpatterns = [*app_urlpatterns, path("baseline-admin/", site.urls), path("vloer/", floor, name="bench_floor")]
