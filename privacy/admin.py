from django.contrib import admin

from base.admin import ModelAdmin
from cases.models import RetentionRule


@admin.register(RetentionRule)
class RetentionRuleAdmin(ModelAdmin):
    """Retention periods per legal basis: data the functional administrator keeps."""

    list_display = ["legal_basis", "years", "domain", "team", "is_default", "municipality"]
    list_filter = ["municipality", "is_default"]
