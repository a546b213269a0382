"""The admin site: functional administrators only, and only after MFA."""

from django_otp.admin import OTPAdminSite

from accounts.roles import Role, has_role


class WijkteamAdminSite(OTPAdminSite):
    def __init__(self, name: str = "admin") -> None:
        super().__init__(name=name)

    def has_permission(self, request) -> bool:
        user = request.user
        return bool(user.is_active and user.is_staff and has_role(user, Role.ADMINISTRATOR) and user.is_verified())
