from django.contrib.admin.apps import AdminConfig


class WijkteamAdminConfig(AdminConfig):
    """The admin site for functional administrators only, behind MFA."""

    default_site = "wijkteam.admin.WijkteamAdminSite"
