"""Form pieces shared by the apps."""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join


class DateInput(forms.DateInput):
    """A native date picker (ISO value), large enough to tap on a phone."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class QuickSelect(forms.Select):
    """A ``<select>`` built in Python instead of one template render per option: the same
    markup, for the long option lists of the filters on list pages (docs/performance.md)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in widget["optgroups"]:
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((option["value"], flatatt(option["attrs"]), option["label"]) for option in options),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, rendered) if group_name else rendered
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            format_html_join("", "{}", ((part,) for part in parts)),
        )


class PersonChoiceField(forms.ModelChoiceField):
    """A choice of staff member, shown by name (not login name)."""

    widget = QuickSelect  # a team's staff is a long list, on many pages

    def label_from_instance(self, obj) -> str:
        return obj.display_name


def posted(request):
    """The data to bind a form to: the POST body on a POST, even an empty one (so the form shows
    its errors), and nothing on a GET. ``request.POST or None`` would treat an empty POST as a
    GET and skip validation."""
    return request.POST if request.method == "POST" else None
