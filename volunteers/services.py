"""Writes of the coordinators' work (R11, R14, R15): profiles, screening, equipment,
check-ins, rosters, offboarding. Keyword-only, atomic, with an actor; audited."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.facts import coordinates, is_professional_of
from accounts.models import Team, User
from accounts.roles import Role
from accounts.services import role_grant
from base.audit import acting_as
from base.updates import ConcurrentEditError, model_update
from cases.constants import MembershipRole
from cases.models import CaseMembership
from cases.permissions import sync_user_case_permissions
from cases.services import end_memberships

from . import policies
from .models import (
    Absence,
    CalendarFeed,
    Equipment,
    RosterSlot,
    Shift,
    ShiftRole,
    VolunteerStaff,
    WellbeingCheckIn,
)

PROFILE_FIELDS = (
    "village",
    "interests",
    "hours_per_week",
    "supervisor",
    "started_on",
    "organisation_email",
    "confidentiality_signed_on",
    "introduction_done_on",
    "allowance",
    "vog_requested_on",
    "vog_issued_on",
)


def _require_coordinator(actor: User, team: Team) -> None:
    if not coordinates(actor, team.pk):
        raise PermissionDenied(_("Only the team's coordinator may do this."))


def _check_supervisor(fields: dict, team: Team) -> None:
    """The supervising professional is an active professional of the volunteer's team (R11)."""
    supervisor = fields.get("supervisor")
    if supervisor is not None and not (supervisor.is_active and is_professional_of(supervisor, team.pk)):
        raise ValidationError({"supervisor": _("Choose a professional of the team as supervisor.")})


def _require_manager(actor: User, profile: VolunteerStaff) -> None:
    policies.profiles.require(
        actor, policies.profiles.Action.MANAGE, profile, _("Only the team's coordinator may do this.")
    )


@transaction.atomic
def volunteer_register(
    *,
    actor: User,
    team: Team,
    username: str,
    first_name: str,
    last_name: str,
    email: str = "",
    phone: str = "",
    expertise=(),
    **fields,
) -> VolunteerStaff:
    """A new volunteer staff member: account, role and profile (with their expertise). The
    account gets no password: the volunteer sets one through the password-reset link."""
    _require_coordinator(actor, team)
    if set(fields) - set(PROFILE_FIELDS):
        raise TypeError(f"Unknown profile fields: {sorted(set(fields) - set(PROFILE_FIELDS))}")
    _check_supervisor(fields, team)
    with acting_as(actor):
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    username=username, first_name=first_name, last_name=last_name, email=email, phone=phone
                )
        except IntegrityError as error:
            raise ValidationError({"username": _("This login name is taken.")}) from error
        user.set_unusable_password()
        user.save(update_fields=["password"])
        role_grant(actor=actor, user=user, role=Role.VOLUNTEER_STAFF)
        profile = VolunteerStaff(user=user, team=team, **fields)
        profile.full_clean(exclude=["user", "team"])
        profile.save()
        profile.expertise.set(list(expertise))
        return profile


@transaction.atomic
def volunteer_update(
    *, actor: User, profile: VolunteerStaff, expected_version: int, expertise=None, **fields
) -> VolunteerStaff:
    """Change a profile from the version the coordinator saw. Screening dates change access:
    the case grants are re-derived at once."""
    _require_manager(actor, profile)
    _check_supervisor(fields, profile.team)
    data = dict(fields)
    if expertise is not None:
        data["expertise"] = list(expertise)
    with acting_as(actor):
        profile = VolunteerStaff.objects.select_for_update().get(pk=profile.pk)
        profile, changed = model_update(
            instance=profile,
            fields=(*PROFILE_FIELDS, "expertise"),
            data=data,
            expected_version=expected_version,
            clean_exclude=["user", "team"],
        )
        if {"vog_issued_on", "started_on"} & set(changed):
            sync_user_case_permissions(profile.user)
        return profile


@transaction.atomic
def equipment_issue(*, actor: User, profile: VolunteerStaff, kind: str, description: str = "", identifier: str = "",
                    issued_on: datetime.date | None = None) -> Equipment:  # fmt: skip
    _require_manager(actor, profile)
    with acting_as(actor):
        return Equipment.objects.create(
            volunteer=profile,
            kind=kind,
            description=description,
            identifier=identifier,
            issued_on=issued_on or timezone.localdate(),
        )


@transaction.atomic
def equipment_return(*, actor: User, equipment: Equipment, returned_on: datetime.date | None = None) -> Equipment:
    _require_manager(actor, equipment.volunteer)
    if equipment.returned_on is not None:
        return equipment
    with acting_as(actor):
        equipment.returned_on = returned_on or timezone.localdate()
        equipment.save(update_fields=["returned_on"])
        return equipment


@transaction.atomic
def checkin_record(*, actor: User, profile: VolunteerStaff, load: int, **fields) -> WellbeingCheckIn:
    """Record a well-being check-in (R11) by the coordinator or the supervising professional."""
    policies.profiles.require(
        actor,
        policies.profiles.Action.CHECK_IN,
        profile,
        _("Only the coordinator or the supervising professional may do this."),
    )
    with acting_as(actor):
        checkin = WellbeingCheckIn(volunteer=profile, held_by=actor, load=load, **fields)
        checkin.full_clean(exclude=["volunteer", "held_by"])
        checkin.save()
        return checkin


@transaction.atomic
def volunteer_offboard(
    *, actor: User, profile: VolunteerStaff, ended_on: datetime.date | None = None
) -> VolunteerStaff:
    """One action: end every assignment, remove every permission at once, deactivate the
    account, record returned equipment and end future shifts. Audited."""
    _require_manager(actor, profile)
    today = ended_on or timezone.localdate()
    with acting_as(actor):
        end_memberships(CaseMembership.objects.filter(user=profile.user, role=MembershipRole.VOLUNTEER))
        for item in Equipment.objects.filter(volunteer=profile, returned_on__isnull=True):
            item.returned_on = today
            item.save(update_fields=["returned_on"])
        for shift in Shift.objects.filter(person=profile.user, date__gt=today):
            shift.delete()
        profile.ended_on = today
        profile.save(update_fields=["ended_on"])
        user = profile.user
        user.is_active = False
        user.save(update_fields=["is_active"])
        CalendarFeed.objects.filter(user=user).delete()
        sync_user_case_permissions(user)
        return profile


# --- rosters ---------------------------------------------------------------------------------


def is_absent(person: User, day: datetime.date) -> bool:
    return Absence.objects.filter(person=person, start_date__lte=day, end_date__gte=day).exists()


def _duty_role(slot: RosterSlot, date: datetime.date, person: User) -> str:
    """Whether ``person`` may be on duty at ``slot`` on ``date``, and in which role. Refused on a
    day the slot does not run, during the person's absence, or for someone who is not staff of
    the slot's team."""
    team = slot.location.team
    if not slot.runs_on(date):
        raise ValidationError(_("This walk-in hour does not take place on that date."))
    if is_absent(person, date):
        raise ValidationError(_("%(name)s is absent on that date.") % {"name": person.display_name})
    if not policies.is_staff_of(person, team):
        raise ValidationError(_("Only staff of this team can be on duty here."))
    on_team = VolunteerStaff.objects.filter(user=person, team=team, ended_on__isnull=True).exists()
    return ShiftRole.VOLUNTEER if on_team else ShiftRole.PROFESSIONAL


def _already_on_duty(person: User) -> ValidationError:
    return ValidationError(_("%(name)s is already on duty then.") % {"name": person.display_name})


@transaction.atomic
def shift_assign(*, actor: User, slot: RosterSlot, date: datetime.date, person: User) -> Shift:
    """Put someone on duty at a walk-in hour (see :func:`_duty_role` for when not)."""
    _require_coordinator(actor, slot.location.team)
    role = _duty_role(slot, date, person)
    with acting_as(actor):
        try:
            with transaction.atomic():
                return Shift.objects.create(slot=slot, date=date, person=person, role=role)
        except IntegrityError as error:
            raise _already_on_duty(person) from error


@transaction.atomic
def shift_remove(*, actor: User, shift: Shift) -> None:
    _require_coordinator(actor, shift.slot.location.team)
    with acting_as(actor):
        shift.delete()


@transaction.atomic
def shift_swap(*, actor: User, shift: Shift, person: User, expected_version: int) -> Shift:
    """Hand a shift to someone else (a swap), from the version of the shift the coordinator saw:
    when another coordinator swapped or removed it meanwhile, nothing changes
    (``ConcurrentEditError`` with the shift as it is now). The same checks as assigning."""
    _require_coordinator(actor, shift.slot.location.team)
    current = Shift.objects.select_for_update().select_related("slot__location__team", "person").filter(pk=shift.pk)
    shift = current.first()
    if shift is None:
        raise ConcurrentEditError(_("Someone else removed this shift in the meantime."))
    if shift.version != expected_version:
        raise ConcurrentEditError(
            _("Someone else changed this shift in the meantime: %(name)s is on duty now.")
            % {"name": shift.person.display_name},
            current=shift,
        )
    role = _duty_role(shift.slot, shift.date, person)
    if Shift.objects.filter(slot=shift.slot, date=shift.date, person=person).exclude(pk=shift.pk).exists():
        raise _already_on_duty(person)
    with acting_as(actor):
        shift, _changed = model_update(
            instance=shift,
            fields=["person", "role"],
            data={"person": person, "role": role},
            expected_version=shift.version,
        )
        return shift


@transaction.atomic
def absence_record(*, actor: User, person: User, start_date: datetime.date, end_date: datetime.date,
                   reason: str = "") -> Absence:  # fmt: skip
    """Record an absence (holiday). Own absences, or by the coordinator of the person's team."""
    if not policies.may_record_absence(actor, person):
        raise PermissionDenied(_("Only the coordinator may do this."))
    with acting_as(actor):
        absence = Absence(person=person, start_date=start_date, end_date=end_date, reason=reason)
        absence.full_clean()
        absence.save()
        return absence


def calendar_feed_of(user: User) -> CalendarFeed | None:
    """The person's calendar feed, if they made one (a read: pages call this on GET)."""
    return CalendarFeed.objects.filter(user=user).first()


@transaction.atomic
def calendar_feed_create(*, actor: User) -> CalendarFeed:
    """Make (or return) the actor's own feed address: a secret token instead of a login."""
    with acting_as(actor):
        feed, _created = CalendarFeed.objects.get_or_create(user=actor, defaults={"token": secrets.token_urlsafe(32)})
        return feed
