from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("casussen/", views.my_cases, name="my_cases"),
    path("casussen/<int:pk>/", views.my_case, name="my_case"),
    path("casussen/<int:pk>/bezoek/", views.visit_new, name="visit_new"),
    path("casussen/<int:pk>/bezoek/verzenden/", views.visit_send, name="visit_send"),
    path("casussen/<int:pk>/bezoek/notitie/", views.visit_note_send, name="visit_note_send"),
    path("casussen/<int:pk>/bezoek/<int:visit_pk>/", views.visit_edit, name="visit_edit"),
    path("casussen/<int:pk>/bezoek/<int:visit_pk>/verzenden/", views.visit_correct_send, name="visit_correct_send"),
    path("concepten/sleutel/", views.draft_key, name="draft_key"),
    path("voorstellen/<int:pk>/", views.proposal, name="proposal"),
    path("voorstellen/<int:pk>/aannemen/", views.proposal_accept, name="proposal_accept"),
    path("voorstellen/<int:pk>/afslaan/", views.proposal_decline, name="proposal_decline"),
    path("open-vragen/", views.board, name="board"),
    path("open-vragen/<int:pk>/", views.board_answer, name="board_answer"),
    path("alarm/", views.alarm, name="alarm"),
    path("uren/", views.hours, name="hours"),
]
