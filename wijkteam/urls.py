from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from reports.views import report
from volunteers.views_calendar import calendar_feed, my_calendar
from wijkteam.pwa import offline_page, service_worker, web_manifest
from wijkteam.theme import theme_css
from wijkteam.views import home

urlpatterns = [
    path("", home, name="home"),
    path("account/", include("accounts.urls")),
    # django-otp-webauthn's endpoints for passkeys (namespace otp_webauthn; accounts/passkeys.py)
    path("account/webauthn/", include("django_otp_webauthn.urls")),
    path("casussen/", include("cases.urls")),
    path("overleg/", include("wijkteam.urls_meeting")),
    path("vrijwillig/", include("volunteers.urls")),
    path("coordinatie/", include("volunteers.urls_coordination")),
    path("privacy/", include("privacy.urls")),
    path("sociale-kaart/", include("socialmap.urls")),
    path("rapportages/", report, name="reports"),
    path("mijn-rooster/", my_calendar, name="my_calendar"),
    path("agenda/<str:token>.ics", calendar_feed, name="calendar_feed"),
    path("taal/", set_language, name="set_language"),
    path("thema.css", theme_css, name="theme_css"),
    # The installable app for volunteer staff (wijkteam/pwa.py): the worker at the root, for scope "/".
    path("sw.js", service_worker, name="service_worker"),
    path("manifest.webmanifest", web_manifest, name="web_manifest"),
    path("offline/", offline_page, name="offline"),
    path("beheer/", admin.site.urls),
    path("api/v1/", include("cases.api.urls")),  # the intake API (docs/deploy.md, "Intake API")
]
