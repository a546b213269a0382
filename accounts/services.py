"""Writes on accounts, teams and roles. Keyword-only, atomic, with an actor."""

from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from base.audit import acting_as

# The one documented exception to the house's layering: an account fact (role, activity)
# changes case access, so the services that change one re-derive the case grants at once.
from cases.permissions import sync_user_case_permissions

from .models import Discipline, Municipality, ProfessionalProfile, Team, User
from .roles import Role, forget_roles


def system_actor() -> User:
    """The named, login-less user that management commands act as (audit entries need an actor)."""
    user, created = User.objects.get_or_create(
        username=settings.SYSTEM_ACTOR_USERNAME,
        defaults={"first_name": "Systeem", "is_active": False},
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@transaction.atomic
def team_create(*, actor: User, municipality: Municipality, name: str) -> Team:
    """A team. Its professionals' access to its cases is read from their profiles (no grant rows)."""
    with acting_as(actor):
        return Team.objects.create(municipality=municipality, name=name)


@transaction.atomic
def role_grant(*, actor: User, user: User, role: Role) -> None:
    with acting_as(actor):
        user.groups.add(Group.objects.get(name=role.value))
        forget_roles(user)


@transaction.atomic
def role_revoke(*, actor: User, user: User, role: Role) -> None:
    with acting_as(actor):
        user.groups.remove(Group.objects.get(name=role.value))
        forget_roles(user)
        if role is Role.PROFESSIONAL:
            ProfessionalProfile.objects.filter(user=user).delete()
        sync_user_case_permissions(user)


@transaction.atomic
def professional_set_team(
    *,
    actor: User,
    user: User,
    team: Team,
    discipline: Discipline | str,
    parent_organisation: str = "",
) -> ProfessionalProfile:
    """Make ``user`` a professional of ``team``: the profile is the fact their team's access is read from."""
    with acting_as(actor):
        role_grant(actor=actor, user=user, role=Role.PROFESSIONAL)
        profile, _ = ProfessionalProfile.objects.update_or_create(
            user=user, defaults={"team": team, "discipline": discipline, "parent_organisation": parent_organisation}
        )
        return profile


@transaction.atomic
def user_deactivate(*, actor: User, user: User) -> None:
    """An inactive account loses every grant at once (and cannot log in)."""
    with acting_as(actor):
        user.is_active = False
        user.save(update_fields=["is_active"])
        sync_user_case_permissions(user)


# Roles the functional administrator gives in the admin. Volunteer staff are registered by their
# coordinator, with their volunteer profile (volunteers.services), so that role is not set here.
ADMINISTERED_ROLES = (Role.PROFESSIONAL, Role.COORDINATOR, Role.PRIVACY_OFFICER, Role.ADMINISTRATOR)


@transaction.atomic
def user_roles_set(
    *,
    actor: User,
    user: User,
    roles: Iterable[Role],
    team: Team | None = None,
    discipline: Discipline | str = "",
    parent_organisation: str = "",
    coordinated_teams: Iterable[Team] = (),
    privacy_municipalities: Iterable[Municipality] = (),
) -> None:
    """Someone's staff roles and where they hold them, as the functional administrator sets them:
    a professional in one team (with discipline), a coordinator of teams, a privacy officer of
    municipalities, a functional administrator (who may open the admin site). A role not given is
    taken away with where it was held; the volunteer staff role stays as it is. Case access follows
    at once. Nobody takes the administrator role from themselves (the admin would lock them out)."""
    roles = set(roles) & set(ADMINISTERED_ROLES)
    coordinated_teams, privacy_municipalities = list(coordinated_teams), list(privacy_municipalities)
    errors = {}
    if Role.PROFESSIONAL in roles and (team is None or not discipline):
        errors["team"] = _("A professional needs a team and a discipline.")
    if Role.COORDINATOR in roles and not coordinated_teams:
        errors["coordinated_teams"] = _("A coordinator needs at least one team.")
    if Role.PRIVACY_OFFICER in roles and not privacy_municipalities:
        errors["privacy_municipalities"] = _("A privacy officer needs at least one municipality.")
    if roles and hasattr(user, "api_client"):
        errors["roles"] = _("An API client's system user holds no role.")
    if user.pk == actor.pk and Role.ADMINISTRATOR not in roles:
        errors["roles"] = _("You cannot take the administrator role from yourself. Ask another administrator.")
    if errors:
        raise ValidationError(errors)
    held = set(user.groups.values_list("name", flat=True))
    with acting_as(actor):
        if Role.PROFESSIONAL in roles:
            professional_set_team(
                actor=actor, user=user, team=team, discipline=discipline, parent_organisation=parent_organisation
            )
        for role in ADMINISTERED_ROLES:
            if role in roles and role.value not in held and role is not Role.PROFESSIONAL:
                role_grant(actor=actor, user=user, role=role)
            elif role not in roles and role.value in held:
                role_revoke(actor=actor, user=user, role=role)
        user.coordinated_teams.set(coordinated_teams if Role.COORDINATOR in roles else [])
        user.privacy_municipalities.set(privacy_municipalities if Role.PRIVACY_OFFICER in roles else [])
        if user.is_staff != (Role.ADMINISTRATOR in roles):
            user.is_staff = Role.ADMINISTRATOR in roles
            user.save(update_fields=["is_staff"])
        forget_roles(user)
        sync_user_case_permissions(user)
