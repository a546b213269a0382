"""Volunteer staff pages, phone first. Built from slices only (cases.slice): never a Case or
Resident instance reaches these templates. Anyone but volunteer staff gets 404 here."""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.decorators import volunteer_required
from base.forms import conflict_rows, posted
from base.policy import parse_id
from base.submissions import earlier_answer, posted_key, record_once, submit_once
from base.updates import ConcurrentEditError
from cases import selectors, services
from cases.models import Case, HomeVisit
from cases.permissions import CaseAction, cases_for
from cases.policies import open_questions, proposals, visit_notes

from . import drafts
from . import selectors as volunteer_selectors
from .forms import AlarmForm, HomeVisitForm, InterestForm, ProposalDeclineForm


def _loggable(request, pk: int):
    """The case the volunteer may log visits on, as a query (empty when not theirs)."""
    return cases_for(request.user, CaseAction.LOG_VISIT, case_id=parse_id(pk) or 0)


def _loggable_case(request, pk: int) -> Case:
    """The case, only to hand to a service: never to a template."""
    return get_object_or_404(_loggable(request, pk))


def _log_visit(request, case: Case, data: dict, *, say: bool) -> str:
    """Record the visit and return where to answer with; ``say``: the thanks on the next page."""
    services.home_visit_log(actor=request.user, case=case, **data)
    if say:
        messages.success(request, _("Your visit is saved. Thank you!"))
    return reverse("volunteers:my_case", args=[case.pk])


@volunteer_required
@require_safe
def my_cases(request):
    """My cases, and above them what the team proposed to me (R7): the resident's name and
    street only, each read logged."""
    return render(
        request,
        "volunteers/my_cases.html",
        {
            "proposals": services.volunteer_proposals_read(actor=request.user),
            "slices": selectors.volunteer_cases(request.user),
            "alarm_form": AlarmForm(),
        },
    )


# --- a proposal (R7): the team proposed me for a case; I accept, or decline ------------------


@volunteer_required
@require_safe
def proposal(request, pk: int):
    """Who the resident is (name and street, no more), to say whether I know them; logged."""
    found = services.volunteer_proposal_read(actor=request.user, membership_id=parse_id(pk) or 0)
    return render(request, "volunteers/proposal.html", {"proposal": found, "form": ProposalDeclineForm()})


def _answer_proposal(request, pk: int, key, answer) -> HttpResponseRedirect:
    """Load my open proposal through its policy (404 when it is not mine, or answered) inside
    the submission, so a double tap answers like the first instead of finding it gone."""

    def record() -> str:
        membership = proposals.get(request.user, proposals.Action.ANSWER, pk)
        return answer(membership)

    try:
        return submit_once(request, key, record)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("volunteers:my_cases")


@volunteer_required
@require_POST
def proposal_accept(request, pk: int):
    def accept(membership) -> str:
        services.proposal_accept(actor=request.user, membership=membership)
        messages.success(request, _("Thank you. The case is now among your cases."))
        return reverse("volunteers:my_case", args=[membership.case_id])

    return _answer_proposal(request, pk, posted_key(request), accept)


@volunteer_required
@require_POST
def proposal_decline(request, pk: int):
    """Decline, with a reason ("I know this resident", R7); only the professionals see it."""
    form = ProposalDeclineForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")

        def decline(membership) -> str:
            services.proposal_decline(actor=request.user, membership=membership, **data)
            messages.success(request, _("Thank you, your answer is passed on to the professionals."))
            return reverse("volunteers:my_cases")

        return _answer_proposal(request, pk, key, decline)
    found = services.volunteer_proposal_read(actor=request.user, membership_id=parse_id(pk) or 0)
    return render(request, "volunteers/proposal.html", {"proposal": found, "form": form})


@volunteer_required
@require_safe
def my_case(request, pk: int):
    case_slice = services.case_slice_read(actor=request.user, case_id=parse_id(pk) or 0)
    return render(request, "volunteers/my_case.html", {"slice": case_slice, "alarm_form": AlarmForm()})


@volunteer_required
@require_http_methods(["GET", "POST"])
def visit_new(request, pk: int):
    """Log a home visit (R9). One submission key per form: a double tap or a retry after a lost
    connection records one visit."""
    case = _loggable_case(request, pk)
    form = HomeVisitForm(posted(request))
    if request.method == "POST" and form.is_valid():
        key, _version, data = _visit_data(form)
        try:
            return submit_once(request, key, lambda: _log_visit(request, case, data, say=True))
        except ValidationError as error:
            form.add_error(None, error)
    case_slice = services.case_slice_read(actor=request.user, case_id=parse_id(pk) or 0)
    return render(request, "volunteers/visit_form.html", {"slice": case_slice, "form": form})


# --- visits kept on the phone without a connection (issue [15], docs/offline-visits-design.md) --


@volunteer_required
@require_safe
def draft_key(request):
    """The key of my visit drafts on this phone, derived from this session (``drafts``), with
    the session's CSRF token to send them. Only ever fetched by the app's own script and worker;
    never stored by the browser (no-store)."""
    if not request.session.session_key:
        request.session.save()
    key = drafts.draft_key(session_key=request.session.session_key, user_id=request.user.pk)
    response = JsonResponse({**key.as_json(), "csrf": get_token(request)})
    response["Cache-Control"] = "no-store"
    return response


REFUSED = gettext_lazy(
    "You can no longer log visits on this case. Nothing was saved on the case. The visit is still on this phone."
)
UNKNOWN_CASE = gettext_lazy("You never worked on this case, or it no longer exists. Delete the visit from this phone.")


def _answer(status: str, http_status: int = 200, **more) -> JsonResponse:
    """The JSON answers of the phone's sends (static/js/draft-store.js reads ``status``):
    ``sent``, ``noted``, ``invalid`` (400), ``refused`` (404) and ``conflict`` (409)."""
    return JsonResponse({"status": status, **more}, status=http_status)


def _refused(message=REFUSED) -> JsonResponse:
    return _answer("refused", 404, message=str(message))


def _invalid(form) -> JsonResponse:
    return _answer("invalid", 400, errors=form.errors.get_json_data())


def _visit_data(form) -> tuple:
    """The visit's fields for a service, and the form's submission key and version apart."""
    data = dict(form.cleaned_data)
    return data.pop("submission_key"), data.pop("version"), data


def _from_the_form(request) -> bool:
    """Sent from the open form (the page waits for the answer), not in the background: the next
    page says it was saved."""
    return request.POST.get("announce") == "1"


@volunteer_required
@require_POST
def visit_send(request, pk: int):
    """A visit kept on the phone, sent by the app's script: the visit form's fields and its
    submission key, the same checks and service as :func:`visit_new`, so a draft sent twice (or
    as a draft and as the form) records one visit. ``refused`` when the case is no longer one
    the volunteer may log visits on (consent, assignment, closed, screening): nothing is
    written -- unless this very visit was recorded before (its answer was lost): then ``sent``."""
    case = _loggable(request, pk).first()
    if case is None:
        earlier = earlier_answer(request, posted_key(request))
        return _answer("sent", url=earlier) if earlier else _refused()
    form = HomeVisitForm(request.POST)
    if form.is_valid():
        key, _version, data = _visit_data(form)
        say = _from_the_form(request)
        try:
            return _answer("sent", url=record_once(request, key, lambda: _log_visit(request, case, data, say=say)))
        except PermissionDenied:
            return _refused()
        except ValidationError as error:
            form.add_error(None, error)
    return _invalid(form)


@volunteer_required
@require_POST
def visit_correct_send(request, pk: int, visit_pk: int):
    """A correction of my visit kept on the phone, sent by the app's script: as
    :func:`visit_edit`, from the version the form was opened on. Someone changed the visit
    meanwhile: ``conflict`` (409), nothing overwritten; the phone then opens the correction
    page, which shows both versions (issue [10]). The same correction sent again (its answer was
    lost) finds the visit as it says already: nothing changes, answered ``sent``
    (``base.updates.model_update``)."""
    case = _loggable(request, pk).first()
    visit = HomeVisit.objects.filter(pk=parse_id(visit_pk), case=case, visitor=request.user).first() if case else None
    if visit is None:
        return _refused()
    form = HomeVisitForm(request.POST)
    form.fields["version"].required = True
    if form.is_valid():
        _key, version, data = _visit_data(form)
        try:  # the same correction again (its answer was lost) changes nothing and is answered "sent"
            services.home_visit_correct(actor=request.user, visit=visit, expected_version=version, **data)
        except ConcurrentEditError:
            return _answer("conflict", 409, message=_("Someone changed this visit meanwhile. Nothing was overwritten."))
        except PermissionDenied:
            return _refused()
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if _from_the_form(request):
                messages.success(request, _("Your visit is corrected."))
            return _answer("sent", url=reverse("volunteers:my_case", args=[case.pk]))
    return _invalid(form)


@volunteer_required
@require_POST
def visit_note_send(request, pk: int):
    """A visit the server refused (the volunteer's access to the case ended while it waited on
    the phone), sent as a note to the professionals who follow the volunteer up: they decide
    what happens with it. Nothing is written to the case (``services.visit_note_send``). Only
    on a case the volunteer was assigned to; sent twice, one note."""
    case = visit_notes.sendable_cases(request.user).filter(pk=parse_id(pk) or 0).first()
    if case is None:
        return _refused(UNKNOWN_CASE)
    form = HomeVisitForm(request.POST)
    if form.is_valid():
        key, _version, data = _visit_data(form)
        # The note's own key, from the visit's: sent twice it is one note, and the visit's key
        # stays the visit's (a later send of the visit is never answered with the note).
        key = uuid.uuid5(key, "visit-note") if key else None

        def record() -> str:
            services.visit_note_send(actor=request.user, case=case, **data)
            return reverse("volunteers:my_cases")

        try:
            record_once(request, key, record)
        except PermissionDenied:
            return _refused(UNKNOWN_CASE)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _answer(
                "noted", message=_("Sent to your supervising professional. They decide what happens with it.")
            )
    return _invalid(form)


@volunteer_required
@require_http_methods(["GET", "POST"])
def visit_edit(request, pk: int, visit_pk: int):
    case = _loggable_case(request, pk)
    visit = get_object_or_404(HomeVisit, pk=parse_id(visit_pk), case=case, visitor=request.user)
    initial = {name: getattr(visit, name) for name in HomeVisitForm.base_fields if hasattr(visit, name)}
    form = HomeVisitForm(posted(request), initial=initial)
    form.fields["version"].required = True
    conflict = []
    if request.method == "POST" and form.is_valid():
        _key, version, data = _visit_data(form)
        try:
            services.home_visit_correct(actor=request.user, visit=visit, expected_version=version, **data)
        except ConcurrentEditError as error:
            conflict = conflict_rows(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            messages.success(request, _("Your visit is corrected."))
            return redirect("volunteers:my_case", pk=pk)
    case_slice = services.case_slice_read(actor=request.user, case_id=parse_id(pk) or 0)
    return render(
        request,
        "volunteers/visit_form.html",
        {"slice": case_slice, "form": form, "correcting": True, "conflict": conflict, "visit_id": visit.pk},
    )


@volunteer_required
@require_safe
def board(request):
    """Open questions of my team (R5): village, domains and the summary only."""
    return render(request, "volunteers/board.html", {"questions": selectors.open_questions(request.user)})


@volunteer_required
@require_http_methods(["GET", "POST"])
def board_answer(request, pk: int):
    case = open_questions.get(request.user, open_questions.Action.ANSWER, pk)
    question = next(q for q in selectors.open_questions(request.user) if q.id == case.pk)
    form = InterestForm(posted(request), initial={"answer": question.my_answer, "reason": question.my_reason})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")

        def record() -> str:
            services.interest_record(actor=request.user, case=case, **data)
            messages.success(request, _("Thank you, your answer is passed on to the professionals."))
            return reverse("volunteers:board")

        return submit_once(request, key, record)
    return render(request, "volunteers/board_answer.html", {"question": question, "form": form})


@volunteer_required
@require_http_methods(["GET", "POST"])
def alarm(request):
    """'This is getting too heavy' (R11), on a case (?casus=) or in general."""
    raw = request.POST.get("casus") or request.GET.get("casus") or ""
    case = None
    if raw:
        case_id = parse_id(raw)
        if case_id is None:
            raise Http404
        case = get_object_or_404(cases_for(request.user, CaseAction.VIEW_SLICE, case_id=case_id))
    form = AlarmForm(posted(request))
    if request.method == "POST" and form.is_valid():

        def record() -> str:
            services.alarm_raise(actor=request.user, case=case, note=form.cleaned_data["note"])
            return reverse("volunteers:my_case", args=[case.pk]) if case else reverse("volunteers:my_cases")

        response = submit_once(request, form.cleaned_data["submission_key"], record)
        messages.success(
            request,
            _("Your supervising professional has been told. The case goes on the next weekly meeting.")
            if case
            else _("Your supervising professional has been told and will contact you."),
        )
        return response
    return render(request, "volunteers/alarm.html", {"form": form, "case_id": case.pk if case else None})


@volunteer_required
@require_safe
def hours(request):
    return render(request, "volunteers/hours.html", {"weeks": volunteer_selectors.my_hours(request.user)})
