from django.urls import path

from . import views

app_name = "socialmap"

urlpatterns = [
    path("", views.offer_list, name="offers"),
    path("nieuw/", views.offer_edit, name="offer_new"),
    path("<int:pk>/", views.offer_detail, name="offer"),
    path("verwijzing/casus/<int:case_pk>/", views.referral_new, name="referral_new"),
    path("verwijzing/casus/<int:case_pk>/formulier/", views.referral_form, name="referral_form"),
    path("verwijzing/<int:pk>/", views.referral_outcome, name="referral_outcome"),
    path("signalen/", views.signals, name="signals"),
    path("signalen/<int:pk>/verder/", views.signal_advance, name="signal_advance"),
]
