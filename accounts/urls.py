from django.urls import path

from . import views, views_passkeys

app_name = "accounts"

urlpatterns = [
    path("inloggen/", views.LoginView.as_view(), name="login"),
    path("uitloggen/", views.LogoutView.as_view(), name="logout"),
    path("gemeente/", views.sso_start, name="sso_start"),
    path("gemeente/terug/", views.sso_callback, name="sso_callback"),
    path("gemeente/geweigerd/", views.sso_refused, name="sso_refused"),
    path("verificatie/", views.mfa_verify, name="mfa_verify"),
    path("tweestaps-instellen/", views.mfa_setup, name="mfa_setup"),
    path("tweede-stap/", views_passkeys.second_step, name="second_step"),
    path("tweede-stap/passkey/", views_passkeys.passkey_add, name="passkey_add"),
    path("tweede-stap/passkey/maken/", views_passkeys.passkey_create, name="passkey_create"),
    path("tweede-stap/passkey/<int:pk>/verwijderen/", views_passkeys.passkey_remove, name="passkey_remove"),
]
