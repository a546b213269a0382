"""Reading a file is recorded: every read of a case file or a slice writes an access entry
(who read what, through which view, in which role). Selectors only read; these services read
through them and write the entry, so a refused read (404) writes none."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from base.audit import log_access

from ..models import Case
from ..selectors import CaseFile, case_file, volunteer_case
from ..slice import CaseSlice


@transaction.atomic
def case_file_read(*, actor: User, case_id: int) -> CaseFile:
    """The full case file for a professional's page, its read logged ('case_file')."""
    found = case_file(user=actor, case_id=case_id)
    log_access(actor=actor, instance=found.case, view="case_file")
    return found


@transaction.atomic
def case_slice_read(*, actor: User, case_id: int) -> CaseSlice:
    """One volunteer slice for a page, its read logged ('volunteer_slice')."""
    found = volunteer_case(user=actor, case_id=case_id)
    log_access(actor=actor, instance=Case(pk=found.id), view="volunteer_slice")
    return found
