"""Admin: the joint-punishment catalogue is edited here (through ``services.measure_save``, which
records the change); records and the check log are read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ipshield.credit import services
from ipshield.credit.models import CreditCheck, CreditRecord, JointMeasure


@admin.register(JointMeasure)
class JointMeasureAdmin(admin.ModelAdmin):
    list_display = ("domain", "title", "trigger", "basis", "active")
    list_filter = ("domain", "trigger", "active")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.measure_save(actor=request.user, measure=obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switch a measure off instead; past checks name it


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(CreditRecord)
class CreditRecordAdmin(ReadOnlyAdmin):
    list_display = (
        "subject_name",
        "subject_uscc",
        "source",
        "decided_on",
        "public_until",
        "status",
    )
    list_filter = ("source", "status")
    search_fields = ("subject_name", "subject_uscc", "document_number")


@admin.register(CreditCheck)
class CreditCheckAdmin(ReadOnlyAdmin):
    list_display = ("created_at", "unit", "actor", "query_uscc", "query_name", "purpose", "channel")
    list_filter = ("channel", "unit")
    search_fields = ("query_uscc", "query_name", "purpose")
