"""Forms of the volunteer staff's pages, built for a phone."""

import datetime
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.constants import VisitActivity, VisitCompany
from cases.models import DeclineReason, InterestAnswer


class HomeVisitForm(forms.Form):
    visited_on = forms.DateField(
        label=_("Date"), initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    start_time = forms.TimeField(
        label=_("Start time"), required=False, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=5,
        max_value=12 * 60,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    company = forms.ChoiceField(
        label=_("Visited"), choices=VisitCompany.choices, initial=VisitCompany.ALONE, widget=forms.RadioSelect
    )
    activities = forms.MultipleChoiceField(
        label=_("What was done"), choices=VisitActivity.choices, widget=forms.CheckboxSelectMultiple
    )
    summary = forms.CharField(
        label=_("Summary for the professionals"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000
    )
    note_for_responsible = forms.CharField(
        label=_("Note for the responsible professional only"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    follow_up_on = forms.DateTimeField(
        label=_("Follow-up appointment"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def clean_visited_on(self) -> datetime.date:
        day = self.cleaned_data["visited_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(_("A visit cannot be in the future."))
        if day < today - datetime.timedelta(days=60):
            raise forms.ValidationError(_("Visits older than 60 days go through the responsible professional."))
        return day


class InterestForm(forms.Form):
    answer = forms.ChoiceField(label=_("Your answer"), choices=InterestAnswer.choices, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label=_("Why not?"), choices=[("", _("Choose a reason")), *DeclineReason.choices], required=False
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("answer") == InterestAnswer.DECLINED and not data.get("reason"):
            self.add_error("reason", _("Say why this is not for you."))
        return data


class AlarmForm(forms.Form):
    note = forms.CharField(
        label=_("What is going on? (optional)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
