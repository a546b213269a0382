from django.urls import path

from . import views_coordinator as views

app_name = "coordination"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("vrijwillig-medewerkers/nieuw/", views.volunteer_new, name="volunteer_new"),
    path("vrijwillig-medewerkers/<int:pk>/", views.volunteer_detail, name="volunteer"),
    path("vrijwillig-medewerkers/<int:pk>/uitrusting/", views.equipment_issue, name="equipment_issue"),
    path(
        "vrijwillig-medewerkers/<int:pk>/uitrusting/<int:equipment_pk>/retour/",
        views.equipment_return,
        name="equipment_return",
    ),
    path("vrijwillig-medewerkers/<int:pk>/gesprek/", views.checkin_new, name="checkin_new"),
    path("vrijwillig-medewerkers/<int:pk>/uitschrijven/", views.offboard, name="offboard"),
    path("rooster/", views.roster, name="roster"),
    path("rooster/dienst/", views.shift_assign, name="shift_assign"),
    path("rooster/dienst/<int:shift_pk>/verwijderen/", views.shift_remove, name="shift_remove"),
    path("rooster/dienst/<int:shift_pk>/ruilen/", views.shift_swap, name="shift_swap"),
    path("rooster/afwezigheid/", views.absence_new, name="absence_new"),
    path("vergoedingen/", views.allowance, name="allowance"),
]
