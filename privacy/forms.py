from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role
from base.forms import DateField, DateInput, IdField, ModelChoiceField

from .models import RequestKind, RequestOutcome
from .selectors import Concern, staff_choices

ACTIONS = [("", _("Everything")), (3, _("read")), (0, _("added")), (1, _("changed")), (2, _("removed"))]


class AccessLogFilterForm(forms.Form):
    """The access log's filters, in the words of the people who use it."""

    resident = forms.CharField(
        label=_("Resident"), max_length=100, required=False, help_text=_("Name, street or postcode.")
    )
    date_of_birth = DateField(label=_("Date of birth of the resident"), required=False, widget=DateInput())
    person = ModelChoiceField(label=_("Staff member"), queryset=None, required=False, empty_label=_("Everyone"))
    role = forms.ChoiceField(label=_("In the role of"), required=False, choices=[("", _("Every role")), *Role.choices])
    case_id = IdField(label=_("Case number"), required=False)
    action = forms.TypedChoiceField(
        label=_("What was done"), required=False, coerce=int, empty_value=None, choices=ACTIONS
    )
    concern = forms.ChoiceField(
        label=_("Worth a look"),
        required=False,
        choices=[("", _("Everything")), *[(concern.value, concern.label) for concern in Concern]],
    )
    date_from = DateField(label=_("From"), required=False, widget=DateInput())
    date_to = DateField(label=_("Up to and including"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = staff_choices(user)
        self.fields["person"].label_from_instance = lambda person: person.display_name

    def filters(self) -> dict:
        """The cleaned filters (none when the form is not valid: the whole log, newest first)."""
        return self.cleaned_data if self.is_valid() else {}


class ReasonForm(forms.Form):
    note = forms.CharField(label=_("Reason or note"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class RequestRegisterForm(forms.Form):
    """A request as it came in: which right, when it arrived (the deadline follows from it)."""

    kind = forms.ChoiceField(label=_("Which right"), choices=RequestKind.choices)
    received_on = DateField(label=_("Received on"), widget=DateInput())
    note = forms.CharField(
        label=_("What the resident asks"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A request cannot be received in the future."))
        return day


class RequestCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=RequestOutcome.choices)
    note = forms.CharField(
        label=_("What was done, or why not"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class ExportForm(forms.Form):
    """The language of the right-of-access document; Dutch unless the resident asks for English."""

    language = forms.ChoiceField(
        label=_("Language of the document"),
        choices=[("nl", "Nederlands"), ("en", "English")],
        initial="nl",
        widget=forms.RadioSelect,
    )

    def language_or_dutch(self) -> str:
        return self.cleaned_data["language"] if self.is_valid() else "nl"
