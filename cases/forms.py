"""Forms of the professionals' pages. Validation of rules stays in the services."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Team, User, Village
from accounts.roles import Role
from base.forms import (
    DateField,
    DateInput,
    ModelChoiceField,
    ModelForm,
    ModelMultipleChoiceField,
    PersonChoiceField,
    QuickSelect,
    VersionField,
    arm_version,
)
from base.submissions import SubmissionKeyField

from .constants import (
    AgreementKind,
    ConsentAnswer,
    IntakeChannel,
    JournalVisibility,
    Outcome,
    Urgency,
)
from .models import AgendaReason, LifeDomain, Resident, Topic
from .services import RESIDENT_FIELDS

MAX_TEXT = 10_000


class CaseCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", _("Choose an outcome")), *Outcome.choices])
    closing_note = forms.CharField(
        label=_("Closing note"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )


class ResidentForm(ModelForm):
    version = VersionField(required=False)  # editing: the version seen (intake creates, without one)

    class Meta:
        model = Resident
        fields = list(RESIDENT_FIELDS)
        widgets = {"date_of_birth": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = villages if villages is not None else Village.objects.all()
        self.fields["notes"].max_length = MAX_TEXT
        self.fields["postcode"].widget.attrs["autocomplete"] = "postal-code"
        self.fields["date_of_birth"].widget.attrs["max"] = timezone.localdate().isoformat()
        arm_version(self, self.instance)

    def clean_postcode(self) -> str:
        value = self.cleaned_data["postcode"].strip().upper().replace(" ", "")
        if value and not (len(value) == 6 and value[:4].isdigit() and value[4:].isalpha()):
            raise forms.ValidationError(_("Enter a Dutch postcode, such as 6661 AB."))
        return f"{value[:4]} {value[4:]}" if value else ""


class ExistenceLookupForm(forms.Form):
    """That, not what (GET): is the resident known to another team? Two facts that name one
    person or one household: last name and date of birth, or postcode and house number."""

    last_name = forms.CharField(label=_("Last name"), max_length=100, required=False)
    date_of_birth = DateField(label=_("Date of birth"), required=False, widget=DateInput())
    postcode = forms.CharField(label=_("Postcode"), max_length=10, required=False)
    house_number = forms.CharField(label=_("House number"), max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"
        self.fields["postcode"].widget.attrs["autocomplete"] = "off"

    clean_postcode = ResidentForm.clean_postcode  # the same Dutch postcode as at intake

    def clean(self):
        data = super().clean()
        by_person = data.get("last_name") and data.get("date_of_birth")
        by_address = data.get("postcode") and data.get("house_number")
        if not (by_person or by_address) and not self.errors:
            raise forms.ValidationError(
                _("Fill in the last name and the date of birth, or the postcode and the house number."),
                code="incomplete",
            )
        return data


class CaseFieldsForm(forms.Form):
    """The fields of a request for help, shared by intake and editing."""

    intake_channel = forms.ChoiceField(label=_("Came in through"), choices=IntakeChannel.choices)
    domains = ModelMultipleChoiceField(
        label=_("Life domains"), queryset=LifeDomain.objects.all(), widget=forms.CheckboxSelectMultiple
    )
    topics = ModelMultipleChoiceField(
        label=_("Topics"), queryset=Topic.objects.all(), widget=forms.CheckboxSelectMultiple, required=False
    )
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)
    request_for_help = forms.CharField(
        label=_("Request for help"),
        help_text=_("For professionals only."),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_TEXT,
    )
    volunteer_summary = forms.CharField(
        label=_("Summary for volunteer staff"),
        help_text=_("What a volunteer may know: short, without sensitive details."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )


class IntakeForm(CaseFieldsForm):
    consent_answer = forms.ChoiceField(
        label=_("May a volunteer join?"),
        help_text=_("Ask the resident. Without a yes, no volunteer is involved."),
        choices=ConsentAnswer.choices,
        initial=ConsentAnswer.NOT_ASKED,
        widget=forms.RadioSelect,
    )
    resident = ModelChoiceField(queryset=Resident.objects.none(), required=False, widget=forms.HiddenInput)
    confirm_new_resident = forms.BooleanField(
        label=_("This is a different person: register a new resident"), required=False
    )
    submission_key = SubmissionKeyField()  # base.submissions: a repeat records nothing more

    def __init__(self, *args, residents=None, **kwargs):
        super().__init__(*args, **kwargs)
        if residents is not None:
            self.fields["resident"].queryset = residents


class CaseEditForm(CaseFieldsForm):
    version = VersionField()


class JournalForm(forms.Form):
    submission_key = SubmissionKeyField()  # base.submissions: a repeat records nothing more
    text = forms.CharField(label=_("Journal entry"), widget=forms.Textarea(attrs={"rows": 3}), max_length=MAX_TEXT)
    visibility = forms.ChoiceField(
        label=_("Who may read this"), choices=JournalVisibility.choices, initial=JournalVisibility.PROFESSIONALS
    )


class AgreementForm(forms.Form):
    submission_key = SubmissionKeyField()  # base.submissions: a repeat records nothing more
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    description = forms.CharField(label=_("What"), max_length=500)
    assignee = PersonChoiceField(label=_("Who"), queryset=User.objects.none())
    due_on = DateField(label=_("By when"), required=False, widget=DateInput())

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["assignee"].queryset = people


class ConsentForm(forms.Form):
    answer = forms.ChoiceField(label=_("Answer of the resident"), choices=ConsentAnswer.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class TransferForm(forms.Form):
    team = ModelChoiceField(label=_("New team"), queryset=Team.objects.all())
    responsible = PersonChoiceField(
        label=_("Responsible professional in the new team"),
        queryset=User.objects.filter(groups__name=Role.PROFESSIONAL.value, is_active=True).order_by("last_name"),
    )


class PersonForm(forms.Form):
    """Choose a person for a role on the case (responsible, professional, volunteer)."""

    person = PersonChoiceField(label=_("Person"), queryset=User.objects.none())

    def __init__(self, *args, people=None, label=None, refused=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["person"].queryset = people
        if label:
            self.fields["person"].label = label
        if refused:
            self.fields["person"].error_messages["invalid_choice"] = refused


class CaseFilterForm(forms.Form):
    """Filters of the team case list (GET). Anything malformed is ignored, never an error page."""

    q = forms.CharField(label=_("Search resident"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, widget=QuickSelect)
    domain = forms.ChoiceField(label=_("Life domain"), required=False, widget=QuickSelect)
    topic = forms.ChoiceField(label=_("Topic"), required=False, widget=QuickSelect)
    village = ModelChoiceField(label=_("Village"), queryset=Village.objects.none(), required=False, widget=QuickSelect)
    responsible = PersonChoiceField(
        label=_("Responsible professional"), queryset=User.objects.none(), required=False, widget=QuickSelect
    )
    urgency = forms.ChoiceField(label=_("Urgency"), required=False, widget=QuickSelect)
    quiet_weeks = forms.IntegerField(label=_("No activity for (weeks)"), min_value=1, max_value=104, required=False)
    sort = forms.ChoiceField(
        label=_("Sort"),
        required=False,
        widget=QuickSelect,
        choices=[
            ("newest", _("Newest first")),
            ("oldest", _("Oldest first")),
            ("quiet", _("Longest without activity")),
            ("recent", _("Most recent activity")),
        ],
    )

    def __init__(self, *args, villages=None, professionals=None, **kwargs):
        from .constants import CaseStatus, LifeDomainCode, TopicCode

        super().__init__(*args, **kwargs)
        any_choice = [("", _("All"))]
        self.fields["status"].choices = [("", _("All open")), *CaseStatus.choices]
        self.fields["domain"].choices = any_choice + LifeDomainCode.choices
        self.fields["topic"].choices = any_choice + TopicCode.choices
        self.fields["urgency"].choices = any_choice + Urgency.choices
        if villages is not None:
            self.fields["village"].queryset = villages
        if professionals is not None:
            self.fields["responsible"].queryset = professionals
        self.fields["village"].empty_label = _("All")
        self.fields["responsible"].empty_label = _("Everyone")


class DecisionForm(forms.Form):
    submission_key = SubmissionKeyField()  # base.submissions: a double tap records one decision
    responsible = PersonChoiceField(
        label=_("Responsible professional"),
        queryset=User.objects.none(),
        widget=forms.Select(attrs={"autofocus": True}),
    )
    # Any id is read; whether that volunteer may join is the service's rule (R5–R7), which
    # answers at this field. The choices are the ranked suggestions, for the page only.
    volunteer = forms.IntegerField(
        label=_("Volunteer staff joining"),
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        widget=forms.Select,
        error_messages={
            "invalid": _("Choose one of the suggested volunteer staff."),
            "min_value": _("Choose one of the suggested volunteer staff."),
            "max_value": _("Choose one of the suggested volunteer staff."),
        },
    )
    next_step = forms.CharField(label=_("Next step"), max_length=500)
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), max_length=MAX_TEXT, required=False
    )
    reasons = forms.MultipleChoiceField(choices=AgendaReason.choices, required=False, widget=forms.MultipleHiddenInput)

    def __init__(self, *args, professionals=None, suggestions=(), **kwargs):
        super().__init__(*args, **kwargs)
        if professionals is not None:
            self.fields["responsible"].queryset = professionals
        self.offer(suggestions)

    def offer(self, suggestions) -> None:
        """Show these suggestions (``volunteers.matching``) as the volunteer's choices."""
        self.fields["volunteer"].widget.choices = [("", _("No volunteer"))] + [
            (s.user_id, f"{s.name} — {', '.join(s.reasons) or s.village}") for s in suggestions
        ]

    def clean_volunteer(self) -> User | None:
        """The chosen volunteer as a person (the service checks they may join, R5–R7)."""
        user_id = self.cleaned_data["volunteer"]
        return User.objects.filter(pk=user_id).first() if user_id else None
