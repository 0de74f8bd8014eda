"""Admin: the counterfeit slang list is edited here (through ``services.counterfeit_term_save``,
which records the change); monitoring records are read-only, because only services change them."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from ipshield.monitoring import services
from ipshield.monitoring.models import Alert, CounterfeitTerm, ListingImport, ProtectedMark


@admin.register(CounterfeitTerm)
class CounterfeitTermAdmin(admin.ModelAdmin):
    list_display = ("term", "weight", "active", "note")
    list_filter = ("active",)
    search_fields = ("term", "note")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        saved = services.counterfeit_term_save(
            actor=request.user, term=obj.term, weight=obj.weight, active=obj.active, note=obj.note
        )
        obj.pk = saved.pk

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # switch a term off instead, so past alerts keep their reasons


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProtectedMark)
class ProtectedMarkAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "holder", "unit", "active")
    list_filter = ("kind", "active")
    search_fields = ("name",)


@admin.register(ListingImport)
class ListingImportAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "unit",
        "format",
        "status",
        "total",
        "created_count",
        "alert_count",
    )
    list_filter = ("status", "format")


@admin.register(Alert)
class AlertAdmin(ReadOnlyAdmin):
    list_display = ("id", "matched", "mark", "risk", "status", "unit")
    list_filter = ("status",)
    search_fields = ("matched", "listing__title")
    # The stored reasons are codes and parameters: shown rendered in the reader's language.
    exclude = ("reasons",)
    readonly_fields = ("reason_list",)

    @admin.display(description=_("理由"))
    def reason_list(self, obj: Alert) -> str:
        items = format_html_join("", "<li>{}</li>", ((text,) for text in obj.reason_texts))
        return format_html("<ul>{}</ul>", items)
