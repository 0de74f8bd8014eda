from django.contrib import admin

from ipshield.cases.models import (
    CalendarYear,
    Case,
    CaseDeadline,
    CaseEvent,
    TimeLimit,
    TriageRule,
    WorkdayOverride,
)


@admin.register(TimeLimit)
class TimeLimitAdmin(admin.ModelAdmin):
    list_display = ("label", "days", "day_kind", "extension_days", "legal_source")
    readonly_fields = ("key",)

    def has_add_permission(self, request):
        return False  # the limits the code applies are fixed; their figures are editable

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(TriageRule)
class TriageRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "field", "operator", "value", "track", "active")
    list_editable = ("active",)


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "note")
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "complete")


class ReadOnly(admin.ModelAdmin):
    """Cases change only through services (the workbench); the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnly):
    list_display = ("number", "title", "source", "track", "status", "unit", "deadline")
    list_filter = ("status", "track", "source", "unit")
    search_fields = ("number", "title", "infringer_name")


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnly):
    list_display = ("case", "seq", "verb", "actor", "unit", "at")
    list_filter = ("verb",)


@admin.register(CaseDeadline)
class CaseDeadlineAdmin(ReadOnly):
    list_display = ("case", "label", "starts_on", "due_on", "extended", "met_at")
