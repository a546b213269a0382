"""Login with a second factor."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from base.forms import posted

from . import mfa
from .forms import LoginForm, TokenForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """The second step of logging in: a TOTP code or a one-time backup code."""
    if request.user.is_verified():
        return redirect(_next_url(request))
    if not user_has_device(request.user):
        return redirect("accounts:mfa_setup")
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("token", _("This code is not right (or was used already). Try the next code."))
    return render(request, "accounts/mfa_verify.html", {"form": form, "next": _next_url(request)})


@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Set up the authenticator app: scan the code, confirm with a first code, get backup codes."""
    if user_has_device(request.user):  # set up already: verify, or carry on
        return redirect(_next_url(request) if request.user.is_verified() else "accounts:mfa_verify")
    device = mfa.pending_totp_device(request)
    form = TokenForm(posted(request))
    if request.method == "POST" and form.is_valid():
        confirmed = mfa.totp_confirm(user=request.user, device=device, token=form.cleaned_data["token"])
        if confirmed is not None:
            codes = mfa.backup_codes_renew(user=request.user)
            otp_login(request, confirmed)
            request.session.pop(mfa.PENDING_KEY, None)
            messages.success(request, _("Two-step login is set up."))
            return render(request, "accounts/mfa_backup_codes.html", {"codes": codes, "next": _next_url(request)})
        form.add_error("token", _("This code is not right. Check the time on your phone and try the next code."))
    return render(
        request,
        "accounts/mfa_setup.html",
        {"form": form, "qr": mfa.qr_svg(device), "secret": mfa.secret_for_display(device), "next": _next_url(request)},
    )
