from django import forms
from django.utils.translation import gettext_lazy as _

from base.forms import DateField, DateInput

from .selectors import record_type_choices


class AccessLogFilterForm(forms.Form):
    actor = forms.CharField(label=_("Login name"), max_length=150, required=False)
    model = forms.ChoiceField(label=_("Record"), required=False)
    object_id = forms.IntegerField(label=_("Record number"), min_value=1, max_value=2**62, required=False)
    case_id = forms.IntegerField(label=_("Case number"), min_value=1, max_value=2**62, required=False)
    action = forms.TypedChoiceField(
        label=_("Action"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("All")), (0, _("created")), (1, _("changed")), (2, _("deleted")), (3, _("read"))],
    )
    date_from = DateField(label=_("From"), required=False, widget=DateInput())
    date_to = DateField(label=_("Until"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All")), *record_type_choices()]


class ReasonForm(forms.Form):
    note = forms.CharField(label=_("Reason or note"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
