"""Template context: the roles of the logged-in user, for the navigation per role."""

from django.http import HttpRequest

from .roles import Role, user_roles


def roles(request: HttpRequest) -> dict:
    names = user_roles(getattr(request, "user", None))
    return {
        "is_professional": Role.PROFESSIONAL.value in names,
        "is_volunteer_staff": Role.VOLUNTEER_STAFF.value in names,
        "is_coordinator": Role.COORDINATOR.value in names,
        "is_administrator": Role.ADMINISTRATOR.value in names,
        "is_privacy_officer": Role.PRIVACY_OFFICER.value in names,
    }
