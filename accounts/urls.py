from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("verificatie/", views.mfa_verify, name="mfa_verify"),
    path("tweestaps-instellen/", views.mfa_setup, name="mfa_setup"),
]
