"""Admin: prosecution thresholds are edited here (through ``services.threshold_save``, which
records the change); everything else is read-only, because only services change cooperation
records."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ipshield.cooperation import services
from ipshield.cooperation.models import (
    AssistanceRequest,
    CaseCriminalFacts,
    CooperationEvent,
    JointOperation,
    ProsecutionThreshold,
    ReferralDecision,
    Transfer,
)


@admin.register(ProsecutionThreshold)
class ProsecutionThresholdAdmin(admin.ModelAdmin):
    list_display = (
        "crime",
        "label",
        "applies_to",
        "min_marks",
        "requires_prior_punishment",
        "business_volume_min",
        "illegal_gains_min",
        "active",
        "order",
    )
    list_editable = ("active",)
    list_filter = ("crime", "applies_to", "active")
    search_fields = ("key", "crime", "label", "legal_source")
    ordering = ("order", "id")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        services.threshold_save(actor=request.user, threshold=obj, changed=form.changed_data)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deactivate instead, so that past decisions still name their rule


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AssistanceRequest)
class AssistanceRequestAdmin(ReadOnlyAdmin):
    list_display = ("case", "from_unit", "to_unit", "status", "due_on", "sent_at")
    list_filter = ("status", "from_unit", "to_unit")
    search_fields = ("case__number", "asked")


@admin.register(Transfer)
class TransferAdmin(ReadOnlyAdmin):
    list_display = ("case", "kind", "from_unit", "to_unit", "status", "proposed_at")
    list_filter = ("kind", "status")
    search_fields = ("case__number", "reason")


@admin.register(JointOperation)
class JointOperationAdmin(ReadOnlyAdmin):
    list_display = ("name", "lead_unit", "status", "starts_on", "ends_on")
    list_filter = ("status",)
    search_fields = ("name", "area")


@admin.register(CaseCriminalFacts)
class CaseCriminalFactsAdmin(ReadOnlyAdmin):
    list_display = (
        "case",
        "illegal_business_volume",
        "illegal_gains",
        "marks_count",
        "mark_use",
        "updated_at",
    )
    search_fields = ("case__number",)


@admin.register(ReferralDecision)
class ReferralDecisionAdmin(ReadOnlyAdmin):
    list_display = ("case", "refer", "unit", "decided_at", "package_sha256")
    list_filter = ("refer",)
    search_fields = ("case__number",)


@admin.register(CooperationEvent)
class CooperationEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "verb", "unit", "actor", "case")
    list_filter = ("verb",)
    search_fields = ("case__number", "note")
