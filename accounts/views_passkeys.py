"""The page "Your second step": the authenticator app and passkeys, adding and removing passkeys.

Every page here needs a verified session (``MFARequiredMiddleware``: none of them is exempt). The
browser makes the passkey with django-otp-webauthn's script and endpoints (accounts/passkeys.py).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django_otp import DEVICE_ID_SESSION_KEY

from base.forms import posted

from . import oidc, passkeys
from .forms import PasskeyNameForm


@login_required
@require_safe
def second_step(request):
    """What a person uses after their password, with their passkeys to add or remove."""
    return render(
        request,
        "accounts/second_step.html",
        {
            **passkeys.second_steps(request.user),
            "session_device": request.session.get(DEVICE_ID_SESSION_KEY),
            "provider_step": oidc.provider_step(request, request.user) is not None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def passkey_add(request):
    """First the name of the new passkey (kept in the session for the library's registration,
    ``PasskeyHelper.create_credential``), then the page where the browser makes it."""
    form = PasskeyNameForm(posted(request), initial={"name": request.session.get(passkeys.PENDING_NAME_KEY, "")})
    if request.method == "POST" and form.is_valid():
        request.session[passkeys.PENDING_NAME_KEY] = form.cleaned_data["name"].strip()
        return redirect("accounts:passkey_create")
    return render(request, "accounts/passkey_add.html", {"form": form})


@login_required
@require_safe
def passkey_create(request):
    """The button that lets the browser (or phone, or security key) make the passkey."""
    name = request.session.get(passkeys.PENDING_NAME_KEY)
    if not name:
        return redirect("accounts:passkey_add")
    return render(request, "accounts/passkey_create.html", {"name": name})


@login_required
@require_http_methods(["GET", "POST"])
def passkey_remove(request, pk):
    """Ask, then remove one of your own passkeys (someone else's answers 404)."""
    passkey = passkeys.passkey_policy.get(request.user, passkeys.PasskeyPolicy.Action.REMOVE, pk)
    if request.method == "POST":
        try:
            passkeys.passkey_remove(actor=request.user, passkey=passkey)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your passkey “%(name)s” is removed.") % {"name": passkey.name})
        return redirect("accounts:second_step")
    return render(
        request,
        "accounts/passkey_remove.html",
        {
            "passkey": passkey,
            "in_use": passkey.persistent_id == request.session.get(DEVICE_ID_SESSION_KEY),
            "removable": passkeys.removal_leaves_a_second_step(user=request.user, passkey=passkey),
        },
    )
