"""The privacy officer's scope: the residents of the municipalities they serve.

A privacy officer handles the GDPR requests of their own municipality's residents only
(``Municipality.privacy_officers``); a resident of another municipality answers 404, as one
that does not exist. One query answers both "may…" and "which…" (``base.policy.Policy``).
"""

from __future__ import annotations

import enum

from django.db.models import QuerySet

from accounts.facts import privacy_municipality_ids
from base.policy import Policy
from cases.models import Resident


class ResidentRequestPolicy(Policy[Resident]):
    model = Resident

    class Action(enum.Enum):
        HANDLE = "handle"  # find, see the requests, export, restrict, object, erase

    def scope(self, user, action: Action = Action.HANDLE) -> QuerySet[Resident]:
        return Resident.objects.filter(village__municipality_id__in=privacy_municipality_ids(user))


residents = ResidentRequestPolicy()
