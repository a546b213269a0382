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


@pytest.mark.django_db
def test_model_choices_are_read_in_one_plain_query_with_the_same_options():
    """The app's model choice fields read their choices with one query, not through a
    server-side cursor (DECLARE … on PostgreSQL, several round trips), and offer the same."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.models import Team
    from base.forms import ModelChoiceField, ModelMultipleChoiceField
    from tests.factories import TeamFactory

    TeamFactory.create_batch(3)

    class Both(forms.Form):
        django = forms.ModelChoiceField(queryset=Team.objects.order_by("pk"))
        ours = ModelChoiceField(queryset=Team.objects.order_by("pk"), empty_label="---------")
        many = ModelMultipleChoiceField(queryset=Team.objects.order_by("pk"))

    form = Both()
    with CaptureQueriesContext(connection) as queries:
        ours, many = str(form["ours"]), str(form["many"])

    assert _normalised(ours).split(">", 1)[1] == _normalised(form["django"]).split(">", 1)[1]
    assert re.findall(r'value="(\d+)"', many) == re.findall(r'value="(\d+)"', ours)
    assert len(queries) == 2
    assert not any(query["sql"].startswith("DECLARE") for query in queries.captured_queries)
