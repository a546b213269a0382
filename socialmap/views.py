"""The social map (R12), referrals from a case or a visit, and collective signals (R13).
For professionals and volunteer staff; every object loads through ``socialmap.policies``, so
anything else answers 404."""

from functools import wraps

from auditlog.models import LogEntry
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django.views.decorators.vary import vary_on_headers

from accounts.decorators import professional_required
from accounts.roles import Role, has_role
from base.forms import conflict_rows, posted
from base.policy import parse_id
from base.submissions import record_once, submit_once
from base.updates import ConcurrentEditError
from cases.models import Case

from . import policies, selectors, services
from .forms import OfferForm, OfferSearchForm, ReferralForm, ReferralOutcomeForm, SignalForm


def staff_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not policies.may_use_social_map(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _active_offers(request):
    return policies.offers.scope(request.user, policies.offers.Action.VIEW).filter(active=True)


@staff_required
@require_safe
def offer_list(request):
    villages = policies.staff_villages(request.user)
    form = OfferSearchForm(request.GET or None, villages=villages)
    filters = form.cleaned_data if form.is_valid() else {}
    offers = selectors.offer_search(
        user=request.user,
        village=filters["village"].pk if filters.get("village") else None,
        topic=filters.get("topic", ""),
        query=filters.get("q", ""),
    )
    return render(request, "socialmap/offer_list.html", {"form": form, "offers": offers})


@staff_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk: int | None = None):
    offer = policies.offers.get(request.user, policies.offers.Action.EDIT, pk) if pk else None
    form = OfferForm(posted(request), instance=offer, villages=policies.staff_villages(request.user))
    conflict = []
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        relations = {name: data.pop(name) for name in ("villages", "domains", "topics")}
        version, key = data.pop("version"), data.pop("submission_key")

        def record() -> str:
            saved = services.offer_save(actor=request.user, offer=offer, expected_version=version, **relations, **data)
            return reverse("socialmap:offer", args=[saved.pk])

        try:
            url = record_once(request, key if offer is None else None, record)  # adding: once per key
        except ConcurrentEditError as error:
            conflict = conflict_rows(form, error)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The offer is saved."))
            return redirect(url)
    history = []
    if offer is not None:
        history = LogEntry.objects.get_for_object(offer).select_related("actor").order_by("-timestamp")[:30]
    return render(
        request, "socialmap/offer_form.html", {"form": form, "offer": offer, "history": history, "conflict": conflict}
    )


@professional_required
@require_safe
@vary_on_headers("HX-Request")
def referral_form(request, case_pk: int):
    """The referral form of the professional's case file, loaded when its button opens it (the
    offers are a query of their own): the form alone for htmx, and without JavaScript a page of
    its own. It posts to :func:`referral_new`; the same policy decides, so a case you may not
    refer from answers 404. (Volunteer staff refer from their slice, where the form is inline.)"""
    case = policies.referrals.cases(request.user).filter(pk=parse_id(case_pk)).first()
    if case is None:
        raise Http404
    context = {"case": case, "case_id": case.pk}
    if request.htmx:
        return render(request, "socialmap/_referral_form.html", context)
    return render(
        request,
        "cases/case_action.html",
        {
            **context,
            "fragment": "socialmap/_referral_form.html",
            "title": _("Refer to an offer"),
            "anchor": "referrals-h",
        },
    )


@staff_required
@require_POST
def referral_new(request, case_pk: int):
    """Refer from the case file (professional) or from the slice / a visit (volunteer staff)."""
    case = policies.referrals.cases(request.user).filter(pk=parse_id(case_pk)).first()
    if case is None:
        raise Http404
    form = ReferralForm(request.POST, offers=_active_offers(request))
    if form.is_valid():
        visit = case.home_visits.filter(pk=parse_id(request.POST.get("visit")), visitor=request.user).first()

        def record() -> str:
            services.referral_make(actor=request.user, case=case, offer=form.cleaned_data["offer"], visit=visit)
            return _back(request, case)

        try:
            record_once(request, form.cleaned_data["submission_key"], record)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(
                request, _("The referral to %(offer)s is recorded.") % {"offer": form.cleaned_data["offer"]}
            )
    else:
        messages.error(request, _("Choose an offer from the social map."))
    return redirect(_back(request, case))


@staff_required
@require_POST
def referral_outcome(request, pk: int):
    referral = policies.referrals.get(request.user, policies.referrals.Action.RECORD_OUTCOME, pk)
    form = ReferralOutcomeForm(request.POST)
    if form.is_valid():
        services.referral_outcome(actor=request.user, referral=referral, **form.cleaned_data)
        messages.success(request, _("Saved how the referral went."))
    else:
        messages.error(request, _("Choose how it went."))
    return redirect(_back(request, referral.case))


def _back(request, case: Case) -> str:
    if has_role(request.user, Role.PROFESSIONAL):
        return reverse("cases:detail", args=[case.pk]) + "#referrals-h"
    return reverse("volunteers:my_case", args=[case.pk])


@staff_required
@require_http_methods(["GET", "POST"])
def signals(request):
    form = SignalForm(posted(request), villages=policies.staff_villages(request.user))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        key = data.pop("submission_key")

        def record() -> str:
            services.signal_record(actor=request.user, **data)
            return reverse("socialmap:signals")

        response = submit_once(request, key, record)
        messages.success(request, _("Thank you: the signal is recorded and goes to the professionals."))
        return response
    return render(
        request,
        "socialmap/signals.html",
        {"form": form, "signals": selectors.signals_for(request.user), "offers": _active_offers(request)},
    )


@staff_required
@require_POST
def signal_advance(request, pk: int):
    signal = policies.signals.get(request.user, policies.signals.Action.ADVANCE, pk)
    ids = [number for number in map(parse_id, request.POST.getlist("offers")) if number is not None]
    try:
        services.signal_advance(
            actor=request.user,
            signal=signal,
            expected_version=parse_id(request.POST.get("version")) or 0,
            offers=_active_offers(request).filter(pk__in=ids),
        )
    except ConcurrentEditError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The signal is updated."))
    return redirect("socialmap:signals")


def offer_detail(request, pk: int):
    return offer_edit(request, pk=pk)
