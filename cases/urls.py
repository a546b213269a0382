from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("aanmelden/", views.intake, name="intake"),
    path("aanmelden/inwoners/", views.resident_search, name="resident_search"),
    path("aanmelden/bekend/", views.existence_lookup, name="existence_lookup"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/geschiedenis/", views.case_history, name="history"),
    path("<int:pk>/bewerken/", views.case_edit, name="edit"),
    path("<int:pk>/inwoner/", views.resident_edit, name="resident_edit"),
    path("<int:pk>/journaal/", views.journal_add, name="journal_add"),
    path("<int:pk>/afspraken/", views.agreement_add, name="agreement_add"),
    path("<int:pk>/afspraken/<int:agreement_pk>/klaar/", views.agreement_done, name="agreement_done"),
    path("<int:pk>/toestemming/", views.consent_record, name="consent_record"),
    path("<int:pk>/toestemming/intrekken/", views.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/betrokkenen/", views.people_forms, name="people_forms"),
    path("<int:pk>/betrokkenen/<str:role>/", views.case_people, name="people"),
    path("<int:pk>/betrokkenen/<int:membership_pk>/beeindigen/", views.membership_end, name="membership_end"),
    path("<int:pk>/status/<str:action>/", views.case_status, name="status"),
    path("<int:pk>/overdragen/", views.case_transfer, name="transfer"),
    path("<int:pk>/afsluiten/", views.case_close, name="close"),
    path("<int:pk>/heropenen/", views.case_reopen, name="reopen"),
    path("alarmen/<int:alarm_pk>/afgehandeld/", views.alarm_resolve, name="alarm_resolve"),
    path("bezoeknotities/<int:note_pk>/", views.visit_note, name="visit_note"),
    path("bezoeknotities/<int:note_pk>/besluit/", views.visit_note_decide, name="visit_note_decide"),
]
