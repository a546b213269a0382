"""Login: a password or the municipality's single sign-on, then a second factor."""

import logging

import jwt
import requests
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import SuspiciousOperation
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token, user_has_device
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from base.forms import posted

from . import mfa, oidc, passkeys
from .forms import LoginForm, TokenForm

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = oidc.sso_enabled()
        context["local_login_for_volunteers_only"] = oidc.local_login_for_volunteers_only()
        return context


# --- single sign-on (accounts/oidc.py) -----------------------------------------------------------


def _only_with_sso(view_class):
    """mozilla-django-oidc's view, or 404 while no identity provider is configured."""
    view = view_class.as_view()

    def wrapper(request):
        if not oidc.sso_enabled():
            raise Http404
        return view(request)

    wrapper.view_class = view_class
    return wrapper


class SSOCallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer. A sign-in that fails for any reason — refused, an unknown or
    replayed state, the provider down or answering nonsense — ends on the page that explains it,
    never on an error page; the provider's second step is marked in the session when it counts."""

    @property
    def failure_url(self) -> str:
        return reverse("accounts:sso_refused")

    def get(self, request):
        try:
            return super().get(request)
        except (SuspiciousOperation, requests.RequestException, jwt.PyJWTError, ValueError, KeyError) as error:
            logger.warning("single sign-on failed", extra={"error": type(error).__name__})
            return self.login_failure()

    def login_success(self):
        response = super().login_success()  # logs in: a session of another user is flushed first
        self.request.session.pop(oidc.REFUSAL_KEY, None)
        if oidc.provider_did_second_step(getattr(self.request, "oidc_id_claims", {})):
            self.request.session[oidc.PROVIDER_STEP_KEY] = self.user.pk
        return response


sso_start = _only_with_sso(OIDCAuthenticationRequestView)
sso_callback = _only_with_sso(SSOCallbackView)


@require_http_methods(["GET"])
def sso_refused(request):
    """Why the municipality's sign-in did not open Wijkteam, and what to do: an identity no
    account has is told to ask the functional administrator (never given an account or a role)."""
    if not oidc.sso_enabled():
        raise Http404
    reason, identity = request.session.pop(oidc.REFUSAL_KEY, [None, ""])
    return render(request, "accounts/sso_refused.html", {"reason": reason, "identity": identity})


class LogoutView(auth_views.LogoutView):
    """Logging out also makes the browser forget what the site kept on the device: visits kept
    on the phone without a connection (IndexedDB), the app's cache and its service worker
    (issue [15]; docs/offline-visits-design.md). A loaned phone handed back carries no resident data."""

    CLEAR_SITE_DATA = '"cache", "storage"'

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = self.CLEAR_SITE_DATA
        return response


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """The second step of logging in: a TOTP code or a one-time backup code, or a passkey (its
    button calls django-otp-webauthn's endpoints, which log the device in and return to ``next``)."""
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
    return render(
        request,
        "accounts/mfa_verify.html",
        {"form": form, "next": _next_url(request), "passkey": passkeys.has_passkey(request.user)},
    )


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
