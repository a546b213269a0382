"""Admin for the functional administrator: walk-in locations and hours, allowance
arrangements and the yearly tax-free allowance limits (data, not code)."""

from django.contrib import admin

from base.admin import ModelAdmin, TabularInline

from .models import AllowanceArrangement, AllowanceLimit, Location, RosterSlot


class RosterSlotInline(TabularInline):
    model = RosterSlot
    extra = 0


@admin.register(Location)
class LocationAdmin(ModelAdmin):
    list_display = ["name", "team", "address"]
    list_filter = ["team"]
    inlines = [RosterSlotInline]


@admin.register(AllowanceArrangement)
class AllowanceArrangementAdmin(ModelAdmin):
    list_display = ["name", "kind", "amount", "municipality"]


@admin.register(AllowanceLimit)
class AllowanceLimitAdmin(ModelAdmin):
    list_display = ["year", "max_per_hour", "max_per_month", "max_per_year"]
