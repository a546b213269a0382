"""The admin site: for functional administrators, and never a way around the services.

It holds reference data (municipality, teams, villages) and accounts. It shows no case
content: residents, cases and journals are not registered here.
"""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Municipality, ProfessionalProfile, Team, User, Village
from .roles import user_roles
from .services import team_create, user_deactivate

admin.site.site_header = _("Wijkteam administration")
admin.site.site_title = _("Wijkteam administration")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "vog_validity_months"]


class VillageInline(admin.TabularInline):
    model = Village
    extra = 0
    fields = ["name", "municipality"]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "municipality", "volunteers_join_meeting"]
    list_filter = ["municipality"]
    fields = ["municipality", "name", "coordinators", "volunteers_join_meeting"]
    filter_horizontal = ["coordinators"]
    inlines = [VillageInline]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = team_create(actor=request.user, municipality=obj.municipality, name=obj.name)
        created.volunteers_join_meeting = obj.volunteers_join_meeting
        created.save(update_fields=["volunteers_join_meeting"])
        obj.pk, obj.professionals_group_id = created.pk, created.professionals_group_id
        obj._state.adding = False


@admin.register(Village)
class VillageAdmin(admin.ModelAdmin):
    list_display = ["name", "team", "municipality"]
    list_filter = ["team", "municipality"]


@admin.register(ProfessionalProfile)
class ProfessionalProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "team", "discipline", "parent_organisation"]
    list_filter = ["team", "discipline"]
    readonly_fields = ["user", "team"]

    def has_add_permission(self, request):
        return False  # made through accounts.services.professional_set_team (keeps the team group right)


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
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
