"""Intake (R3): residents, opening a case, editing its fields and the resident's details."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ApiClient, Municipality, User
from base.audit import acting_as
from base.updates import model_update

from ..constants import ConsentAnswer, IntakeChannel, Urgency
from ..models import Case, LifeDomain, Resident, Topic
from ..permissions import CaseAction, sync_case_permissions
from ..selectors.residents import LikelyDuplicate, likely_duplicates, residents_for
from ._common import locked, require, require_professional
from .people import consent_entry

RESIDENT_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "street",
    "house_number",
    "postcode",
    "village",
    "phone",
    "email",
    "notes",
)
CASE_EDITABLE_FIELDS = ("intake_channel", "urgency", "request_for_help", "volunteer_summary", "flagged_for_meeting")


@transaction.atomic
def resident_create(*, actor: User, **fields) -> Resident:
    require_professional(actor)
    return _resident_make(actor, fields)


def _resident_make(actor: User, fields: dict) -> Resident:
    unknown = set(fields) - set(RESIDENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resident fields: {sorted(unknown)}")
    with acting_as(actor):
        resident = Resident(**fields)
        resident.full_clean()
        resident.save()
        return resident


@transaction.atomic
def case_open(
    *,
    actor: User,
    resident: Resident,
    intake_channel: str,
    domains: Iterable[LifeDomain],
    request_for_help: str,
    topics: Iterable[Topic] = (),
    urgency: str = Urgency.NORMAL,
    volunteer_summary: str = "",
    consent_answer: str = ConsentAnswer.NOT_ASKED,
) -> Case:
    """Register a request for help. The team follows from the resident's village (R1). The
    consent history starts with the answer given at intake, or "not asked yet"."""
    require_professional(actor)
    return _case_make(
        actor=actor,
        resident=resident,
        intake_channel=intake_channel,
        domains=domains,
        request_for_help=request_for_help,
        topics=topics,
        urgency=urgency,
        volunteer_summary=volunteer_summary,
        consent_answer=consent_answer,
    )


def _case_make(
    *,
    actor: User,
    resident: Resident,
    intake_channel: str,
    domains: Iterable[LifeDomain],
    request_for_help: str,
    topics: Iterable[Topic],
    urgency: str,
    volunteer_summary: str,
    consent_answer: str,
    possible_duplicate: bool = False,
    form_reference: str = "",
) -> Case:
    domains = list(domains)
    if not domains:
        raise ValidationError({"domains": _("Choose at least one life domain.")})
    with acting_as(actor):
        case = Case(
            resident=resident,
            team_id=resident.village.team_id,
            intake_channel=intake_channel,
            urgency=urgency,
            request_for_help=request_for_help,
            volunteer_summary=volunteer_summary,
            possible_duplicate=possible_duplicate,
            form_reference=form_reference,
            created_by=actor,
        )
        case.full_clean(exclude=["resident", "team", "created_by"])
        case.save()
        case.domains.set(domains)
        case.topics.set(list(topics))
        if consent_answer not in ConsentAnswer.values:
            raise ValidationError({"consent_answer": _("Choose an answer.")})
        consent_entry(case=case, actor=actor, answer=consent_answer)
        sync_case_permissions(case)
        return case


class PossibleDuplicates(ValidationError):
    """The new resident is likely registered already (``duplicates``: who and why, likeliest
    first; ``residents``: just who)."""

    def __init__(self, duplicates: list[LikelyDuplicate]) -> None:
        super().__init__(_("This resident may already be registered."))
        self.duplicates = duplicates
        self.residents = [hit.resident for hit in duplicates]


DUPLICATE_FIELDS = ("first_name", "last_name", "date_of_birth", "postcode", "house_number")


def _duplicates(among: QuerySet[Resident], fields: dict) -> list[LikelyDuplicate]:
    """Likely duplicates of the new resident in ``among``. Holds the municipality's row, so two
    registrations of one person at the same moment are checked one after the other."""
    village = fields["village"]
    Municipality.objects.select_for_update().filter(pk=village.municipality_id).first()  # one at a time
    return likely_duplicates(
        among=among,
        **{name: fields.get(name) or ("" if name != "date_of_birth" else None) for name in DUPLICATE_FIELDS},
    )


def _register(
    *,
    actor: User,
    resident: Resident | None,
    resident_fields: dict | None,
    duplicates_among: QuerySet[Resident] | None,
    refuse_duplicates: bool,
    **case_fields,
) -> Case:
    """The one intake, for the page and the API: the resident (an existing one, or a new one
    checked for duplicates among ``duplicates_among``), then the case with its first consent
    answer. A likely duplicate is refused (:class:`PossibleDuplicates`) when
    ``refuse_duplicates``, else the case is marked ``possible_duplicate`` for the professionals."""
    if (resident is None) == (resident_fields is None):
        raise TypeError("Give either an existing resident or the fields of a new one.")
    possible_duplicate = False
    if resident is None:
        if duplicates_among is not None:
            found = _duplicates(duplicates_among, resident_fields)
            if found and refuse_duplicates:
                raise PossibleDuplicates(found)
            possible_duplicate = bool(found)
        resident = _resident_make(actor, resident_fields)
    return _case_make(actor=actor, resident=resident, possible_duplicate=possible_duplicate, **case_fields)


@transaction.atomic
def intake_register(
    *,
    actor: User,
    intake_channel: str,
    domains: Iterable[LifeDomain],
    request_for_help: str,
    resident: Resident | None = None,
    resident_fields: dict | None = None,
    topics: Iterable[Topic] = (),
    urgency: str = Urgency.NORMAL,
    volunteer_summary: str = "",
    consent_answer: str = ConsentAnswer.NOT_ASKED,
    check_duplicates: bool = False,
) -> Case:
    """Register a request for help for an existing or a new resident, with the consent answer.

    With ``check_duplicates`` a new resident who is likely already registered is not made:
    :class:`PossibleDuplicates` names them, so the professional can choose one or confirm a new
    person. The check and the registration hold the municipality's row, so two professionals
    registering the same person at the same moment make one resident, and the second is shown
    the first's. (A double submit of the intake form records once: the view sends it through
    ``base.submissions``.)"""
    require_professional(actor)
    return _register(
        actor=actor,
        resident=resident,
        resident_fields=resident_fields,
        duplicates_among=residents_for(actor) if check_duplicates and resident is None else None,
        refuse_duplicates=True,
        intake_channel=intake_channel,
        domains=domains,
        topics=topics,
        urgency=urgency,
        request_for_help=request_for_help,
        volunteer_summary=volunteer_summary,
        consent_answer=consent_answer,
    )


@transaction.atomic
def intake_register_by_client(
    *,
    client: ApiClient,
    resident_fields: dict,
    domains: Iterable[LifeDomain],
    request_for_help: str,
    topics: Iterable[Topic] = (),
    consent_answer: str = ConsentAnswer.NOT_ASKED,
    form_reference: str = "",
) -> Case:
    """A request for help sent by an API client (the online form, R3): always a new resident
    in a village of the client's municipality, registered by the same intake as the page, with
    the client's system user as the actor of every audit entry.

    Nobody is there to choose among likely duplicates, and the resident must not be turned
    away: a likely duplicate (among the municipality's residents) does not block the
    registration, the case is marked ``possible_duplicate`` and the professionals check it in
    triage. The client reads nothing back: its user holds no role and no grant."""
    if not client.is_active:
        raise PermissionDenied(_("This API client is not active."))
    village = resident_fields["village"]
    if village.municipality_id != client.municipality_id:
        raise ValidationError({"village": _("This village is not one of the municipality's villages.")})
    return _register(
        actor=client.user,
        resident=None,
        resident_fields=resident_fields,
        duplicates_among=Resident.objects.filter(village__municipality_id=client.municipality_id),
        refuse_duplicates=False,
        intake_channel=IntakeChannel.ONLINE_FORM,
        domains=domains,
        topics=topics,
        urgency=Urgency.NORMAL,
        request_for_help=request_for_help,
        volunteer_summary="",
        consent_answer=consent_answer,
        form_reference=form_reference,
    )


@transaction.atomic
def case_update(
    *,
    actor: User,
    case: Case,
    expected_version: int,
    domains: Iterable[LifeDomain] | None = None,
    topics: Iterable[Topic] | None = None,
    **fields,
) -> Case:
    """Edit the case's own fields; refuse when someone saved since ``expected_version``."""
    require(actor, CaseAction.CHANGE_FILE, case)
    data = dict(fields)
    if domains is not None:
        data["domains"] = list(domains)
        if not data["domains"]:
            raise ValidationError({"domains": _("Choose at least one life domain.")})
    if topics is not None:
        data["topics"] = list(topics)
    with acting_as(actor):
        current, _changed = model_update(
            instance=locked(case),
            fields=(*CASE_EDITABLE_FIELDS, "domains", "topics"),
            data=data,
            expected_version=expected_version,
            clean_exclude=["resident", "team", "created_by"],
            extra_updates={"last_activity_at": timezone.now()},
        )
        return current


@transaction.atomic
def resident_update(*, actor: User, case: Case, expected_version: int, **fields) -> Resident:
    """Rectify the resident's details from one of their cases (art. 16), from the version the
    editor saw; the audit log keeps the history."""
    require(actor, CaseAction.CHANGE_FILE, case)
    with acting_as(actor):
        resident = Resident.objects.select_for_update().get(pk=case.resident_id)
        resident, _changed = model_update(
            instance=resident, fields=RESIDENT_FIELDS, data=fields, expected_version=expected_version
        )
        return resident
