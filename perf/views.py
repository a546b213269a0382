"""The benchmark's floor: the cheapest page a logged-in member of staff can be served through
the whole stack — session, user, second step, roles, no-store, security headers — with a
trivial template. Every page is measured against it (``bench``, ``loadtest``): what a page
costs above the floor is the page's own work. Mounted by the benchmark settings only."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.roles import user_roles


@login_required
@require_safe
def floor(request):
    if not user_roles(request.user):  # the roles, read as every page reads them
        raise Http404
    return render(request, "perf/floor.html", {"name": request.user.display_name})
