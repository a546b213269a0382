"""The coordinator's pages (R11, R14, R15): volunteer staff, screening, equipment, check-ins,
rosters, allowance and offboarding. No case content here. Anyone but a coordinator gets 404,
and a coordinator only reaches the volunteer staff of the teams they coordinate."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import coordinator_required
from base.exports import csv_response
from base.forms import conflict_rows, parse_day, posted
from base.policy import parse_id
from base.submissions import posted_key, submit_once
from base.updates import ConcurrentEditError

from . import policies, selectors, services
from .forms import AbsenceForm, CheckInForm, EquipmentForm, ShiftAssignForm, VolunteerAccountForm, VolunteerProfileForm
from .models import Equipment


def _teams(request):
    return policies.coordinated_teams(request.user)


def _profile(request, pk: int):
    return policies.profiles.get(
        request.user, policies.profiles.Action.MANAGE, pk, queryset=selectors.coordinated_volunteers(request.user)
    )


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


@coordinator_required
@require_safe
def dashboard(request):
    return render(request, "coordination/dashboard.html", {"rows": selectors.coordinator_dashboard(request.user)})


@coordinator_required
@require_http_methods(["GET", "POST"])
def volunteer_new(request):
    teams = _teams(request)
    chosen = parse_id(request.POST.get("team") or request.GET.get("team"))
    team = (teams.filter(pk=chosen).first() if chosen else None) or teams.first()
    if team is None:
        raise Http404
    account = VolunteerAccountForm(posted(request))
    profile_form = VolunteerProfileForm(posted(request), team=team)
    if request.method == "POST" and account.is_valid() and profile_form.is_valid():
        data = dict(profile_form.cleaned_data)
        data.pop("version")
        person = dict(account.cleaned_data)
        key = person.pop("submission_key")

        def record() -> str:
            profile = services.volunteer_register(actor=request.user, team=team, **person, **data)
            messages.success(
                request, _("%(name)s is registered as volunteer staff.") % {"name": profile.user.display_name}
            )
            return reverse("coordination:volunteer", args=[profile.pk])

        try:
            return submit_once(request, key, record)
        except ValidationError as error:
            account.add_error(None, error)
    return render(
        request,
        "coordination/volunteer_new.html",
        {"account": account, "form": profile_form, "team": team, "teams": teams},
    )


@coordinator_required
@require_http_methods(["GET", "POST"])
def volunteer_detail(request, pk: int):
    profile = _profile(request, pk)
    form = VolunteerProfileForm(posted(request), instance=profile)
    conflict = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.volunteer_update(actor=request.user, profile=profile, expected_version=version, **data)
        except ConcurrentEditError as error:
            conflict = conflict_rows(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The profile is saved."))
            return redirect("coordination:volunteer", pk=profile.pk)
    return render(
        request,
        "coordination/volunteer_detail.html",
        {
            "profile": profile,
            "form": form,
            "conflict": conflict,
            "equipment_form": EquipmentForm(),
            "checkin_form": CheckInForm(),
            "equipment": profile.equipment.all(),
            "checkins": profile.checkins.select_related("held_by")[:20],
            "hours": selectors.my_hours(profile.user, weeks=4),
        },
    )


@coordinator_required
@require_POST
def equipment_issue(request, pk: int):
    profile = _profile(request, pk)
    form = EquipmentForm(request.POST)
    if form.is_valid():

        def record() -> str:
            services.equipment_issue(actor=request.user, profile=profile, **form.cleaned_data)
            messages.success(request, _("The equipment is recorded as on loan."))
            return reverse("coordination:volunteer", args=[profile.pk])

        return submit_once(request, posted_key(request), record)
    else:
        messages.error(request, _("The equipment was not recorded; check the fields."))
    return redirect("coordination:volunteer", pk=pk)


@coordinator_required
@require_POST
def equipment_return(request, pk: int, equipment_pk: int):
    profile = _profile(request, pk)
    item = get_object_or_404(Equipment, pk=parse_id(equipment_pk), volunteer=profile)
    services.equipment_return(actor=request.user, equipment=item)
    messages.success(request, _("The equipment is recorded as returned."))
    return redirect("coordination:volunteer", pk=pk)


@coordinator_required
@require_POST
def checkin_new(request, pk: int):
    profile = _profile(request, pk)
    form = CheckInForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")

        def record() -> str:
            services.checkin_record(actor=request.user, profile=profile, **data)
            return reverse("coordination:volunteer", args=[profile.pk])

        response = submit_once(request, key, record)
        messages.success(request, _("The check-in is recorded."))
        return response
    return render(request, "coordination/checkin_error.html", {"profile": profile, "checkin_form": form})


@coordinator_required
@require_http_methods(["GET", "POST"])
def offboard(request, pk: int):
    profile = _profile(request, pk)
    if request.method == "POST":
        services.volunteer_offboard(actor=request.user, profile=profile)
        messages.success(
            request,
            _("%(name)s is offboarded: assignments ended, access removed, account deactivated.")
            % {"name": profile.user.display_name},
        )
        return redirect("coordination:dashboard")
    return render(
        request,
        "coordination/offboard.html",
        {"profile": profile, "equipment": profile.equipment.filter(returned_on__isnull=True)},
    )


# --- rosters ---------------------------------------------------------------------------------


def _parse_day(value: str | None) -> datetime.date:
    return parse_day(value) or timezone.localdate()  # the guard's range: no overflow a week on


@coordinator_required
@require_safe
def roster(request):
    """Week view (default) or month view of the walk-in rosters; ?print=1 for a printable week."""
    teams = _teams(request)
    day = _parse_day(request.GET.get("datum"))
    month_view = request.GET.get("weergave") == "maand"
    if month_view:
        start = day.replace(day=1)
        days = ((start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - start).days
        previous, following = (start - datetime.timedelta(days=1)).replace(day=1), start + datetime.timedelta(days=days)
    else:
        start = day - datetime.timedelta(days=day.weekday())
        days = 7
        previous, following = start - datetime.timedelta(weeks=1), start + datetime.timedelta(weeks=1)
    staff = policies.team_staff(teams)
    context = {
        **selectors.roster(teams=teams, start=start, days=days),
        "start": start,
        "month_view": month_view,
        "previous": previous,
        "following": following,
        "staff": staff,
        "absence_form": AbsenceForm(people=staff),
        "printing": request.GET.get("print") == "1",
    }
    return render(request, "coordination/roster.html", context)


@coordinator_required
@require_POST
def shift_assign(request):
    teams = _teams(request)
    form = ShiftAssignForm(request.POST, people=policies.team_staff(teams))
    back = request.POST.get("next") or "/coordinatie/rooster/"
    if not back.startswith("/coordinatie/rooster/"):
        back = "/coordinatie/rooster/"
    if form.is_valid():
        slot = policies.slots.get(request.user, policies.slots.Action.MANAGE, form.cleaned_data["slot"])
        person = form.cleaned_data["person"]

        def record() -> str:
            services.shift_assign(actor=request.user, slot=slot, date=form.cleaned_data["date"], person=person)
            messages.success(request, _("%(name)s is on duty.") % {"name": person.display_name})
            return back

        try:  # a double tap answers like the first, not "already on duty" (base.submissions)
            return submit_once(request, posted_key(request), record)
        except ValidationError as error:
            messages.error(request, _errors(error))
    else:
        messages.error(request, _("Choose who is on duty."))
    return redirect(back)


@coordinator_required
@require_POST
def shift_remove(request, shift_pk: int):
    shift = policies.shifts.get(request.user, policies.shifts.Action.MANAGE, shift_pk)
    services.shift_remove(actor=request.user, shift=shift)
    messages.success(request, _("The shift is removed."))
    return redirect(f"/coordinatie/rooster/?datum={shift.date.isoformat()}")


@coordinator_required
@require_POST
def absence_new(request):
    staff = policies.team_staff(_teams(request))
    form = AbsenceForm(request.POST, people=staff)
    if form.is_valid():

        def record() -> str:
            services.absence_record(actor=request.user, **form.cleaned_data)
            messages.success(request, _("The absence is recorded."))
            return reverse("coordination:roster")

        try:
            return submit_once(request, posted_key(request), record)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, _errors(error) if isinstance(error, ValidationError) else _("Not allowed."))
    else:
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    return redirect("coordination:roster")


# --- allowance -------------------------------------------------------------------------------


@coordinator_required
@require_safe
def allowance(request):
    """The yearly allowance statements, with a CSV export (?formaat=csv)."""
    try:
        year = int(request.GET.get("jaar", timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    statements, limit = selectors.allowance_statements(request.user, year)
    if request.GET.get("formaat") == "csv":
        months = [f"{m:02d}" for m in range(1, 13)]
        return csv_response(
            f"vergoeding-vrijwillig-medewerkers-{year}.csv",
            [_("Name"), _("Team"), _("Arrangement"), *months, _("Hours"), _("Total (EUR)"), _("Warnings")],
            (
                [
                    st.profile.user.display_name,
                    st.profile.team.name,
                    str(st.profile.allowance or ""),
                    *[number_format(amount, 2) for amount in st.monthly_amounts],
                    number_format(st.total_hours, 1),
                    number_format(st.total_amount, 2),
                    " ".join(st.warnings),
                ]
                for st in statements
            ),
        )
    return render(request, "coordination/allowance.html", {"statements": statements, "limit": limit, "year": year})


@coordinator_required
@require_POST
def shift_swap(request, shift_pk: int):
    """Hand a shift to someone else (a swap), with the same checks as putting someone on duty."""
    shift = policies.shifts.get(request.user, policies.shifts.Action.MANAGE, shift_pk)
    chosen = parse_id(request.POST.get("person"))
    person = policies.team_staff([shift.slot.location.team_id]).filter(pk=chosen).first() if chosen else None
    if person is None:
        messages.error(request, _("Choose who takes over the shift."))
    else:
        try:
            services.shift_swap(
                actor=request.user,
                shift=shift,
                person=person,
                expected_version=parse_id(request.POST.get("version")) or 0,
            )
        except ValidationError as error:  # also ConcurrentEditError: the message says who is on duty now
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("%(name)s takes over the shift.") % {"name": person.display_name})
    return redirect(f"/coordinatie/rooster/?datum={shift.date.isoformat()}")
