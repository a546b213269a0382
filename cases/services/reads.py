"""Reading a file is recorded: every read of a case file, a slice or a proposal writes an
access entry (who read what, through which view, in which role), and so does learning that
another team knows a resident. Selectors only read; these services read through them and write the entry,
so a refused read (404) writes none."""

from __future__ import annotations

import datetime

from auditlog.models import LogEntry
from django.shortcuts import get_object_or_404

from accounts.models import User
from base.audit import log_access, logs_reads

from ..models import Case, Resident, VisitNote
from ..permissions import CaseAction, cases_for
from ..policies import visit_notes
from ..selectors import (
    CaseFile,
    KnownElsewhere,
    case_file,
    case_history,
    known_elsewhere,
    volunteer_case,
    volunteer_proposal,
    volunteer_proposals,
)
from ..slice import CaseSlice, Proposal
from ._common import require_professional


def case_file_read(*, actor: User, case_id: int) -> CaseFile:
    """The full case file for a professional's page, its read logged ('case_file').

    Not wrapped in a transaction of its own: the reads change nothing, and the one write, the
    access entry, is ``base.audit.log_access``'s own. A transaction around both would protect
    nothing and add two statements to every page view (``BEGIN``/``COMMIT``; a savepoint pair
    inside an outer transaction)."""
    found = case_file(user=actor, case_id=case_id)
    log_access(actor=actor, instance=found.case, view="case_file")
    return found


@logs_reads
def case_history_read(*, actor: User, case_id: int) -> tuple[Case, list[LogEntry]]:
    """The history of a case file (who changed what, who read it), or 404 where the file is
    not the actor's to read (``CaseAction.VIEW_FILE``); its read logged ('case_history'). The
    case page folds it away and loads it when opened."""
    case = get_object_or_404(cases_for(actor, CaseAction.VIEW_FILE, case_id=case_id))
    log_access(actor=actor, instance=case, view="case_history")
    return case, case_history(case)


@logs_reads
def case_slice_read(*, actor: User, case_id: int) -> CaseSlice:
    """One volunteer slice for a page, its read logged ('volunteer_slice')."""
    found = volunteer_case(user=actor, case_id=case_id)
    log_access(actor=actor, instance=Case(pk=found.id), view="volunteer_slice")
    return found


@logs_reads
def volunteer_proposals_read(*, actor: User) -> list[Proposal]:
    """The volunteer's open proposals for a page (R7), each read logged ('volunteer_proposal'):
    they saw who the resident is (name and street), to say whether they know them."""
    found = volunteer_proposals(actor)
    for proposal in found:
        log_access(actor=actor, instance=Case(pk=proposal.case_id), view="volunteer_proposal")
    return found


@logs_reads
def volunteer_proposal_read(*, actor: User, membership_id: int) -> Proposal:
    """One open proposal of the volunteer, or 404; its read logged ('volunteer_proposal')."""
    found = volunteer_proposal(user=actor, membership_id=membership_id)
    log_access(actor=actor, instance=Case(pk=found.case_id), view="volunteer_proposal")
    return found


@logs_reads
def resident_existence_read(
    *,
    actor: User,
    last_name: str,
    date_of_birth: datetime.date | None,
    postcode: str,
    house_number: str,
) -> list[KnownElsewhere]:
    """That, not what: which other teams know the resident, and whom to call
    (``selectors.known_elsewhere``). Every resident found is an access entry on the Resident
    ('existence_lookup'), so it shows in the access log and in the resident's right-of-access
    export. Professionals only (``cases.policies.existence``)."""
    require_professional(actor)
    found = known_elsewhere(
        user=actor, last_name=last_name, date_of_birth=date_of_birth, postcode=postcode, house_number=house_number
    )
    for hit in found:
        log_access(actor=actor, instance=Resident(pk=hit.resident_id), view="existence_lookup")
    return found


def visit_note_read(*, actor: User, note_id: int) -> VisitNote:
    """A visit note for the professional deciding on it (``policies.visit_notes``), or 404; its
    read logged on the case ('visit_note'): it holds what the volunteer wrote about the resident."""
    note = visit_notes.get(
        actor,
        visit_notes.Action.DECIDE,
        note_id,
        queryset=VisitNote.objects.select_related("volunteer", "handled_by", "case__resident", "case__team"),
    )
    log_access(actor=actor, instance=note.case, view="visit_note")
    return note
