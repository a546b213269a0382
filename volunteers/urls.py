from django.urls import path

from . import views

app_name = "volunteers"

urlpatterns = [
    path("casussen/", views.my_cases, name="my_cases"),
    path("casussen/<int:pk>/", views.my_case, name="my_case"),
]
