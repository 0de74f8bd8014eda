"""Admin: read-only views of the evaluation's records; only services change them (the office's
pages), so that every change is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ipshield.evaluation.models import (
    Accountability,
    Commendation,
    EnteredValue,
    EvaluationResult,
    Indicator,
    IndicatorSheet,
)


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(IndicatorSheet)
class IndicatorSheetAdmin(ReadOnly):
    list_display = ("year", "region", "office_unit", "status", "finalized_at")
    list_filter = ("status", "year")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnly):
    list_display = ("sheet", "order", "name", "source", "weight", "rule")
    list_filter = ("sheet__year",)


@admin.register(EnteredValue)
class EnteredValueAdmin(ReadOnly):
    list_display = ("indicator", "unit", "value", "entered_at")


@admin.register(EvaluationResult)
class EvaluationResultAdmin(ReadOnly):
    list_display = ("sheet", "unit", "township", "total", "rank")
    list_filter = ("sheet__year", "township")


@admin.register(Accountability)
class AccountabilityAdmin(ReadOnly):
    list_display = ("on", "kind", "unit", "issued_by")
    list_filter = ("kind",)


@admin.register(Commendation)
class CommendationAdmin(ReadOnly):
    list_display = ("on", "title", "unit", "person", "issued_by")
