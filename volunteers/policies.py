"""Who may run which volunteer staff (R11, R14): the coordinator's scope, as policies in the
shape of ``cases.permissions`` (one query answers "may this user…" and "which…").

* :data:`profiles` — a volunteer's profile, screening, equipment, offboarding and allowance
  are managed by the coordinators of the volunteer's team; a well-being check-in is recorded
  by them or by the volunteer's supervising professional;
* :data:`slots` and :data:`shifts` — the walk-in rosters of the teams one coordinates;
* :func:`coordinated_teams` and :func:`team_staff` — the teams and the people on their rosters.
"""

from __future__ import annotations

import enum

from django.db.models import Q, QuerySet

from accounts.facts import coordinated_team_ids, professional_team_ids
from accounts.models import Team, User
from base.policy import Policy

from .models import RosterSlot, Shift, VolunteerStaff


def coordinated_teams(user) -> QuerySet[Team]:
    return Team.objects.filter(pk__in=coordinated_team_ids(user)).order_by("name")


def team_staff(team_ids) -> QuerySet[User]:
    """Active volunteer staff and professionals of the teams: who can be on duty at a walk-in hour."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(volunteer_profile__team__in=team_ids, volunteer_profile__ended_on__isnull=True)
            | Q(professional_profile__team__in=team_ids)
        )
        .distinct()
        .order_by("first_name", "last_name")
    )


def is_staff_of(person: User, team: Team) -> bool:
    return team_staff([team.pk]).filter(pk=person.pk).exists()


class ProfilePolicy(Policy[VolunteerStaff]):
    model = VolunteerStaff

    class Action(enum.Enum):
        MANAGE = "manage"  # profile, screening, equipment, offboarding, allowance (coordinators)
        CHECK_IN = "check_in"  # well-being check-ins (coordinators and the supervising professional)

    def scope(self, user, action: Action) -> QuerySet[VolunteerStaff]:
        coordinated = Q(team_id__in=coordinated_team_ids(user))
        if action is self.Action.CHECK_IN and getattr(user, "is_authenticated", False) and user.is_active:
            supervised = Q(supervisor=user, team_id__in=professional_team_ids(user))
            return VolunteerStaff.objects.filter(coordinated | supervised)
        return VolunteerStaff.objects.filter(coordinated)


class SlotPolicy(Policy[RosterSlot]):
    model = RosterSlot

    class Action(enum.Enum):
        MANAGE = "manage"

    def scope(self, user, action: Action = Action.MANAGE) -> QuerySet[RosterSlot]:
        return RosterSlot.objects.filter(location__team_id__in=coordinated_team_ids(user))


class ShiftPolicy(Policy[Shift]):
    model = Shift

    class Action(enum.Enum):
        MANAGE = "manage"

    def scope(self, user, action: Action = Action.MANAGE) -> QuerySet[Shift]:
        return Shift.objects.filter(slot__location__team_id__in=coordinated_team_ids(user))


profiles = ProfilePolicy()
slots = SlotPolicy()
shifts = ShiftPolicy()


def may_record_absence(actor: User, person: User) -> bool:
    """Own absences, or those of staff of a team the actor coordinates."""
    if actor.pk == person.pk:
        return True
    return team_staff(list(coordinated_team_ids(actor))).filter(pk=person.pk).exists()
