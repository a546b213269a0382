from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core import validators
from django.utils.translation import gettext_lazy as _

from . import oidc


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code"),
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        help_text=_("The 6 digits from your authenticator app, or one of your backup codes."),
    )


class LoginForm(AuthenticationForm):
    """Django's login form, with the login name's length checked: Django sets ``max_length``
    after the field is built, so without this a name of thousands of characters reached the
    authentication and the lockout's record of it (a database error on PostgreSQL)."""

    def __init__(self, request=None, *args, **kwargs) -> None:
        super().__init__(request, *args, **kwargs)
        field = self.fields["username"]
        field.validators.append(validators.MaxLengthValidator(field.max_length))

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if not oidc.password_login_allowed(user):
            raise forms.ValidationError(
                _("Log in with your municipal account (the button above)."), code="single_sign_on"
            )


class PasskeyNameForm(forms.Form):
    """The name of a passkey to add, so its owner recognises it in the list later."""

    name = forms.CharField(
        label=_("Name of the passkey"),
        max_length=64,
        help_text=_("For example “Laptop at work” or “My phone”."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
