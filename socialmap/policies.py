"""Who may see and keep the social map (R12), collective signals (R13) and referrals.

One query answers both "may this user…" and "which…" (``base.policy.Policy``). The social map
and the signals are kept by the municipality's professionals and volunteer staff (volunteer
staff know the local map best); moving a signal on is the professionals' task (R13).
Referrals are case-file records: whoever may work on the case (change the file, or log a visit
on it) may refer and record how it went.
"""

from __future__ import annotations

import enum

from django.db.models import QuerySet

from accounts.facts import professional_team_ids
from accounts.models import Team, Village
from base.policy import Policy
from cases.models import Case
from cases.permissions import worked_on_cases
from cases.screening import volunteer_team_id

from .models import CollectiveSignal, Offer, Referral


def staff_team_ids(user) -> set[int]:
    """The teams ``user`` works in: as a professional, or as screened volunteer staff."""
    teams = set(professional_team_ids(user))
    volunteer_team = volunteer_team_id(user)
    if volunteer_team is not None:
        teams.add(volunteer_team)
    return teams


def staff_villages(user, *, professionals_only: bool = False) -> QuerySet[Village]:
    """The villages of the municipalities ``user`` works in (the social map is municipal)."""
    teams = professional_team_ids(user) if professionals_only else staff_team_ids(user)
    municipalities = Team.objects.filter(pk__in=teams).values("municipality_id")
    return Village.objects.filter(municipality_id__in=municipalities).order_by("name")


def own_team_villages(user) -> QuerySet[Village]:
    """The villages of the user's own teams (the referral form's short list)."""
    return Village.objects.filter(team_id__in=staff_team_ids(user))


class OfferPolicy(Policy[Offer]):
    model = Offer

    class Action(enum.Enum):
        VIEW = "view"
        EDIT = "edit"

    def scope(self, user, action: Action) -> QuerySet[Offer]:
        villages = staff_villages(user)
        return Offer.objects.filter(
            pk__in=Offer.villages.through.objects.filter(village__in=villages).values("offer_id")
        )


class SignalPolicy(Policy[CollectiveSignal]):
    model = CollectiveSignal

    class Action(enum.Enum):
        VIEW = "view"  # and record one
        ADVANCE = "advance"  # pass on, mark acted on, link offers (R13: professionals)

    def scope(self, user, action: Action) -> QuerySet[CollectiveSignal]:
        villages = staff_villages(user, professionals_only=action is self.Action.ADVANCE)
        return CollectiveSignal.objects.filter(village__in=villages)


class ReferralPolicy(Policy[Referral]):
    model = Referral

    class Action(enum.Enum):
        RECORD_OUTCOME = "record_outcome"

    def cases(self, user) -> QuerySet[Case]:
        """The cases ``user`` may refer from: the cases they work on (``cases.permissions``)."""
        return worked_on_cases(user)

    def scope(self, user, action: Action = Action.RECORD_OUTCOME) -> QuerySet[Referral]:
        return Referral.objects.filter(case__in=self.cases(user).values("pk"))


offers = OfferPolicy()
signals = SignalPolicy()
referrals = ReferralPolicy()


def may_use_social_map(user) -> bool:
    return bool(staff_team_ids(user))
