"""Writes on the case file. Views, admin actions and commands all call these.

Every service is keyword-only, atomic, takes the ``actor`` it acts for (audit entries carry
it), checks permissions through :mod:`cases.permissions` and :mod:`cases.policies`, and calls
:func:`~cases.permissions.sync_case_permissions` whenever it changes a fact access rests on.
The package is split along its seams:

* ``intake``    residents, opening a case, editing the case and the resident's details;
* ``workflow``  the status transitions (triage, activate, hold, resume, close, reopen, transfer);
* ``people``    who works on a case, a proposed volunteer's answer and the resident's consent (R6, R7, R9);
* ``entries``   journal, home visits, agreements, volunteer staff's answers and alarms;
* ``meeting``   the weekly meeting (R4, R5);
* ``reads``     reading a case file, a slice, a proposal or whether another team knows a resident, logged;
* ``retention`` the keep-until date of a closed file.
"""

from base.updates import ConcurrentEditError

from ._common import end_memberships
from .entries import (
    VISIT_CORRECTION_WINDOW,
    agreement_add,
    agreement_complete,
    alarm_raise,
    alarm_resolve,
    home_visit_correct,
    home_visit_log,
    interest_record,
    journal_entry_add,
    notify_alarm,
    validate_visit_date,
    visit_note_handle,
    visit_note_send,
)
from .intake import (
    CASE_EDITABLE_FIELDS,
    RESIDENT_FIELDS,
    PossibleDuplicates,
    case_open,
    case_update,
    intake_register,
    intake_register_by_client,
    resident_create,
    resident_update,
)
from .meeting import meeting_decide, meeting_end, meeting_start, week_monday
from .people import (
    case_add_professional,
    case_set_responsible,
    consent_record,
    consent_withdraw,
    membership_end,
    proposal_accept,
    proposal_decline,
    volunteer_assign,
)
from .reads import (
    case_file_read,
    case_history_read,
    case_slice_read,
    resident_existence_read,
    visit_note_read,
    volunteer_proposal_read,
    volunteer_proposals_read,
)
from .retention import retention_until_for
from .workflow import (
    case_activate,
    case_close,
    case_duplicate_checked,
    case_flag_for_meeting,
    case_hold,
    case_reopen,
    case_resume,
    case_start_triage,
    case_transfer,
)

__all__ = [
    "CASE_EDITABLE_FIELDS",
    "RESIDENT_FIELDS",
    "VISIT_CORRECTION_WINDOW",
    "ConcurrentEditError",
    "PossibleDuplicates",
    "agreement_add",
    "agreement_complete",
    "alarm_raise",
    "alarm_resolve",
    "case_activate",
    "case_add_professional",
    "case_close",
    "case_duplicate_checked",
    "case_file_read",
    "case_flag_for_meeting",
    "case_history_read",
    "case_hold",
    "case_open",
    "case_reopen",
    "case_resume",
    "case_set_responsible",
    "case_slice_read",
    "case_start_triage",
    "case_transfer",
    "case_update",
    "consent_record",
    "consent_withdraw",
    "end_memberships",
    "home_visit_correct",
    "home_visit_log",
    "intake_register",
    "intake_register_by_client",
    "interest_record",
    "journal_entry_add",
    "meeting_decide",
    "meeting_end",
    "meeting_start",
    "membership_end",
    "notify_alarm",
    "proposal_accept",
    "proposal_decline",
    "resident_create",
    "resident_existence_read",
    "resident_update",
    "retention_until_for",
    "validate_visit_date",
    "visit_note_handle",
    "visit_note_read",
    "visit_note_send",
    "volunteer_assign",
    "volunteer_proposal_read",
    "volunteer_proposals_read",
    "week_monday",
]
