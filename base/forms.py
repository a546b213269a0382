"""Form pieces shared by the apps, and the form half of the input guard (``base.guard`` is the
request half): every choice of a record by id is checked to be a database id *before* any query,
so an id of 2**63 or more, a negative or a non-number is "not a valid choice" on every database
(SQLite cannot even bind such a number: ``OverflowError``). Project forms declare these fields
(not Django's own), and model forms derive from :class:`ModelForm`, which makes them for foreign
keys and many-to-many fields; ``tests/test_input_guard.py`` checks every form of every app."""

import datetime
from dataclasses import dataclass

from django import forms
from django.db import models
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _


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


MAX_ID = 2**63 - 1  # the largest id any of our databases stores (a 64-bit signed integer)


def _is_integer_key(field: forms.ModelChoiceField) -> bool:
    """Whether the field chooses by an integer key (an id), the kind a database cannot bind when
    it is out of range."""
    if field.queryset is None:
        return False
    opts = field.queryset.model._meta
    key = opts.get_field(field.to_field_name) if field.to_field_name else opts.pk
    while key.is_relation:  # a one-to-one primary key: the id of the record it extends
        key = key.target_field
    return isinstance(key, models.IntegerField | models.AutoField)


def _valid_id(value) -> bool:
    text = str(value).strip()
    return text.isascii() and text.isdigit() and len(text) <= 19 and 0 < int(text) <= MAX_ID


# The empty choice of a select, in words (Django's default is "---------").
EMPTY_CHOICE = _("Choose…")


def _worded_blank(choices) -> list:
    return [(value, EMPTY_CHOICE if value == "" and label == "---------" else label) for value, label in choices]


class ChoicesInOneQuery(forms.models.ModelChoiceIterator):
    """The choices read with one plain query. Django's own iterator uses ``QuerySet.iterator()``,
    which on PostgreSQL opens a server-side cursor (DECLARE … WITH HOLD, FETCH, CLOSE: several
    round trips, and a materialised result outside a transaction) for what is a few dozen rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's field, with the id checked before the database is asked, its empty choice in
    words, and its choices read in one plain query."""

    iterator = ChoicesInOneQuery

    def __init__(self, queryset, *, empty_label=EMPTY_CHOICE, **kwargs):
        super().__init__(queryset, empty_label=empty_label, **kwargs)

    def to_python(self, value):
        if value not in self.empty_values and _is_integer_key(self) and not _valid_id(value):
            raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, with every id checked before the database is asked, and its choices read
    in one plain query."""

    iterator = ChoicesInOneQuery

    def _check_values(self, value):
        if _is_integer_key(self):
            for item in value:  # a list or tuple: Django's clean() refuses anything else first
                if not _valid_id(item):
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(item)[:50]}
                    )
        return super()._check_values(value)


class IdField(forms.IntegerField):
    """The id of a record, sent as a plain number (a hidden field): 1 up to :data:`MAX_ID`."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


EARLIEST, LATEST = datetime.date(1900, 1, 1), datetime.date(2199, 12, 31)  # dates a person means


def check_date_range(value: datetime.date | datetime.datetime | None) -> None:
    """Dates outside 1900–2199 are typing errors (or probes), and dates near year 1 or 9999 make
    date arithmetic overflow (a VOG's end date, a roster's next week)."""
    day = value.date() if isinstance(value, datetime.datetime) else value
    if day is not None and not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(_("Enter a date between 1900 and 2199."), code="date_out_of_range")


def parse_day(value: str | None) -> datetime.date | None:
    """A date from a query parameter (ISO), within the same range, or None."""
    try:
        day = datetime.date.fromisoformat(str(value or "")[:10])
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None


class DateField(forms.DateField):
    default_validators = [check_date_range]


class DateTimeField(forms.DateTimeField):
    default_validators = [check_date_range]


def guarded_formfield(db_field: models.Field, **kwargs) -> forms.Field | None:
    """The form field of a model field, with the guarded choice and date fields."""
    if isinstance(db_field, models.DateTimeField):
        kwargs.setdefault("form_class", DateTimeField)
    elif isinstance(db_field, models.DateField):
        kwargs.setdefault("form_class", DateField)
    elif isinstance(db_field, models.ForeignKey):
        kwargs.setdefault("form_class", ModelChoiceField)
    elif isinstance(db_field, models.ManyToManyField):
        kwargs.setdefault("form_class", ModelMultipleChoiceField)
    formfield = db_field.formfield(**kwargs)
    if isinstance(formfield, forms.ChoiceField) and not isinstance(formfield, forms.ModelChoiceField):
        formfield.choices = _worded_blank(formfield.choices)
    return formfield


class _GuardedModelFormMetaclass(forms.models.ModelFormMetaclass):
    """Gives every ``Meta`` the guarded form fields, also a subclass's own ``Meta`` (Django reads
    ``formfield_callback`` from the class's own ``Meta`` only)."""

    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(guarded_formfield)
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(forms.ModelForm, metaclass=_GuardedModelFormMetaclass):
    """The base of every model form here: relations become the guarded choice fields."""


class PersonChoiceField(ModelChoiceField):
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
