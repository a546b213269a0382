"""The weekly meeting (R4, R5): the agenda builds itself, triage without page reloads."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.decorators import professional_required
from accounts.models import User
from accounts.roles import Role, has_role
from volunteers.models import VolunteerStaff

from . import selectors, services
from .forms import DecisionForm
from .models import Meeting
from .permissions import CaseAction, cases_for
from .slice import build_slices


def _team_meetings(user):
    """Meetings of the teams the user is a professional of."""
    return Meeting.objects.filter(team__professionals__user=user).select_related("team", "chair")


@professional_required
@require_http_methods(["GET", "POST"])
def meeting_current(request):
    """This week's meeting of my team: open it, or go to it."""
    team = selectors.current_meeting_team(request.user)
    if team is None:
        raise Http404
    if request.method == "POST":
        meeting = services.meeting_start(actor=request.user, team=team)
        return redirect("meetings:detail", pk=meeting.pk)
    this_week = services.week_monday(timezone.localdate())
    meeting = Meeting.objects.filter(team=team, week_start=this_week).first()
    if meeting is not None:
        return redirect("meetings:detail", pk=meeting.pk)
    past = _team_meetings(request.user).filter(team=team)[:12]
    return render(request, "meetings/meeting_start.html", {"team": team, "past": past})


@login_required
def meeting_detail(request, pk: int):
    """The agenda. Professionals of the team triage here; when the team lets volunteer staff
    join the case meeting (R4), they see only the items of cases they may see, as slices."""
    if has_role(request.user, Role.PROFESSIONAL):
        meeting = get_object_or_404(_team_meetings(request.user), pk=pk)
        page = request.GET.get("pagina", "1")
        agenda = selectors.meeting_agenda(
            user=request.user, meeting=meeting, page=int(page) if page.isdigit() and len(page) < 6 else 1
        )
        return render(request, "meetings/meeting.html", {"meeting": meeting, "agenda": agenda, "items": agenda.items})
    if has_role(request.user, Role.VOLUNTEER_STAFF):
        return _volunteer_meeting(request, pk)
    raise Http404


def _volunteer_meeting(request, pk: int):
    profile = VolunteerStaff.objects.filter(user=request.user).first()
    meeting = get_object_or_404(
        Meeting.objects.select_related("team"), pk=pk, team_id=getattr(profile, "team_id", None)
    )
    if not meeting.team.volunteers_join_meeting:
        raise Http404
    agenda_ids = selectors.meeting_agenda_for_team(meeting=meeting)
    slices = build_slices(cases_for(request.user, CaseAction.VIEW_SLICE).filter(pk__in=agenda_ids))
    return render(request, "meetings/meeting_volunteer.html", {"meeting": meeting, "slices": slices})


def _decision_context(request, meeting: Meeting, case_pk: int, data=None):
    case = get_object_or_404(
        selectors.team_cases(request.user).filter(team=meeting.team).select_related("team__municipality"), pk=case_pk
    )
    suggestions = selectors.volunteer_suggestions(case)
    professionals = User.objects.filter(professional_profile__team=meeting.team, is_active=True).order_by("first_name")
    current = selectors.responsible_of(case)
    reasons = request.GET.getlist("reason") or (data.getlist("reasons") if data else [])
    form = DecisionForm(
        data,
        professionals=professionals,
        suggestions=suggestions,
        initial={"responsible": current or request.user, "reasons": reasons},
    )
    return (
        case,
        form,
        {
            "meeting": meeting,
            "case": case,
            "form": form,
            "suggestions": suggestions,
            "consent_yes": selectors.consent_allows_volunteer(case),
        },
    )


@professional_required
@require_http_methods(["GET", "POST"])
def meeting_decide(request, pk: int, case_pk: int):
    """The decision form of one agenda item (an htmx fragment), and recording the decision."""
    meeting = get_object_or_404(_team_meetings(request.user), pk=pk)
    case, form, context = _decision_context(
        request, meeting, case_pk, request.POST if request.method == "POST" else None
    )
    if request.method == "POST" and form.is_valid():
        volunteer = None
        if form.cleaned_data["volunteer"]:
            allowed = {s.user_id for s in context["suggestions"]}
            if form.cleaned_data["volunteer"] not in allowed:
                form.add_error("volunteer", _("Choose one of the suggested volunteer staff."))
            else:
                volunteer = User.objects.get(pk=form.cleaned_data["volunteer"])
        if not form.errors:
            try:
                decision = services.meeting_decide(
                    actor=request.user,
                    meeting=meeting,
                    case=case,
                    responsible=form.cleaned_data["responsible"],
                    volunteer=volunteer,
                    next_step=form.cleaned_data["next_step"],
                    notes=form.cleaned_data["notes"],
                    reasons=form.cleaned_data["reasons"],
                )
            except (ValidationError, PermissionDenied) as error:
                form.add_error(None, error if isinstance(error, ValidationError) else _("Not allowed."))
            else:
                item = selectors.AgendaItem(case=case, reasons=decision.reasons, decision=decision)
                if request.htmx:
                    return render(
                        request, "meetings/_item.html", {"meeting": meeting, "item": item, "just_decided": True}
                    )
                messages.success(request, _("Decision recorded for case %(ref)s.") % {"ref": case.reference})
                return redirect("meetings:detail", pk=meeting.pk)
    template = "meetings/_decision_form.html" if request.htmx else "meetings/decision.html"
    return render(request, template, context)


@professional_required
@require_POST
def meeting_end(request, pk: int):
    meeting = get_object_or_404(_team_meetings(request.user), pk=pk)
    services.meeting_end(actor=request.user, meeting=meeting)
    messages.success(request, _("The meeting is closed. These are the minutes."))
    return redirect("meetings:minutes", pk=meeting.pk)


@professional_required
def meeting_minutes(request, pk: int):
    meeting = get_object_or_404(_team_meetings(request.user), pk=pk)
    decisions = meeting.decisions.select_related("case__resident", "responsible", "volunteer", "decided_by")
    return render(request, "meetings/minutes.html", {"meeting": meeting, "decisions": decisions})
