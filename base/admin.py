"""What every admin page here shares: the input guard (ids checked before a query, as in
``base.forms``) and, for records with a ``version``, the same optimistic concurrency as the
app's edit forms — two administrators saving the same record at once never silently overwrite
each other. Every ``ModelAdmin`` and inline of the project derives from these classes
(``tests/test_input_guard.py`` checks the admin site's registry).
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext as _

from .forms import ModelChoiceField, ModelForm, ModelMultipleChoiceField, VersionField, conflict_rows
from .updates import ConcurrentEditError, is_versioned

GUARDED_FORMFIELDS = {
    models.ForeignKey: {"form_class": ModelChoiceField},
    models.ManyToManyField: {"form_class": ModelMultipleChoiceField},
}


class VersionedAdminForm(ModelForm):
    """An admin form that saves only from the version the administrator saw. The check runs in
    ``clean()`` with the row locked (the admin saves inside one transaction), so the conflict is
    shown on the form — field by field, theirs beside yours — and the form is re-armed: saving
    again deliberately keeps yours; reloading the page takes theirs."""

    version = VersionField(required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None or not self.has_changed():
            return cleaned
        current = type(self.instance)._default_manager.select_for_update().filter(pk=self.instance.pk).first()
        if current is None:
            raise forms.ValidationError(_("Someone else deleted this in the meantime."))
        if cleaned.get("version") != current.version:
            rows = conflict_rows(self, ConcurrentEditError(current=current))
            if rows:
                self.add_error(
                    None,
                    _("Saved by someone else / what you typed: %(rows)s")
                    % {"rows": "; ".join(f"{row.label}: {row.theirs or '—'} / {row.yours or '—'}" for row in rows)},
                )
        return cleaned

    def save(self, commit: bool = True):
        if self.instance.pk is not None and self.has_changed():
            self.instance.version = self.cleaned_data["version"] + 1
        return super().save(commit=commit)


class GuardedAdminMixin:
    """Relations become the guarded choice fields; a versioned model gets the versioned form,
    with its version on the page whatever fields the admin lists."""

    formfield_overrides = GUARDED_FORMFIELDS

    def _set_form(self, model) -> None:
        if self.form is forms.ModelForm:
            self.form = VersionedAdminForm if is_versioned(model) else ModelForm

    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        # the model's version is not editable: the form's own VersionField carries it
        return [*exclude, "version"] if is_versioned(self.model) else exclude or None

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if not is_versioned(self.model) or any("version" in options["fields"] for _name, options in fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], "version"]}), *rest]


class ModelAdmin(GuardedAdminMixin, admin.ModelAdmin):
    def __init__(self, model, admin_site) -> None:
        super().__init__(model, admin_site)
        self._set_form(model)


class TabularInline(GuardedAdminMixin, admin.TabularInline):
    def __init__(self, parent_model, admin_site) -> None:
        super().__init__(parent_model, admin_site)
        self._set_form(self.model)
