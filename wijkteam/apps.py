from django.apps import AppConfig
from django.contrib.admin.apps import AdminConfig


class WijkteamAdminConfig(AdminConfig):
    """The admin site for functional administrators only, behind MFA."""

    default_site = "wijkteam.admin.WijkteamAdminSite"


class WijkteamConfig(AppConfig):
    """The project level: pages that tie the apps together (the home page per role, the weekly
    meeting) and the demo world (``seed_demo``)."""

    name = "wijkteam"
    verbose_name = "Wijkteam"

    def ready(self) -> None:
        from . import theme  # noqa: F401  (registers the theme's system check)
