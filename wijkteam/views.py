"""Project-level pages: the home page per role, and error views in the app's own design
without personal data."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from accounts.roles import Role, user_roles
from cases import selectors as case_selectors
from cases.policies import alarms, visit_notes
from privacy import selectors as privacy_selectors
from volunteers import selectors as volunteer_selectors

from .week import my_week

HOME_CASE_LIMIT = 50


def csrf_failure(request, reason: str = ""):
    return render(request, "403_csrf.html", status=403)


@login_required
@require_safe
def home(request):
    """One page with a section per role the user holds (a coordinator is often a professional)."""
    roles = user_roles(request.user)
    context = {"has_any_role": bool(roles)}
    if Role.PROFESSIONAL.value in roles:
        context["team_cases"] = case_selectors.team_cases(request.user)[:HOME_CASE_LIMIT]
        context["alarms"] = list(alarms.open_for(request.user)[:20])
        context["visit_notes"] = list(visit_notes.open_for(request.user)[:20])
    if Role.VOLUNTEER_STAFF.value in roles:
        context["slices"] = case_selectors.volunteer_cases(request.user)
        context["open_proposals"] = case_selectors.open_proposal_count(request.user)
    if Role.PROFESSIONAL.value in roles or Role.VOLUNTEER_STAFF.value in roles:
        context["week"] = my_week(request.user, alarms=context.get("alarms", ()))
    if Role.COORDINATOR.value in roles:
        context["volunteers"] = volunteer_selectors.coordinated_volunteers(request.user)
    if Role.PRIVACY_OFFICER.value in roles:
        context["desk"] = privacy_selectors.desk(request.user)
        context["today"] = timezone.localdate()
    return render(request, "home.html", context)
