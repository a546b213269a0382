"""The privacy officer's pages: the access log (read-only, its reading logged) and the GDPR
requests of one resident. Anyone else gets 404."""

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from accounts.decorators import role_required
from accounts.roles import Role
from base.submissions import posted_key, submit_once

from . import policies, selectors, services
from .forms import AccessLogFilterForm, ReasonForm
from .models import DataSubjectRequest

privacy_officer_required = role_required(Role.PRIVACY_OFFICER)
ROLE_NAMES = set(Role.values)


@privacy_officer_required
@require_safe
def access_log(request):
    form = AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = selectors.access_log(user=request.user, **filters)
    for entry in entries:
        data = entry.additional_data if isinstance(entry.additional_data, dict) else {}
        stored = data.get("roles")
        # Reads store the reader's roles at that moment; for changes the actor's roles now.
        current = sorted(g.name for g in entry.actor.groups.all() if g.name in ROLE_NAMES) if entry.actor else []
        entry.roles_then = ", ".join(stored if stored is not None else current)
        entry.view_name = data.get("view", "")
    services.access_log_search_record(actor=request.user, filters=filters)
    return render(request, "privacy/access_log.html", {"form": form, "entries": entries})


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
    return render(
        request,
        "privacy/resident.html",
        {
            "resident": person,
            "requests": DataSubjectRequest.objects.filter(resident=person).select_related("handled_by"),
            "retention_reason": services.retention_blocks_erasure(person),
            "form": ReasonForm(),
        },
    )


@privacy_officer_required
@require_POST
def export(request, pk: int, fmt: str):
    """Right of access (art. 15): a readable document (HTML, printable to PDF) or JSON. Making
    it records the request and an access entry, so it is a POST (a GET changes nothing)."""
    if fmt not in ("html", "json"):
        raise Http404
    person = policies.residents.get(request.user, policies.residents.Action.HANDLE, pk)
    data = services.access_export(actor=request.user, resident=person)
    if fmt == "json":
        response = HttpResponse(
            json.dumps(services.export_as_json(data), ensure_ascii=False, indent=2, default=str),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="inzage-inwoner-{person.pk}.json"'
        return response
    return render(request, "privacy/export.html", {"data": data, "resident": person})


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
