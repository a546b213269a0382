"""Roles are Django Groups, created by a data migration; a person may hold several."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    VOLUNTEER_STAFF = "volunteer_staff", _("Volunteer staff")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMINISTRATOR = "functional_administrator", _("Functional administrator")


def user_roles(user) -> frozenset[str]:
    """The role names of ``user``, read once per user object (one query)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_wijkteam_roles", None)
    if cached is None:
        role_values = {role.value for role in Role}
        cached = frozenset(name for name in user.groups.values_list("name", flat=True) if name in role_values)
        user._wijkteam_roles = cached
    return cached


def has_role(user, role: Role) -> bool:
    return role.value in user_roles(user)


def forget_roles(user) -> None:
    """Drop the cached roles after a role change on this user object."""
    if hasattr(user, "_wijkteam_roles"):
        del user._wijkteam_roles
