"""Login and the home page per role."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cases import selectors as case_selectors
from volunteers import selectors as volunteer_selectors

from .roles import Role, user_roles

HOME_CASE_LIMIT = 50


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@login_required
def home(request):
    """One page with a section per role the user holds (a coordinator is often a professional)."""
    roles = user_roles(request.user)
    context = {"has_any_role": bool(roles)}
    if Role.PROFESSIONAL.value in roles:
        context["team_cases"] = case_selectors.team_cases(request.user)[:HOME_CASE_LIMIT]
        context["alarms"] = volunteer_selectors.open_alarms_for(request.user)[:20]
    if Role.VOLUNTEER_STAFF.value in roles:
        context["slices"] = case_selectors.volunteer_cases(request.user)
    if Role.COORDINATOR.value in roles:
        context["volunteers"] = volunteer_selectors.coordinated_volunteers(request.user)
    return render(request, "home.html", context)
