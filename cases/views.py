"""The professionals' pages: intake, the case list, the case file and its actions.

Thin views: parse input, call one selector or service, render. Every case is loaded through
the permission module, so a case you may not see answers 404. Volunteer staff and
coordinators get 404 on every page here (``professional_required``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import professional_required
from accounts.facts import professional_team_ids
from accounts.models import Team, User, Village
from base.forms import conflict_rows, posted
from base.policy import parse_id
from base.submissions import posted_key, record_once, submit_once
from base.updates import ConcurrentEditError

from . import selectors, services
from .forms import (
    AgreementForm,
    CaseCloseForm,
    CaseEditForm,
    CaseFilterForm,
    ConsentForm,
    ExistenceLookupForm,
    IntakeForm,
    JournalForm,
    PersonForm,
    ResidentForm,
    TransferForm,
)
from .models import Agreement, CaseMembership, Resident, VisitNoteOutcome
from .permissions import CaseAction, can, cases_for, consent_allows_volunteer
from .policies import alarms, professionals_for, visit_notes


def _changeable_case(request, pk: int):
    return get_object_or_404(cases_for(request.user, CaseAction.CHANGE_FILE, case_id=parse_id(pk) or 0))


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _case_url(case_pk: int, anchor: str = "") -> str:
    return reverse("cases:detail", args=[case_pk]) + (f"#{anchor}" if anchor else "")


def _back_to_case(case_pk: int, anchor: str = ""):
    return redirect(_case_url(case_pk, anchor))


# --- the case list ---------------------------------------------------------------------------


@professional_required
@require_safe
def case_list(request):
    team_ids = professional_team_ids(request.user)
    form = CaseFilterForm(
        request.GET or None,
        villages=Village.objects.filter(team_id__in=team_ids),
        professionals=User.objects.filter(professional_profile__team_id__in=team_ids).order_by("first_name"),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    page = selectors.team_case_list(
        user=request.user,
        status=filters.get("status", ""),
        domain=filters.get("domain", ""),
        topic=filters.get("topic", ""),
        village=filters["village"].pk if filters.get("village") else None,
        responsible=filters["responsible"].pk if filters.get("responsible") else None,
        urgency=filters.get("urgency", ""),
        quiet_weeks=filters.get("quiet_weeks"),
        query=filters.get("q", ""),
        sort=filters.get("sort") or "newest",
        cursor=request.GET.get("after", "")[:100],
    )
    query = request.GET.copy()
    query.pop("after", None)
    template = "cases/_case_rows.html" if request.htmx else "cases/case_list.html"
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})


# --- intake ----------------------------------------------------------------------------------


@professional_required
@require_safe
def resident_search(request):
    query = request.GET.get("q", "")[:100]
    residents = selectors.resident_search(user=request.user, query=query) if len(query.strip()) >= 2 else []
    return render(request, "cases/_resident_results.html", {"residents": residents, "query": query})


@professional_required
@require_safe
def existence_lookup(request):
    """That, not what: whether another team already helps a resident, and whom to call
    (``cases.policies.existence``); every resident found is logged (the service)."""
    asked = any(name in request.GET for name in ExistenceLookupForm.base_fields)
    form = ExistenceLookupForm(request.GET if asked else None)
    found, yours = [], []
    if form.is_valid():
        criteria = form.cleaned_data
        yours = selectors.resident_matches(user=request.user, **criteria)
        found = services.resident_existence_read(actor=request.user, **criteria)
    return render(
        request,
        "cases/existence_lookup.html",
        {"form": form, "found": found, "yours": yours, "searched": form.is_bound and form.is_valid()},
    )


@professional_required
@require_http_methods(["GET", "POST"])
def intake(request):
    """Register a request for help: find the resident first; a new one is checked for duplicates."""
    residents = selectors.residents_for(request.user)
    chosen = None
    if parse_id(request.GET.get("resident")):
        chosen = residents.filter(pk=parse_id(request.GET["resident"])).first()
    form = IntakeForm(posted(request), residents=residents, initial={"resident": chosen})
    resident_form = ResidentForm(posted(request), prefix="resident")
    duplicates = []
    if request.method == "POST" and form.is_valid():
        chosen = form.cleaned_data["resident"]
        if chosen is not None or resident_form.is_valid():
            data = form.cleaned_data

            def record() -> str:
                case = services.intake_register(
                    actor=request.user,
                    resident=chosen,
                    resident_fields=None
                    if chosen
                    else {name: resident_form.cleaned_data[name] for name in services.RESIDENT_FIELDS},
                    intake_channel=data["intake_channel"],
                    domains=data["domains"],
                    topics=data["topics"],
                    urgency=data["urgency"],
                    request_for_help=data["request_for_help"],
                    volunteer_summary=data["volunteer_summary"],
                    consent_answer=data["consent_answer"],
                    check_duplicates=not data["confirm_new_resident"],
                )
                messages.success(
                    request, _("The request for help is registered as case %(ref)s.") % {"ref": case.reference}
                )
                return reverse("cases:detail", args=[case.pk])

            try:  # a double submit or a retry answers with the first one's case (base.submissions)
                return submit_once(request, data["submission_key"], record)
            except services.PossibleDuplicates as found:  # choose one of them, or confirm a new person
                duplicates = found.duplicates
            except ValidationError as error:
                form.add_error(None, error)
    elif request.method == "POST" and form.cleaned_data.get("resident"):
        chosen = form.cleaned_data["resident"]
    return render(
        request,
        "cases/intake.html",
        {"form": form, "resident_form": resident_form, "chosen": chosen, "duplicates": duplicates},
    )


# --- the case file ---------------------------------------------------------------------------


@professional_required
@require_safe
def case_detail(request, pk: int):
    """The case file. The action forms whose pickers are queries of their own (people,
    agreement, referral) are not part of it: each loads when its button opens it
    (:func:`_action_form`), so a page view costs the same few statements however large the team,
    the file or the social map."""
    case_file = services.case_file_read(actor=request.user, case_id=parse_id(pk) or 0)
    case = case_file.case
    context = {"file": case_file, "case": case}
    if case_file.can_change:
        context |= {"journal_form": JournalForm(), "consent_form": ConsentForm()}
    return render(request, "cases/case_detail.html", context)


@professional_required
@require_safe
@vary_on_headers("HX-Request")
def case_history(request, pk: int):
    """The case file's history, folded away on the page and loaded when opened (htmx; without
    JavaScript a page of its own, as :func:`_action_form`); its read is logged."""
    case, history = services.case_history_read(actor=request.user, case_id=parse_id(pk) or 0)
    context = {"history": history}
    return _action_form(
        request, case, fragment="cases/_history.html", title=_("History"), anchor="history-h", context=context
    )


def _action_form(request, case, *, fragment: str, title: str, anchor: str, context: dict):
    """An action form of the case file, loaded when its button opens it: the ``fragment`` alone
    for htmx, and without JavaScript a page of its own (``title``, a way back to the file at
    ``anchor``). The form posts to the action's own endpoint, which validates it."""
    context = {"case": case, **context}
    if request.htmx:
        return render(request, fragment, context)
    return render(
        request, "cases/case_action.html", {**context, "fragment": fragment, "title": title, "anchor": anchor}
    )


@professional_required
@require_http_methods(["GET", "POST"])
def case_edit(request, pk: int):
    case = _changeable_case(request, pk)
    initial = {
        "intake_channel": case.intake_channel,
        "domains": case.domains.all(),
        "topics": case.topics.all(),
        "urgency": case.urgency,
        "request_for_help": case.request_for_help,
        "volunteer_summary": case.volunteer_summary,
        "version": case.version,
    }
    form = CaseEditForm(posted(request), initial=initial)
    conflict = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.case_update(actor=request.user, case=case, expected_version=data.pop("version"), **data)
        except ConcurrentEditError as error:
            conflict = conflict_rows(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The case is saved."))
            return _back_to_case(case.pk)
    return render(request, "cases/case_edit.html", {"case": case, "form": form, "conflict": conflict})


@professional_required
@require_http_methods(["GET", "POST"])
def resident_edit(request, pk: int):
    case = _changeable_case(request, pk)
    form = ResidentForm(posted(request), instance=Resident.objects.get(pk=case.resident_id))
    form.fields["village"].queryset = Village.objects.filter(municipality=case.team.municipality_id)
    conflict = []
    if request.method == "POST" and form.is_valid():
        try:
            services.resident_update(
                actor=request.user,
                case=case,
                expected_version=form.cleaned_data["version"],
                **{name: form.cleaned_data[name] for name in services.RESIDENT_FIELDS},
            )
        except ConcurrentEditError as error:
            conflict = conflict_rows(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The resident's details are saved."))
            return _back_to_case(case.pk)
    return render(request, "cases/resident_edit.html", {"case": case, "form": form, "conflict": conflict})


@professional_required
@require_POST
def journal_add(request, pk: int):
    case = _changeable_case(request, pk)
    form = JournalForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")

        def record() -> str:
            services.journal_entry_add(actor=request.user, case=case, **data)
            return _case_url(case.pk, "journal-h")

        try:
            record_once(request, key, record)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = JournalForm()
            if not request.htmx:
                messages.success(request, _("The journal entry is added."))
                return _back_to_case(case.pk, "journal-h")
    if request.htmx:
        case_file = selectors.case_file(user=request.user, case_id=case.pk)  # re-rendered after a change
        return render(request, "cases/_journal.html", {"file": case_file, "case": case, "journal_form": form})
    messages.error(request, _("The journal entry was not added: %(errors)s") % {"errors": _form_errors(form)})
    return _back_to_case(case.pk, "journal-h")


def _form_errors(form) -> str:
    return " ".join(str(message) for errors in form.errors.values() for message in errors)


@professional_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def agreement_add(request, pk: int):
    """GET: the agreement form of the case file (:func:`_action_form`); POST: add the agreement."""
    case = _changeable_case(request, pk)
    if request.method == "GET":
        form = AgreementForm(people=selectors.case_people(case))
        return _action_form(
            request,
            case,
            fragment="cases/_agreement_form.html",
            title=_("Add agreement"),
            anchor="agreements-h",
            context={"agreement_form": form},
        )
    form = AgreementForm(request.POST, people=selectors.case_people(case))
    if form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")

        def record() -> str:
            services.agreement_add(actor=request.user, case=case, **data)
            return _case_url(case.pk, "agreements-h")

        try:
            record_once(request, key, record)
        except ValidationError as error:
            messages.error(request, _errors(error))
        else:
            messages.success(request, _("The agreement is added."))
    else:
        messages.error(request, _("The agreement was not added: %(errors)s") % {"errors": _form_errors(form)})
    return _back_to_case(case.pk, "agreements-h")


@professional_required
@require_POST
def agreement_done(request, pk: int, agreement_pk: int):
    case = _changeable_case(request, pk)
    agreement = get_object_or_404(Agreement, pk=parse_id(agreement_pk), case=case)
    services.agreement_complete(actor=request.user, agreement=agreement)
    messages.success(request, _("The agreement is marked as done."))
    return _back_to_case(case.pk, "agreements-h")


@professional_required
@require_POST
def consent_record(request, pk: int):
    case = _changeable_case(request, pk)
    form = ConsentForm(request.POST)
    if form.is_valid():

        def record() -> str:
            services.consent_record(actor=request.user, case=case, **form.cleaned_data)
            messages.success(request, _("The resident's answer is recorded."))
            return _case_url(case.pk, "consent-h")

        return submit_once(request, posted_key(request), record)
    else:
        messages.error(request, _form_errors(form))
    return _back_to_case(case.pk, "consent-h")


@professional_required
@require_POST
def consent_withdraw(request, pk: int):
    case = _changeable_case(request, pk)
    try:
        services.consent_withdraw(actor=request.user, case=case, note=request.POST.get("note", "")[:500])
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Consent is withdrawn. Volunteer staff no longer have access."))
    return _back_to_case(case.pk, "consent-h")


# The same lists the case page offers are what a POST accepts; what someone outside them hears:
PICKER_REFUSALS = {
    "responsible": gettext_lazy("The responsible professional must be an active professional of the case's team."),
    "professional": gettext_lazy("Only active professionals of this municipality can be added as a professional."),
    "volunteer": gettext_lazy(
        "This person cannot join this case as volunteer staff: that needs the resident's consent, "
        "a valid VOG, and that they did not decline the case."
    ),
}


def _people_picker(case, role: str):
    """Whom the people form of ``role`` offers: the very list :func:`case_people` accepts."""
    if role == "volunteer":
        return selectors.assignable_volunteers(case)
    return professionals_for(case, responsible=role == "responsible")


PEOPLE_LABELS = {
    "responsible": gettext_lazy("New responsible professional"),
    "professional": gettext_lazy("Add a professional"),
    "volunteer": gettext_lazy("Add volunteer staff"),
}


@professional_required
@require_safe
@vary_on_headers("HX-Request")
def people_forms(request, pk: int):
    """The forms of "Add or change people" on the case file (:func:`_action_form`); each posts to
    :func:`case_people` with its role."""
    case = _changeable_case(request, pk)
    forms = {
        f"{role}_form": PersonForm(people=_people_picker(case, role), label=label, auto_id=f"id_{role}_%s")
        for role, label in PEOPLE_LABELS.items()
    }
    return _action_form(
        request,
        case,
        fragment="cases/_people_forms.html",
        title=_("Add or change people"),
        anchor="team-h",
        context={**forms, "consent_allows_volunteer": consent_allows_volunteer(case)},
    )


@professional_required
@require_POST
def case_people(request, pk: int, role: str):
    """Set the responsible professional, add a professional, or let a volunteer join."""
    case = _changeable_case(request, pk)
    actions = {
        "responsible": (services.case_set_responsible, "professional"),
        "professional": (services.case_add_professional, "professional"),
        "volunteer": (services.volunteer_assign, "volunteer"),
    }
    if role not in actions:
        raise Http404
    service, keyword = actions[role]
    form = PersonForm(request.POST, people=_people_picker(case, role), refused=PICKER_REFUSALS[role])
    if form.is_valid():

        def record() -> str:
            service(actor=request.user, case=case, **{keyword: form.cleaned_data["person"]})
            name = form.cleaned_data["person"].display_name
            if role == "volunteer":  # a proposal: they see the case once they accept it (R7)
                messages.success(request, _("%(name)s is proposed for this case and asked to answer.") % {"name": name})
            else:
                messages.success(request, _("Saved: %(name)s works on this case.") % {"name": name})
            return _case_url(case.pk, "team-h")

        try:
            return submit_once(request, posted_key(request), record)
        except ValidationError as error:
            messages.error(request, _errors(error))
    else:
        messages.error(request, _form_errors(form))
    return _back_to_case(case.pk, "team-h")


@professional_required
@require_POST
def membership_end(request, pk: int, membership_pk: int):
    case = _changeable_case(request, pk)
    membership = get_object_or_404(CaseMembership, pk=parse_id(membership_pk), case=case, ended_at__isnull=True)
    try:
        services.membership_end(actor=request.user, membership=membership)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("%(name)s no longer works on this case.") % {"name": membership.user.display_name})
    return _back_to_case(case.pk, "team-h")


@professional_required
@require_POST
def case_status(request, pk: int, action: str):
    """Hold, resume, start triage, flag/unflag for the weekly meeting, or remove the intake
    API's "possible duplicate" mark once checked."""
    case = _changeable_case(request, pk)
    steps = {
        "hold": (services.case_hold, _("The case is on hold.")),
        "resume": (services.case_resume, _("The case is active again.")),
        "triage": (services.case_start_triage, _("The case is in triage.")),
    }
    try:
        if action == "flag":
            services.case_flag_for_meeting(actor=request.user, case=case, flagged=not case.flagged_for_meeting)
            messages.success(request, _("The weekly meeting agenda is updated."))
        elif action == "duplicate_checked":
            services.case_duplicate_checked(actor=request.user, case=case)
            messages.success(request, _("The mark “possible duplicate” is removed."))
        elif action in steps:
            service, message = steps[action]
            service(actor=request.user, case=case)
            messages.success(request, message)
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, _errors(error))
    return _back_to_case(case.pk)


@professional_required
@require_http_methods(["GET", "POST"])
def case_transfer(request, pk: int):
    case = _changeable_case(request, pk)
    form = TransferForm(posted(request))
    form.fields["team"].queryset = Team.objects.filter(municipality_id=case.team.municipality_id).exclude(
        pk=case.team_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.case_transfer(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("The case is transferred to %(team)s.") % {"team": form.cleaned_data["team"].name}
            )
            if cases_for(request.user, CaseAction.VIEW_FILE, case_id=case.pk).exists():
                return _back_to_case(case.pk)
            return redirect("cases:list")
    return render(request, "cases/case_transfer.html", {"case": case, "form": form})


@professional_required
@require_http_methods(["GET", "POST"])
def case_close(request, pk: int):
    case = get_object_or_404(cases_for(request.user, CaseAction.VIEW_FILE, case_id=pk))
    form = CaseCloseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        except PermissionDenied:
            form.add_error(None, _("This case cannot be closed now."))
        else:
            messages.success(request, _("The case is closed. Volunteer staff no longer have access."))
            return _back_to_case(case.pk)
    return render(request, "cases/case_close.html", {"case": case, "form": form})


@professional_required
@require_POST
def case_reopen(request, pk: int):
    case = get_object_or_404(cases_for(request.user, CaseAction.VIEW_FILE, case_id=pk))
    try:
        services.case_reopen(actor=request.user, case=case)
    except ValidationError as error:
        messages.error(request, _errors(error))
    except PermissionDenied:
        messages.error(request, _("This case cannot be reopened."))
    else:
        messages.success(request, _("The case is open again."))
    return _back_to_case(case.pk)


@professional_required
@require_POST
def alarm_resolve(request, alarm_pk: int):
    alarm = alarms.get(request.user, alarms.Action.FOLLOW_UP, alarm_pk)
    services.alarm_resolve(actor=request.user, alarm=alarm)
    messages.success(request, _("The alarm is marked as followed up."))
    return redirect("home")


# --- visits volunteer staff could no longer log (issue [15]) -----------------------------------

VISIT_NOTE_DONE = {
    VisitNoteOutcome.LOGGED: gettext_lazy("The visit is added to the case file."),
    VisitNoteOutcome.SET_ASIDE: gettext_lazy("The visit is set aside and its text deleted."),
}


@professional_required
@require_safe
def visit_note(request, note_pk: int):
    """A home visit the server refused to add (the volunteer's access ended while it waited on
    their phone), for a professional to decide on: read logged, 404 where not theirs."""
    note = services.visit_note_read(actor=request.user, note_id=note_pk)
    may_log = note.handled_at is None and can(request.user, CaseAction.CHANGE_FILE, note.case)
    return render(request, "cases/visit_note.html", {"note": note, "may_log": may_log, "outcomes": VisitNoteOutcome})


@professional_required
@require_POST
def visit_note_decide(request, note_pk: int):
    """Add the note as the volunteer's home visit, or set it aside. Decided once: a second tap
    (or a colleague's) answers with what was decided."""
    note = visit_notes.get(request.user, visit_notes.Action.DECIDE, note_pk)
    try:
        note = services.visit_note_handle(actor=request.user, note=note, outcome=request.POST.get("outcome", ""))
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, VISIT_NOTE_DONE[note.outcome])
    return redirect("cases:visit_note", note_pk=note.pk)
