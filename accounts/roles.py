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
        "accounts.view_apiclient",
        "accounts.add_apiclient",
        "accounts.change_apiclient",
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


# --- the roles in the session -------------------------------------------------------------------

SESSION_KEY = "wijkteam_roles"


def access_changed(user_ids) -> None:
    """The groups or second-step devices of these users changed: every session of theirs reads
    the roles and the device again on its next request, on any app server (the number is on the
    user row each request loads)."""
    from django.db.models import F

    from .models import User

    ids = [pk for pk in user_ids if pk is not None]
    if ids:
        User.objects.filter(pk__in=ids).update(access_version=F("access_version") + 1)


def _groups_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """``m2m_changed`` of ``User.groups``, from either side (a user's groups or a group's users)."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if not reverse:  # instance is the user
        access_changed([instance.pk])
    elif action == "pre_clear":  # instance is the group, about to lose every user
        access_changed(list(instance.user_set.values_list("pk", flat=True)))
    else:
        access_changed(pk_set or [])


def _group_deleted(sender, instance, **kwargs) -> None:
    access_changed(list(instance.user_set.values_list("pk", flat=True)))


def _device_changed(sender, instance, **kwargs) -> None:
    """A second-step device was saved (confirmed, or not any more) or deleted."""
    access_changed([instance.user_id])


def connect_role_signals() -> None:
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_otp_webauthn.models import WebAuthnCredential

    from .models import User

    m2m_changed.connect(_groups_changed, sender=User.groups.through, dispatch_uid="accounts.roles_changed")
    pre_delete.connect(_group_deleted, sender=Group, dispatch_uid="accounts.group_deleted")
    for device in (TOTPDevice, StaticDevice, WebAuthnCredential):
        for signal in (post_save, post_delete):
            signal.connect(_device_changed, sender=device, dispatch_uid=f"accounts.device_changed.{device.__name__}")


class RolesInSessionMiddleware:
    """The roles every page reads, kept in the session with the user's ``access_version``: a
    request whose session holds the current number skips the query for them; a changed role
    raises the number, so the very next request reads them again."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return self.get_response(request)
        kept = request.session.get(SESSION_KEY)
        if isinstance(kept, list) and len(kept) == 3 and kept[:2] == [user.pk, user.access_version]:
            user._wijkteam_roles = frozenset(kept[2])
        response = self.get_response(request)
        roles = getattr(user, "_wijkteam_roles", None)
        fresh = [user.pk, user.access_version, sorted(roles or ())]
        if roles is not None and user.is_active and kept != fresh and _same_user(request, user):
            request.session[SESSION_KEY] = fresh
        return response


def _same_user(request, user) -> bool:
    """Still logged in as ``user`` after the view (not logged out, nor in as someone else)."""
    current = getattr(request, "user", None)
    return current is not None and current.is_authenticated and current.pk == user.pk
