"""Matching volunteer staff to a case (R5): the ranked suggestions of the weekly meeting."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q
from django.utils.translation import gettext

from cases.constants import MembershipRole
from cases.models import Case, CaseInterest, InterestAnswer
from cases.permissions import eligible_volunteers


@dataclass
class Suggestion:
    user_id: int
    name: str
    village: str
    score: float
    reasons: list[str]
    open_cases: int
    hours_per_week: float


def volunteer_suggestions(case: Case) -> list[Suggestion]:
    """Volunteer staff for a case, best match first (R5): same village, expertise against the
    case's domains, declared interest, load against agreed hours. Who may be suggested at all
    is the case file's rule (``cases.permissions.eligible_volunteers``: consent, a valid VOG,
    never anyone who declined the case, R6, R7); this only ranks them."""
    domain_ids = [domain.pk for domain in case.domains.all()]  # read with the case when prefetched
    candidates = (
        eligible_volunteers(case)
        .select_related("user", "village")
        .annotate(
            open_cases=Count(
                "user__case_memberships",
                filter=Q(
                    user__case_memberships__role=MembershipRole.VOLUNTEER,
                    user__case_memberships__ended_at__isnull=True,
                ),
                distinct=True,
            ),
            expertise_match=Count("expertise", filter=Q(expertise__in=domain_ids), distinct=True),
            interested=Exists(
                CaseInterest.objects.filter(case=case, volunteer=OuterRef("user"), answer=InterestAnswer.INTERESTED)
            ),
        )
    )
    resident_village = case.resident.village_id
    suggestions = []
    for volunteer in candidates:
        score, reasons = 0.0, []
        if volunteer.village_id == resident_village:
            score += 3
            reasons.append(gettext("same village"))
        if volunteer.expertise_match:
            score += 2 * volunteer.expertise_match
            reasons.append(gettext("expertise matches"))
        if volunteer.interested:
            score += 4
            reasons.append(gettext("would like to join"))
        capacity = max(float(volunteer.hours_per_week) / 2, 1)  # about two hours a week per case
        load = volunteer.open_cases / capacity
        score -= 2 * load
        if load >= 1:
            reasons.append(gettext("fully booked"))
        suggestions.append(
            Suggestion(
                user_id=volunteer.user_id,
                name=volunteer.user.display_name,
                village=volunteer.village.name if volunteer.village else "",
                score=round(score, 2),
                reasons=reasons,
                open_cases=volunteer.open_cases,
                hours_per_week=float(volunteer.hours_per_week),
            )
        )
    suggestions.sort(key=lambda s: (-s.score, s.name))
    return suggestions
