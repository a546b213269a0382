from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Village
from base.forms import ModelChoiceField, ModelForm, VersionField, arm_version
from base.submissions import SubmissionKeyField
from cases.constants import TopicCode
from cases.models import LifeDomain, Topic

from .models import Offer, ReferralOutcome


class OfferForm(ModelForm):
    version = VersionField(required=False)
    submission_key = SubmissionKeyField()  # adding an offer: a repeat records nothing more

    class Meta:
        model = Offer
        fields = ["name", "kind", "villages", "domains", "topics", "description", "when", "where", "contact", "cost",
                  "accessibility", "active"]  # fmt: skip
        widgets = {
            "villages": forms.CheckboxSelectMultiple,
            "domains": forms.CheckboxSelectMultiple,
            "topics": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["villages"].queryset = villages if villages is not None else Village.objects.none()
        self.fields["domains"].queryset = LifeDomain.objects.all()
        self.fields["topics"].queryset = Topic.objects.all()
        arm_version(self, self.instance)


class OfferSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    village = ModelChoiceField(
        label=_("Village"), queryset=Village.objects.none(), required=False, empty_label=_("All")
    )
    topic = forms.ChoiceField(label=_("Topic"), required=False, choices=[("", _("All")), *TopicCode.choices])

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["village"].queryset = villages


class ReferralForm(forms.Form):
    submission_key = SubmissionKeyField()  # base.submissions: a repeat records nothing more
    offer = ModelChoiceField(label=_("Refer to"), queryset=Offer.objects.none())

    def __init__(self, *args, offers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if offers is not None:
            self.fields["offer"].queryset = offers


class ReferralOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("How did it go?"), choices=ReferralOutcome.choices)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class SignalForm(forms.Form):
    submission_key = SubmissionKeyField()  # base.submissions: a repeat records nothing more
    village = ModelChoiceField(label=_("Village"), queryset=Village.objects.none())
    theme = forms.CharField(label=_("Theme"), max_length=200)
    description = forms.CharField(
        label=_("What is going on in the village?"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )
    source = forms.CharField(label=_("Source"), max_length=200, required=False)

    def __init__(self, *args, villages=None, **kwargs):
        super().__init__(*args, **kwargs)
        if villages is not None:
            self.fields["village"].queryset = villages
