"""The privacy officer's pages: the access log (read-only, in words, its reading logged, with a
CSV export), residents and their GDPR requests, and the right-of-access export. Anyone else
gets 404. The desk is on the home page (``wijkteam.views.home``)."""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import role_required
from accounts.roles import Role
from base.exports import csv_response
from base.pdf import PdfUnavailable, html_to_pdf
from base.submissions import posted_key, submit_once

from . import policies, selectors, services
from .forms import AccessLogFilterForm, ExportForm, ReasonForm, RequestCloseForm, RequestRegisterForm

privacy_officer_required = role_required(Role.PRIVACY_OFFICER)


@privacy_officer_required
@require_safe
def access_log(request):
    form = AccessLogFilterForm(request.GET or None, user=request.user)
    filters = form.filters()
    as_csv = request.GET.get("formaat") == "csv"
    limit = selectors.EXPORT_LIMIT if as_csv else selectors.LOG_LIMIT
    page = selectors.access_log(user=request.user, **filters, limit=limit)
    services.access_log_search_record(actor=request.user, filters={**filters, "formaat": "csv" if as_csv else ""})
    if as_csv:
        return csv_response(
            f"toegangslog-{timezone.localdate():%Y-%m-%d}.csv",
            [_("When"), _("Who"), _("Role"), _("What"), _("About"), _("From")],
            ([f"{e.when:%Y-%m-%d %H:%M:%S}", e.who, e.roles, e.what, e.subject, e.remote_addr] for e in page.events),
        )
    return render(
        request,
        "privacy/access_log.html",
        {"form": form, "page": page, "csv_query": _with_csv(request)},
    )


def _with_csv(request) -> str:
    query = request.GET.copy()
    query["formaat"] = "csv"
    return query.urlencode()


@privacy_officer_required
@require_safe
def residents(request):
    query = request.GET.get("q", "")[:100]
    found = selectors.residents_search(user=request.user, query=query) if len(query.strip()) >= 2 else []
    return render(request, "privacy/residents.html", {"query": query, "residents": found})


@privacy_officer_required
@require_safe
def resident(request, pk: int):
    person = policies.residents.get(request.user, policies.residents.Action.HANDLE, pk)
    return _resident_page(request, person)


def _resident_page(request, person, register_form=None, status=200):
    return render(
        request,
        "privacy/resident.html",
        {
            "resident": person,
            "requests": selectors.resident_requests(person),
            "retention_reason": services.retention_blocks_erasure(person),
            "form": ReasonForm(),
            "register_form": register_form or RequestRegisterForm(initial={"received_on": timezone.localdate()}),
            "close_form": RequestCloseForm(),
            "export_form": ExportForm(),
        },
        status=status,
    )


@privacy_officer_required
@require_POST
def request_register(request, pk: int):
    """A request received: open, with its deadline, until it is handled."""
    person = policies.residents.get(request.user, policies.residents.Action.HANDLE, pk)
    form = RequestRegisterForm(request.POST)
    if not form.is_valid():
        return _resident_page(request, person, register_form=form, status=422)

    def register() -> str:
        services.request_register(actor=request.user, resident=person, **form.cleaned_data)
        messages.success(request, _("The request is recorded. Answer it before the date shown."))
        return reverse("privacy:resident", args=[person.pk])

    return submit_once(request, posted_key(request), register)


@privacy_officer_required
@require_POST
def request_close(request, pk: int):
    """An open request handled (or refused) outside the actions on the resident's page."""
    found = policies.requests.get(request.user, policies.requests.Action.HANDLE, pk)
    form = RequestCloseForm(request.POST)
    if form.is_valid():
        services.request_close(actor=request.user, request=found, **form.cleaned_data)
        messages.success(request, _("The request is closed."))
    else:
        messages.error(request, _("Choose the outcome and write down what was done, or why not."))
    return redirect("privacy:resident", pk=found.resident_id)


@privacy_officer_required
@require_POST
def export(request, pk: int, fmt: str):
    """Right of access (art. 15): a document the resident can read, as a page or a PDF, in Dutch
    or English; or JSON (art. 20). Making it records the request and an access entry, so it is a
    POST (a GET changes nothing)."""
    if fmt not in ("html", "pdf", "json"):
        raise Http404
    person = policies.residents.get(request.user, policies.residents.Action.HANDLE, pk)
    language = ExportForm(request.POST).language_or_dutch()
    doc = services.access_export(actor=request.user, resident=person, language=language)
    name = f"inzage-{timezone.localdate():%Y-%m-%d}-inwoner-{person.pk}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(doc.as_json(), ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
    elif fmt == "pdf":
        try:
            content = html_to_pdf(
                render_to_string("privacy/document_pdf.html", {"doc": doc}),
                stylesheets=("css/access-document-print.css",),
            )
        except PdfUnavailable:
            messages.error(request, _("This server cannot make PDFs. Make the readable document and print it."))
            return redirect("privacy:resident", pk=person.pk)
        response = HttpResponse(content, content_type="application/pdf")
    else:
        return render(request, "privacy/export.html", {"doc": doc, "resident": person})
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@privacy_officer_required
@require_POST
def act(request, pk: int, action: str):
    person = policies.residents.get(request.user, policies.residents.Action.HANDLE, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write down the reason or note first."))
        return redirect("privacy:resident", pk=pk)
    if action not in ("restrict", "lift", "object", "erase"):
        raise Http404
    return submit_once(
        request, posted_key(request), lambda: _carry_out(request, person, action, form.cleaned_data["note"])
    )


def _carry_out(request, person, action: str, note: str) -> str:
    """One GDPR request, recorded once per submission key; returns where to answer."""
    if action == "restrict":
        services.resident_restrict(actor=request.user, resident=person, reason=note)
        messages.success(request, _("Processing is restricted: the file is read-only and hidden from volunteer staff."))
    elif action == "lift":
        services.resident_restrict(actor=request.user, resident=person, reason=note, restricted=False)
        messages.success(request, _("The restriction is lifted."))
    elif action == "object":
        services.resident_object(actor=request.user, resident=person, note=note)
        messages.success(request, _("The objection is recorded."))
    elif action == "erase":
        outcome = services.resident_erase(actor=request.user, resident=person, note=note)
        if outcome.outcome == "refused":
            messages.error(request, _("Not erased: %(reason)s") % {"reason": outcome.note})
        else:
            messages.success(request, _("The resident's data are erased."))
    return reverse("privacy:resident", args=[person.pk])
