"""The admin site: for functional administrators, and never a way around the services.

It holds reference data (municipality, teams, villages) and accounts. It shows no case
content: residents, cases and journals are not registered here.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from base.admin import GuardedAdminMixin, ModelAdmin, TabularInline

from .admin_roles import UserRolesAdminMixin
from .api_clients import api_client_create, api_client_new_token
from .models import ApiClient, Municipality, ProfessionalProfile, Team, User, Village
from .roles import user_roles
from .services import user_deactivate

admin.site.site_header = _("Wijkteam administration")
admin.site.site_title = _("Wijkteam administration")


@admin.register(Municipality)
class MunicipalityAdmin(ModelAdmin):
    list_display = ["name", "vog_validity_months"]


class VillageInline(TabularInline):
    model = Village
    extra = 0
    fields = ["name", "municipality"]


@admin.register(Team)
class TeamAdmin(ModelAdmin):
    list_display = ["name", "municipality", "volunteers_join_meeting"]
    list_filter = ["municipality"]
    fields = ["municipality", "name", "coordinators", "volunteers_join_meeting"]
    filter_horizontal = ["coordinators"]
    inlines = [VillageInline]


@admin.register(Village)
class VillageAdmin(ModelAdmin):
    list_display = ["name", "team", "municipality"]
    list_filter = ["team", "municipality"]


@admin.register(ProfessionalProfile)
class ProfessionalProfileAdmin(ModelAdmin):
    list_display = ["user", "team", "discipline", "parent_organisation"]
    list_filter = ["team", "discipline"]
    readonly_fields = ["user", "team"]

    def has_add_permission(self, request):
        return False  # made through accounts.services.professional_set_team (with the professional role)


@admin.register(User)
class UserAdmin(UserRolesAdminMixin, GuardedAdminMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "roles", "is_active"]
    list_filter = ["is_active", "groups"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email", "phone"]}),
        (_("Roles"), {"fields": ["roles_and_team"]}),
        (_("Status"), {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    readonly_fields = ["roles_and_team", "last_login", "date_joined", "is_active"]

    @admin.display(description=_("roles"))
    def roles_and_team(self, obj: User) -> str:
        return self.roles_link(obj)

    actions = ["deactivate"]

    @admin.display(description=_("roles"))
    def roles(self, obj: User) -> str:
        return ", ".join(sorted(user_roles(obj)))

    @admin.action(description=_("Deactivate: end every access at once"))
    def deactivate(self, request, queryset):
        for user in queryset:
            user_deactivate(actor=request.user, user=user)
        messages.success(request, _("The selected accounts are deactivated."))


@admin.register(ApiClient)
class ApiClientAdmin(ModelAdmin):
    """Systems that call the intake API (docs/deploy.md, "Intake API"). Making one, or giving
    one a new token, shows its token once on a page of its own; only its hash is kept."""

    list_display = ["name", "municipality", "is_active", "token_prefix", "created_at", "last_used_at"]
    list_filter = ["is_active", "municipality"]
    fields = ["name", "municipality", "is_active", "user", "token_prefix", "created_at", "last_used_at"]
    readonly_fields = ["user", "token_prefix", "created_at", "last_used_at"]
    actions = ["new_token"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            request._api_client_token = api_client_create(actor=request.user, client=obj)

    def response_add(self, request, obj, post_url_continue=None):
        return self._token_page(request, [(obj, request._api_client_token)])

    @admin.action(description=_("New token (the old token stops working at once)"), permissions=["change"])
    def new_token(self, request, queryset):
        return self._token_page(
            request, [(client, api_client_new_token(actor=request.user, client=client)) for client in queryset]
        )

    def _token_page(self, request, tokens):
        context = {
            **self.admin_site.each_context(request),
            "title": _("API token"),
            "opts": self.model._meta,
            "tokens": tokens,
        }
        return TemplateResponse(request, "admin/accounts/apiclient/token.html", context)


# Second factors: the admin never shows their secrets. OTP_ADMIN_HIDE_SENSITIVE_DATA (settings)
# hides the authenticator key and refuses its QR-code pages before looking anything up (so no
# error page for a device that does not exist); backup codes are not shown at all.
admin.site.unregister(StaticDevice)
admin.site.unregister(TOTPDevice)


@admin.register(StaticDevice)
class BackupCodesAdmin(GuardedAdminMixin, StaticDeviceAdmin):
    inlines = []  # the codes themselves are secrets


@admin.register(TOTPDevice)
class AuthenticatorAdmin(GuardedAdminMixin, TOTPDeviceAdmin):
    pass
