from django import forms
from django.utils.translation import gettext_lazy as _

from .constants import Outcome


class CaseCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("Choose an outcome")), *Outcome.choices])
    closing_note = forms.CharField(
        label=_("Closing note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )
