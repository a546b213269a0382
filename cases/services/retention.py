"""How long a closed case file is kept (its keep-until date), from the retention rules."""

from __future__ import annotations

import datetime

from ..models import Case, RetentionRule


def retention_until_for(case: Case, closed_on: datetime.date) -> datetime.date | None:
    """Keep-until date of a closed case: the longest period of the rules for its life domains,
    else its team's rule, else the municipality's default. None: no rule, keep (and say so)."""
    rules = RetentionRule.objects.filter(municipality_id=case.team.municipality_id)
    years = rules.filter(domain__in=case.domains.all()).order_by("-years").values_list("years", flat=True).first()
    if years is None:
        years = rules.filter(team=case.team_id).order_by("-years").values_list("years", flat=True).first()
    if years is None:
        years = rules.filter(is_default=True).order_by("-years").values_list("years", flat=True).first()
    if years is None:
        return None
    try:
        return closed_on.replace(year=closed_on.year + years)
    except ValueError:  # 29 February
        return closed_on.replace(year=closed_on.year + years, day=28)
