"""The privacy officer's scope: the residents and the staff of the municipalities they serve.

A privacy officer handles the GDPR requests of their own municipality's residents only
(``Municipality.privacy_officers``); a resident of another municipality answers 404, as one
that does not exist. They read the access log of what their municipality's staff (and the
system user of the daily jobs) read and changed. One query answers both "may…" and "which…"
(``base.policy.Policy``).
"""

from __future__ import annotations

import enum

from auditlog.models import LogEntry
from django.conf import settings
from django.db.models import Q, QuerySet

from accounts.facts import privacy_municipality_ids
from accounts.models import User
from base.policy import Policy
from cases.models import Resident

from .models import DataSubjectRequest


class ResidentRequestPolicy(Policy[Resident]):
    model = Resident

    class Action(enum.Enum):
        HANDLE = "handle"  # find, see the requests, export, restrict, object, erase

    def scope(self, user, action: Action = Action.HANDLE) -> QuerySet[Resident]:
        return Resident.objects.filter(village__municipality_id__in=privacy_municipality_ids(user))


def municipality_staff(municipality_ids) -> QuerySet[User]:
    """Everyone who works for these municipalities in the app: professionals, volunteer staff,
    coordinators and privacy officers of their teams, and the system user of the daily jobs."""
    return User.objects.filter(
        Q(professional_profile__team__municipality_id__in=municipality_ids)
        | Q(volunteer_profile__team__municipality_id__in=municipality_ids)
        | Q(coordinated_teams__municipality_id__in=municipality_ids)
        | Q(privacy_municipalities__in=municipality_ids)
        | Q(username=settings.SYSTEM_ACTOR_USERNAME)
    )


class AccessLogPolicy(Policy[LogEntry]):
    model = LogEntry

    class Action(enum.Enum):
        READ = "read"

    def scope(self, user, action: Action = Action.READ) -> QuerySet[LogEntry]:
        municipalities = privacy_municipality_ids(user)
        if not municipalities:
            return LogEntry.objects.none()
        return LogEntry.objects.filter(actor_id__in=municipality_staff(municipalities).values("pk"))


residents = ResidentRequestPolicy()
access_log = AccessLogPolicy()


class RequestPolicy(Policy[DataSubjectRequest]):
    """A GDPR request is handled by a privacy officer of the resident's municipality."""

    model = DataSubjectRequest

    class Action(enum.Enum):
        HANDLE = "handle"

    def scope(self, user, action: Action = Action.HANDLE) -> QuerySet[DataSubjectRequest]:
        return DataSubjectRequest.objects.filter(resident__in=residents.scope(user))


requests = RequestPolicy()
