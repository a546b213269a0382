"""Roles are Django Groups, created by a data migration; a person may hold several."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PROFESSIONAL = "professional", _("Professional")
    VOLUNTEER_STAFF = "volunteer_staff", _("Volunteer staff")
    COORDINATOR = "coordinator", _("Coordinator")
    ADMINISTRATOR = "functional_administrator", _("Functional administrator")
    PRIVACY_OFFICER = "privacy_officer", _("Privacy officer")


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
    """Drop the cached roles and every fact read on this user object (``accounts.facts``, the
    volunteer profile) after a role or fact changed."""
    for name in [name for name in vars(user) if name.startswith("_wijkteam_")]:
        delattr(user, name)


# Model permissions per role (for the admin site). Case access is never a model permission:
# it is derived per case by cases.permissions.
ROLE_MODEL_PERMISSIONS: dict[Role, tuple[str, ...]] = {
    Role.ADMINISTRATOR: (
        "accounts.view_municipality",
        "accounts.change_municipality",
        "accounts.add_municipality",
        "accounts.view_team",
        "accounts.change_team",
        "accounts.add_team",
        "accounts.view_village",
        "accounts.change_village",
        "accounts.add_village",
        "accounts.view_professionalprofile",
        "accounts.change_professionalprofile",
        "accounts.view_user",
        "accounts.change_user",
        "accounts.add_user",
        "volunteers.view_location",
        "volunteers.add_location",
        "volunteers.change_location",
        "volunteers.view_rosterslot",
        "volunteers.add_rosterslot",
        "volunteers.change_rosterslot",
        "volunteers.delete_rosterslot",
        "volunteers.view_allowancearrangement",
        "volunteers.add_allowancearrangement",
        "volunteers.change_allowancearrangement",
        "volunteers.view_allowancelimit",
        "volunteers.add_allowancelimit",
        "volunteers.change_allowancelimit",
        "axes.view_accessattempt",
        "axes.view_accessfailurelog",
        "axes.view_accesslog",
        "axes.delete_accessattempt",
        "cases.view_retentionrule",
        "cases.add_retentionrule",
        "cases.change_retentionrule",
    ),
}


def sync_role_permissions(sender=None, **kwargs) -> None:
    """Give each role group exactly its model permissions (after every migrate)."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_MODEL_PERMISSIONS.items():
        group = Group.objects.filter(name=role.value).first()
        if group is None:
            continue
        wanted = []
        for perm in perms:
            app_label, codename = perm.split(".")
            wanted += list(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
        group.permissions.set(wanted)
