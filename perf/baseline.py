"""The baseline of the benchmark: the change list of cases in a plain Django admin, set up as a
team would set it up to work its cases there (filters, search, related rows joined).

Mounted only by the benchmark settings (``wijkteam.settings.bench``, at /baseline-admin/); the
real admin (/beheer/) never lists case files, which are read through the permission module only.
"""

from django.contrib import admin

from cases.models import Case


class BaselineAdminSite(admin.AdminSite):
    site_header = "Baseline (benchmark only)"


class BaselineCaseAdmin(admin.ModelAdmin):
    list_display = ("id", "resident", "team", "status", "urgency", "intake_channel", "opened_at", "last_activity_at")
    list_filter = ("status", "team", "urgency", "intake_channel")
    search_fields = ("resident__last_name", "resident__first_name", "resident__postcode")
    list_select_related = ("resident", "team")
    ordering = ("-opened_at", "-id")
    list_per_page = 25  # the same page size as the team case list


site = BaselineAdminSite(name="baseline_admin")
site.register(Case, BaselineCaseAdmin)
