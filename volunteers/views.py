"""Volunteer staff pages: built from slices only (cases.slice), never model instances."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from accounts.roles import Role, has_role
from cases import selectors


def _volunteer_only(request) -> None:
    if not has_role(request.user, Role.VOLUNTEER_STAFF):
        raise Http404


@login_required
def my_cases(request):
    _volunteer_only(request)
    return render(request, "volunteers/my_cases.html", {"slices": selectors.volunteer_cases(request.user)})


@login_required
def my_case(request, pk: int):
    _volunteer_only(request)
    case_slice = selectors.volunteer_case(user=request.user, case_id=pk)
    return render(request, "volunteers/my_case.html", {"slice": case_slice})
