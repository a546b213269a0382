"""Forms of the volunteer staff's pages, built for a phone."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User, Village
from base.forms import (
    DateField,
    DateInput,
    DateTimeField,
    IdField,
    ModelForm,
    PersonChoiceField,
    VersionField,
    arm_version,
)
from base.submissions import SubmissionKeyField
from cases.constants import VisitActivity, VisitCompany
from cases.models import BOARD_DECLINE_REASONS, PROPOSAL_DECLINE_REASONS, InterestAnswer

from .models import AllowanceArrangement, EquipmentKind, VolunteerStaff


class HomeVisitForm(forms.Form):
    visited_on = DateField(
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
    follow_up_on = DateTimeField(
        label=_("Follow-up appointment"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    submission_key = SubmissionKeyField()  # base.submissions: a double tap records one visit
    version = VersionField(required=False)  # correcting: the version seen

    def clean_visited_on(self) -> datetime.date:
        day = self.cleaned_data["visited_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError(_("A visit cannot be in the future."))
        if day < today - datetime.timedelta(days=60):
            raise forms.ValidationError(_("Visits older than 60 days go through the responsible professional."))
        return day


class InterestForm(forms.Form):
    """An answer on the open-questions board. The board does not say who the resident is, so
    "I know this resident" is not a reason here: that answer belongs to a proposal (R7)."""

    submission_key = SubmissionKeyField()  # base.submissions: a repeat answers like the first
    answer = forms.ChoiceField(label=_("Your answer"), choices=InterestAnswer.choices, widget=forms.RadioSelect)
    reason = forms.ChoiceField(
        label=_("Why not?"),
        choices=[("", _("Choose a reason")), *((reason.value, reason.label) for reason in BOARD_DECLINE_REASONS)],
        required=False,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean(self):
        data = super().clean()
        if data.get("answer") == InterestAnswer.DECLINED and not data.get("reason"):
            self.add_error("reason", _("Say why this is not for you."))
        return data


class ProposalDeclineForm(forms.Form):
    """Declining a proposal (R7): for instance because one knows the resident."""

    submission_key = SubmissionKeyField()  # base.submissions: a double tap declines once
    reason = forms.ChoiceField(
        label=_("Why not?"),
        choices=[(reason.value, reason.label) for reason in PROPOSAL_DECLINE_REASONS],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class AlarmForm(forms.Form):
    submission_key = SubmissionKeyField()  # base.submissions: a repeat records nothing more
    note = forms.CharField(
        label=_("What is going on?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )


# --- the coordinator's forms -----------------------------------------------------------------


class VolunteerProfileForm(ModelForm):
    """The profile a coordinator keeps (R14): village, expertise, hours, supervision, loans,
    allowance and the onboarding checklist."""

    supervisor = PersonChoiceField(label=_("Supervising professional"), queryset=None, required=False)
    version = VersionField(required=False)

    class Meta:
        model = VolunteerStaff
        fields = [
            "village",
            "expertise",
            "interests",
            "hours_per_week",
            "supervisor",
            "started_on",
            "organisation_email",
            "allowance",
            "vog_requested_on",
            "vog_issued_on",
            "confidentiality_signed_on",
            "introduction_done_on",
        ]
        widgets = {
            "expertise": forms.CheckboxSelectMultiple,
            "started_on": DateInput(),
            "vog_requested_on": DateInput(),
            "vog_issued_on": DateInput(),
            "confidentiality_signed_on": DateInput(),
            "introduction_done_on": DateInput(),
        }

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        team = team or self.instance.team
        self.fields["village"].queryset = Village.objects.filter(team=team)
        self.fields["supervisor"].queryset = User.objects.filter(professional_profile__team=team, is_active=True)
        self.fields["allowance"].queryset = AllowanceArrangement.objects.filter(municipality=team.municipality_id)
        arm_version(self, self.instance)


class VolunteerAccountForm(forms.Form):
    submission_key = SubmissionKeyField()  # base.submissions: a double submit registers one account
    username = forms.SlugField(label=_("Login name"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Private e-mail"), required=False)
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)


class EquipmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=EquipmentKind.choices)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    identifier = forms.CharField(label=_("Number or serial"), max_length=100, required=False)
    issued_on = DateField(label=_("Issued on"), initial=timezone.localdate, widget=DateInput())


class CheckInForm(forms.Form):
    submission_key = SubmissionKeyField()  # base.submissions: a repeat records nothing more
    held_on = DateField(label=_("Date"), initial=timezone.localdate, widget=DateInput())
    how_are_you = forms.CharField(
        label=_("How are you doing?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000, required=False
    )
    load = forms.TypedChoiceField(
        label=_("Load"),
        coerce=int,
        choices=[(n, str(n)) for n in range(1, 6)],
        help_text=_("1 = light, 5 = too heavy"),
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False)
    follow_up = forms.CharField(label=_("Follow-up"), max_length=500, required=False)
    follow_up_on = DateField(label=_("Follow-up by"), required=False, widget=DateInput())


class AbsenceForm(forms.Form):
    person = PersonChoiceField(label=_("Who"), queryset=None)
    start_date = DateField(label=_("From"), widget=DateInput())
    end_date = DateField(label=_("Until"), widget=DateInput())
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end date is before the start date."))
        return data


class ShiftAssignForm(forms.Form):
    slot = IdField()
    date = DateField(widget=forms.HiddenInput)
    person = PersonChoiceField(label=_("Who"), queryset=None)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
