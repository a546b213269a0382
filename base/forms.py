"""Form pieces shared by the apps."""

from dataclasses import dataclass

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


class VersionField(forms.IntegerField):
    """The version of the record the editor saw (``base.updates.model_update`` checks it)."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**31 - 1)
        super().__init__(**kwargs)


@dataclass(frozen=True)
class ConflictRow:
    label: str
    theirs: str
    yours: str


def conflict_rows(form: forms.Form, error) -> list[ConflictRow]:
    """Show a ``ConcurrentEditError`` on ``form``: its message above the form, and the rows where
    the record as saved now (``error.current``) differs from what was typed, field by field, for
    the conflict page. The form is re-armed with the current version: saving it again — after
    reading this — deliberately saves the typed values over theirs; "take theirs" reloads."""
    current = error.current
    rows = []
    for name, field in form.fields.items():
        if name == "version" or not _has_field(current, name):
            continue
        theirs = _shown(field, _current_value(current, name))
        yours = _shown(field, form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else form.data.get(name))
        if theirs != yours:
            rows.append(ConflictRow(label=str(field.label or name), theirs=theirs, yours=yours))
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = str(current.version)
    form.add_error(None, error)
    return rows


def _has_field(instance, name: str) -> bool:
    try:
        instance._meta.get_field(name)
    except Exception:
        return False
    return True


def _current_value(instance, name: str):
    model_field = instance._meta.get_field(name)
    if model_field.many_to_many:
        return list(getattr(instance, name).all())
    return getattr(instance, name)


def _shown(field: forms.Field, value) -> str:
    """A value as a person reads it: choice labels, names of related records, lists joined."""
    if value in (None, "", [], ()):
        return ""
    if isinstance(value, list | tuple | set) or hasattr(value, "model"):
        return ", ".join(sorted(_shown(field, item) for item in value))
    if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
        labels = {str(key): label for key, label in field.choices}
        return str(labels.get(str(value), value))
    return str(value)


def arm_version(form: forms.Form, instance) -> None:
    """An edit form of an existing record carries the version the editor saw (required); a
    create form with the same fields does not."""
    field = form.fields["version"]
    field.required = instance is not None and instance.pk is not None
    if field.required:
        field.initial = instance.version
