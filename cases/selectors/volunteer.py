"""What volunteer staff read: their proposals (R7), the slices of their cases (R8) and the
open-questions board (R5). No model instance leaves here: only the frozen read models of
``cases.slice``."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from accounts.models import User

from ..constants import LifeDomainCode
from ..models import Case, CaseInterest
from ..permissions import CaseAction, cases_for
from ..policies import open_questions as open_question_policy
from ..policies import proposals as proposal_policy
from ..slice import PROPOSAL_FIELDS, CaseSlice, Proposal, build_slices


def volunteer_proposals(user: User) -> list[Proposal]:
    """The volunteer's open proposals (R7), newest first: the resident's name and street only
    (``slice.PROPOSAL_FIELDS``). Reading them for a page goes through
    ``services.volunteer_proposals_read``, which records each read."""
    rows = proposal_policy.scope(user).values("id", "case_id", *PROPOSAL_FIELDS).order_by("-started_at", "-id")
    return [_proposal(row) for row in rows]


def open_proposal_count(user: User) -> int:
    """How many proposals wait for the volunteer's answer: a number for the home page, which
    shows no resident (the names are read, and logged, on "Mijn casussen")."""
    return proposal_policy.scope(user).count()


def volunteer_proposal(*, user: User, membership_id: int) -> Proposal:
    """One of the volunteer's open proposals, or 404 (also for anyone else's)."""
    row = proposal_policy.scope(user).filter(pk=membership_id).values("id", "case_id", *PROPOSAL_FIELDS).first()
    if row is None:
        raise Http404
    return _proposal(row)


def _proposal(row: dict) -> Proposal:
    return Proposal(
        id=row["id"],
        case_id=row["case_id"],
        first_name=row["case__resident__first_name"],
        last_name=row["case__resident__last_name"],
        street=row["case__resident__street"],
    )


def volunteer_cases(user: User) -> list[CaseSlice]:
    """The slices of the cases a volunteer is assigned to (R8). No model instance leaves here."""
    return build_slices(cases_for(user, CaseAction.VIEW_SLICE))


def volunteer_case(*, user: User, case_id: int) -> CaseSlice:
    """One slice, with the journal entries shared with volunteers, or 404. Reading it for a page
    goes through ``services.case_slice_read``, which records the read."""
    scoped = cases_for(user, CaseAction.VIEW_SLICE, case_id=case_id)
    slices = build_slices(scoped, with_journal=True, viewer=user)
    if not slices:
        raise Http404
    return slices[0]


@dataclass(frozen=True)
class OpenQuestion:
    """A new case as volunteer staff see it on the board: village, domains, summary. No name,
    no address, nothing else (R8)."""

    id: int
    village: str
    domains: tuple[str, ...]
    volunteer_summary: str
    my_answer: str
    my_reason: str


def open_questions(user: User) -> list[OpenQuestion]:
    rows = list(
        open_question_policy.scope(user).values("id", "resident__village__name", "volunteer_summary").order_by("-id")
    )
    ids = [row["id"] for row in rows]
    domains: dict[int, list[str]] = {}
    for row in Case.domains.through.objects.filter(case_id__in=ids).values("case_id", "lifedomain__code"):
        domains.setdefault(row["case_id"], []).append(str(LifeDomainCode(row["lifedomain__code"]).label))
    answers = {
        row["case_id"]: row
        for row in CaseInterest.objects.filter(case_id__in=ids, volunteer=user).values("case_id", "answer", "reason")
    }
    return [
        OpenQuestion(
            id=row["id"],
            village=row["resident__village__name"],
            domains=tuple(sorted(domains.get(row["id"], []))),
            volunteer_summary=row["volunteer_summary"],
            my_answer=answers.get(row["id"], {}).get("answer", ""),
            my_reason=answers.get(row["id"], {}).get("reason", ""),
        )
        for row in rows
    ]
