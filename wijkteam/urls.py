from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from accounts.views import home

urlpatterns = [
    path("", home, name="home"),
    path("account/", include("accounts.urls")),
    path("casussen/", include("cases.urls")),
    path("overleg/", include("cases.urls_meeting")),
    path("vrijwillig/", include("volunteers.urls")),
    path("taal/", set_language, name="set_language"),
    path("beheer/", admin.site.urls),
]
