"""``/api/v1/``: the intake API and its OpenAPI document (served by the app, no login)."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularYAMLAPIView

from . import views

app_name = "api"

urlpatterns = [
    path("intakes/", views.IntakeListView.as_view(), name="intakes"),
    path("intakes/<int:pk>/", views.IntakeDetailView.as_view(), name="intake"),
    path("openapi.yaml", SpectacularYAMLAPIView.as_view(), name="openapi_yaml"),
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi_json"),
]
