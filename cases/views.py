"""Case pages. Thin: parse input, call one selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import selectors, services
from .forms import CaseCloseForm
from .permissions import visible_cases


@login_required
def case_detail(request, pk: int):
    case_file = selectors.case_file(user=request.user, case_id=pk)
    return render(request, "cases/case_detail.html", {"file": case_file, "case": case_file.case})


@login_required
@require_http_methods(["GET", "POST"])
def case_close(request, pk: int):
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    form = CaseCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_close(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The case is closed. Volunteer staff no longer have access."))
            return redirect("cases:detail", pk=case.pk)
    return render(request, "cases/case_close.html", {"case": case, "form": form})


@login_required
@require_POST
def case_reopen(request, pk: int):
    case = get_object_or_404(visible_cases(request.user), pk=pk)
    try:
        services.case_reopen(actor=request.user, case=case)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The case is open again."))
    return redirect("cases:detail", pk=case.pk)
