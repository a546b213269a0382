"""The admin site: for functional administrators, and never a way around the services.

It holds reference data (municipality, teams, villages) and accounts. It shows no case
content: residents, cases and journals are not registered here.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from base.admin import GuardedAdminMixin, ModelAdmin, TabularInline

from .models import Municipality, ProfessionalProfile, Team, User, Village
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
class UserAdmin(GuardedAdminMixin, DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "email", "roles", "is_active"]
    list_filter = ["is_active", "groups"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email", "phone"]}),
        (_("Status"), {"fields": ["is_active", "last_login", "date_joined"]}),
    ]
    readonly_fields = ["last_login", "date_joined", "is_active"]
    actions = ["deactivate"]

    @admin.display(description=_("roles"))
    def roles(self, obj: User) -> str:
        return ", ".join(sorted(user_roles(obj)))

    @admin.action(description=_("Deactivate: end every access at once"))
    def deactivate(self, request, queryset):
        for user in queryset:
            user_deactivate(actor=request.user, user=user)
        messages.success(request, _("The selected accounts are deactivated."))


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
