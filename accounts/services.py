"""Writes on accounts, teams and roles. Keyword-only, atomic, with an actor."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction

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
