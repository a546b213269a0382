"""Form pieces shared by the apps."""

from django import forms


class DateInput(forms.DateInput):
    """A native date picker (ISO value), large enough to tap on a phone."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of staff member, shown by name (not login name)."""

    def label_from_instance(self, obj) -> str:
        return obj.display_name
