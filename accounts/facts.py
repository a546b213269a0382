"""The account facts every policy reads, one helper each (never group queries in views).

* which teams a person is a **professional** of: their ``ProfessionalProfile`` (the team's
  professionals group is derived from it and only carries the case grants);
* which teams a person **coordinates**: ``Team.coordinators``;
* which municipalities a **privacy officer** serves: ``Municipality.privacy_officers``.

Each is read once per user object and only counts while the account is active and holds the
role. Which team a volunteer belongs to, and whether they are screened, is the screening gate
in ``cases.screening`` (the volunteer profile lives in ``volunteers``).
"""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Municipality, ProfessionalProfile, Team
from .roles import Role, forget_roles, has_role


def _cached(user, name: str, load) -> frozenset[int]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    value = getattr(user, name, None)
    if value is None:
        value = frozenset(load())
        setattr(user, name, value)
    return value


def professional_team_ids(user) -> frozenset[int]:
    """The teams ``user`` works in as a professional (R1)."""
    if not has_role(user, Role.PROFESSIONAL):
        return frozenset()
    return _cached(
        user,
        "_wijkteam_professional_teams",
        lambda: ProfessionalProfile.objects.filter(user=user).values_list("team_id", flat=True),
    )


def professional_teams(user) -> QuerySet:
    """:func:`professional_team_ids` as a subquery (``team_id__in=...``): no query of its own,
    for a policy's scope that is read once in its page's query anyway."""
    if not has_role(user, Role.PROFESSIONAL) or not user.is_active:
        return ProfessionalProfile.objects.none().values("team_id")
    return ProfessionalProfile.objects.filter(user=user).values("team_id")


def coordinated_team_ids(user) -> frozenset[int]:
    """The teams ``user`` runs as a coordinator (R14)."""
    if not has_role(user, Role.COORDINATOR):
        return frozenset()
    return _cached(
        user, "_wijkteam_coordinated_teams", lambda: Team.objects.filter(coordinators=user).values_list("pk", flat=True)
    )


def privacy_municipality_ids(user) -> frozenset[int]:
    """The municipalities whose residents' requests ``user`` handles as privacy officer."""
    if not has_role(user, Role.PRIVACY_OFFICER):
        return frozenset()
    return _cached(
        user,
        "_wijkteam_privacy_municipalities",
        lambda: Municipality.objects.filter(privacy_officers=user).values_list("pk", flat=True),
    )


def is_professional_of(user, team_id: int) -> bool:
    return team_id in professional_team_ids(user)


def coordinates(user, team_id: int) -> bool:
    return team_id in coordinated_team_ids(user)


forget_facts = forget_roles  # one cache on the user object; a service that changes a fact drops it
