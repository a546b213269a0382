"""QuickSelect renders exactly what Django's template-rendered Select renders."""

import re

import pytest
from django import forms

from base.forms import QuickSelect

CHOICES = [("", "All"), ("x", 'X & <y> "z"'), (3, "three"), ("Group", [("g1", "In a group")])]


def _normalised(html) -> str:
    return re.sub(r">\s+<", "><", str(html).replace("\n", "")).strip()


@pytest.mark.parametrize("value", ["", "x", "3", "g1", "not-a-choice"])
def test_same_markup_as_djangos_select(value):
    class Both(forms.Form):
        slow = forms.ChoiceField(choices=CHOICES, required=False, widget=forms.Select(attrs={"class": "c"}))
        quick = forms.ChoiceField(choices=CHOICES, required=False, widget=QuickSelect(attrs={"class": "c"}))

    form = Both({"slow": value, "quick": value})
    slow_tag, slow_options = _normalised(form["slow"]).split(">", 1)
    quick_tag, quick_options = _normalised(form["quick"]).split(">", 1)
    assert quick_options == slow_options
    assert sorted(quick_tag.replace("quick", "X").split()) == sorted(slow_tag.replace("slow", "X").split())
    assert "&lt;y&gt;" in quick_options and "<y>" not in quick_options  # labels escaped
