from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("toegangslog/", views.access_log, name="access_log"),
    path("inwoners/", views.residents, name="residents"),
    path("inwoners/<int:pk>/", views.resident, name="resident"),
    path("inwoners/<int:pk>/inzage.<str:fmt>", views.export, name="export"),
    path("inwoners/<int:pk>/verzoek/", views.request_register, name="request_register"),
    path("verzoeken/<int:pk>/afhandelen/", views.request_close, name="request_close"),
    path("inwoners/<int:pk>/<str:action>/", views.act, name="act"),
]
