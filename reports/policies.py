"""Whose reports a reader may see (aggregates only), and when small counts are hidden.

A report covers teams: the teams one works in as a professional or coordinates. Counts below 5
are hidden (shown "<5") unless the reader may open the files of every team in the report —
a professional of all of them — so no resident can be singled out from a small number.
"""

from __future__ import annotations

import enum

from django.db.models import QuerySet

from accounts.facts import coordinated_team_ids, professional_team_ids
from accounts.models import Team
from base.policy import Policy


class ReportPolicy(Policy[Team]):
    model = Team

    class Action(enum.Enum):
        VIEW = "view"

    def scope(self, user, action: Action = Action.VIEW) -> QuerySet[Team]:
        return Team.objects.filter(pk__in=professional_team_ids(user) | coordinated_team_ids(user)).order_by("name")

    def suppress_small_counts(self, user, teams) -> bool:
        return not {team.pk for team in teams} <= professional_team_ids(user)


reports = ReportPolicy()
