from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ipshield.cases import workcalendar
from ipshield.cases.models import (
    CalendarYear,
    Case,
    CaseDeadline,
    CaseEvent,
    TimeLimit,
    TriageRule,
    WorkdayOverride,
)
from ipshield.common.errors import DomainError
from ipshield.engines import workdays


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
    """The year's 调休 as differences from the computed statutory holidays; saving moves the
    open limits in working days (``cases.workcalendar``)."""

    list_display = ("date", "is_working_day", "note")
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        workcalendar.workday_override_save(actor=request.user, override=obj)

    def delete_model(self, request, obj):
        workcalendar.workday_override_delete(actor=request.user, override=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            workcalendar.workday_override_delete(actor=request.user, override=obj)


class CalendarYearForm(forms.ModelForm):
    class Meta:
        model = CalendarYear
        fields = ("year", "complete")

    def clean_year(self):
        try:
            return workcalendar.check_year(self.cleaned_data.get("year"))
        except DomainError as error:
            raise forms.ValidationError(str(error)) from None


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Confirming a year ends the provisional notice on its deadlines (add the year, or use the
    action); the form lists the holidays computed for it, so only the 调休 need entering."""

    form = CalendarYearForm
    list_display = ("year", "complete", "statutory_days")
    fields = ("year", "complete", "statutory_days")
    readonly_fields = ("statutory_days",)
    actions = ("confirm_years",)

    @admin.display(description=_("按法定节假日推算的放假日"))
    def statutory_days(self, obj):
        if obj is None or not obj.year:
            return "—"
        days = workdays.statutory_holidays(obj.year)
        return "、".join(d.strftime("%m-%d") for d in days if d.weekday() < 5) or "—"

    def save_model(self, request, obj, form, change):
        try:
            if obj.complete:
                workcalendar.calendar_year_confirm(actor=request.user, year=obj.year)
            else:
                workcalendar.calendar_year_unconfirm(actor=request.user, year=obj.year)
        except DomainError as error:
            self.message_user(request, str(error), level=messages.ERROR)

    def delete_model(self, request, obj):
        workcalendar.calendar_year_unconfirm(actor=request.user, year=obj.year, delete=True)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            workcalendar.calendar_year_unconfirm(actor=request.user, year=obj.year, delete=True)

    @admin.action(description=_("确认所选年份的调休安排"))
    def confirm_years(self, request, queryset):
        for obj in queryset:
            try:
                workcalendar.calendar_year_confirm(actor=request.user, year=obj.year)
            except DomainError as error:
                self.message_user(request, str(error), level=messages.ERROR)


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
