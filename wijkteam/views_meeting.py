"""The weekly meeting (R4, R5): the agenda builds itself, triage without page reloads.

These pages sit at the project level because they join two rooms: the case file's agenda and
decisions (``cases``) and volunteer matching (``volunteers.matching``). Meetings load through
``cases.policies.meetings``; cases through the case policy.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import professional_required
from accounts.roles import Role, has_role
from base.policy import parse_id
from base.submissions import record_once
from cases import selectors, services
from cases.forms import DecisionForm
from cases.models import Meeting
from cases.permissions import CaseAction, cases_for, consent_allows_volunteer
from cases.policies import meetings, professionals_for
from cases.slice import build_slices
from volunteers.matching import volunteer_suggestions


def _held(request, pk) -> Meeting:
    return meetings.get(
        request.user, meetings.Action.HOLD, pk, queryset=Meeting.objects.select_related("team", "chair")
    )


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
    past = meetings.scope(request.user, meetings.Action.HOLD).filter(team=team).select_related("team", "chair")[:12]
    return render(request, "meetings/meeting_start.html", {"team": team, "past": past})


@login_required
@require_safe
def meeting_detail(request, pk: int):
    """The agenda. Professionals of the team triage here; when the team lets volunteer staff
    join the case meeting (R4), they see only the items of cases they may see, as slices."""
    if has_role(request.user, Role.PROFESSIONAL):
        meeting = _held(request, pk)
        page = parse_id(request.GET.get("pagina")) or 1
        agenda = selectors.meeting_agenda(user=request.user, meeting=meeting, page=min(page, 10_000))
        return render(request, "meetings/meeting.html", {"meeting": meeting, "agenda": agenda, "items": agenda.items})
    meeting = meetings.get(request.user, meetings.Action.JOIN, pk, queryset=Meeting.objects.select_related("team"))
    agenda_ids = selectors.meeting_agenda_for_team(meeting=meeting)
    slices = build_slices(cases_for(request.user, CaseAction.VIEW_SLICE).filter(pk__in=agenda_ids))
    return render(request, "meetings/meeting_volunteer.html", {"meeting": meeting, "slices": slices})


@professional_required
@require_http_methods(["GET", "POST"])
def meeting_decide(request, pk: int, case_pk: int):
    """The decision form of one agenda item (an htmx fragment), and recording the decision.
    Who may join is the service's rule (``permissions.eligible_volunteers``); the form offers
    the ranked suggestions, read only when the form is shown."""
    meeting = _held(request, pk)
    case = selectors.meeting_case(user=request.user, meeting=meeting, case_id=case_pk)
    form = DecisionForm(
        request.POST if request.method == "POST" else None,
        professionals=professionals_for(case, responsible=True),
        initial={"reasons": request.GET.getlist("reason")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data

        def record() -> str:
            services.meeting_decide(
                actor=request.user,
                meeting=meeting,
                case=case,
                responsible=data["responsible"],
                volunteer=data["volunteer"],
                next_step=data["next_step"],
                notes=data["notes"],
                reasons=data["reasons"],
            )
            if not request.htmx:
                messages.success(request, _("Decision recorded for case %(ref)s.") % {"ref": case.reference})
            return reverse("meetings:detail", args=[meeting.pk])

        try:  # a double tap answers like the first: the decided item (base.submissions)
            url = record_once(request, data["submission_key"], record)
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied:
            form.add_error(None, _("Not allowed."))
        else:
            if request.htmx:
                item = selectors.decided_item(meeting=meeting, case=case)
                return render(request, "meetings/_item.html", {"meeting": meeting, "item": item, "just_decided": True})
            return HttpResponseRedirect(url)
    suggestions = volunteer_suggestions(case)
    form.offer(suggestions)
    if not form.is_bound:
        form.initial["responsible"] = selectors.responsible_of(case) or request.user
    context = {
        "meeting": meeting,
        "case": case,
        "form": form,
        "suggestions": suggestions,
        "consent_yes": consent_allows_volunteer(case),
    }
    if not request.htmx:
        return render(request, "meetings/decision.html", context)
    response = render(request, "meetings/_decision_form.html", context)
    if request.method == "POST":
        # The form posts to replace its whole agenda item (the decided item comes back); with an
        # error only the form comes back, so it goes where the form is, and the item stays.
        response["HX-Retarget"] = f"#decide-{case.pk}"
        response["HX-Reswap"] = "innerHTML"
    return response


def _add_errors(form, error: ValidationError) -> None:
    """A service's error on a field of the form shows at that field; others above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


@professional_required
@require_POST
def meeting_end(request, pk: int):
    meeting = _held(request, pk)
    services.meeting_end(actor=request.user, meeting=meeting)
    messages.success(request, _("The meeting is closed. These are the minutes."))
    return redirect("meetings:minutes", pk=meeting.pk)


@professional_required
@require_safe
def meeting_minutes(request, pk: int):
    meeting = _held(request, pk)
    decisions = meeting.decisions.select_related("case__resident", "responsible", "volunteer", "decided_by")
    return render(request, "meetings/minutes.html", {"meeting": meeting, "decisions": decisions})
