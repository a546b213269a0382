"""The functional administrator's page for someone's roles and where they hold them (a page of
the user in the admin, ``/beheer/accounts/user/<id>/rollen/``). Single sign-on makes nobody an
account holder with a role: this page, through ``accounts.services.user_roles_set``, does."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from base.forms import ModelChoiceField, ModelMultipleChoiceField, posted

from .models import Discipline, Municipality, ProfessionalProfile, Team, User
from .roles import Role, user_roles
from .services import ADMINISTERED_ROLES, user_roles_set


class RolesForm(forms.Form):
    roles = forms.TypedMultipleChoiceField(
        label=_("Roles"),
        choices=[(role.value, role.label) for role in ADMINISTERED_ROLES],
        coerce=Role,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Volunteer staff are registered by their coordinator, not here."),
    )
    team = ModelChoiceField(Team.objects.all(), label=_("Team (professional)"), required=False)
    discipline = forms.ChoiceField(
        label=_("Discipline (professional)"), choices=[("", "—"), *Discipline.choices], required=False
    )
    parent_organisation = forms.CharField(label=_("Parent organisation (professional)"), max_length=150, required=False)
    coordinated_teams = ModelMultipleChoiceField(
        Team.objects.all(), label=_("Teams (coordinator)"), required=False, widget=forms.CheckboxSelectMultiple
    )
    privacy_municipalities = ModelMultipleChoiceField(
        Municipality.objects.all(),
        label=_("Municipalities (privacy officer)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    @classmethod
    def initial_for(cls, user: User) -> dict:
        profile = ProfessionalProfile.objects.filter(user=user).first()
        return {
            "roles": [role.value for role in ADMINISTERED_ROLES if role.value in user_roles(user)],
            "team": profile.team_id if profile else None,
            "discipline": profile.discipline if profile else "",
            "parent_organisation": profile.parent_organisation if profile else "",
            "coordinated_teams": list(user.coordinated_teams.values_list("pk", flat=True)),
            "privacy_municipalities": list(user.privacy_municipalities.values_list("pk", flat=True)),
        }


class UserRolesAdminMixin:
    """Adds the roles page to the user admin, and a link to it on the user's page."""

    def get_urls(self):
        return [
            path("<int:user_id>/rollen/", self.admin_site.admin_view(self.roles_view), name="accounts_user_roles"),
            *super().get_urls(),
        ]

    @staticmethod
    def roles_link(obj: User) -> str:
        if obj.pk is None:
            return "—"
        return format_html(
            '{} · <a href="{}">{}</a>',
            ", ".join(sorted(str(Role(value).label) for value in user_roles(obj))) or _("none"),
            reverse("admin:accounts_user_roles", args=[obj.pk]),
            _("Change roles and team"),
        )

    def roles_view(self, request, user_id: int):
        # An API client's system user holds no role: it registers requests, nothing more.
        user = User.objects.filter(pk=user_id, api_client__isnull=True).first()
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        form = RolesForm(posted(request), initial=RolesForm.initial_for(user))
        if request.method == "POST" and form.is_valid():
            try:
                user_roles_set(actor=request.user, user=user, **form.cleaned_data)
            except ValidationError as error:
                for field, problems in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, problems)
            else:
                messages.success(request, _("The roles of %(name)s are saved.") % {"name": user.display_name})
                return redirect("admin:accounts_user_change", user.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Roles and team of %(name)s") % {"name": user.display_name},
            "form": form,
            "person": user,
        }
        return TemplateResponse(request, "admin/accounts/user/roles.html", context)
