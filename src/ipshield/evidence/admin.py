"""Evidence in the admin: read-only. Rows are append-only and match ledger leaves one to one."""

from django.contrib import admin

from ipshield.evidence.models import EvidenceItem


@admin.register(EvidenceItem)
class EvidenceItemAdmin(admin.ModelAdmin):
    list_display = ("leaf_index", "original_name", "size", "owner", "unit", "case", "created_at")
    list_filter = ("unit",)
    search_fields = ("sha256", "sm3", "original_name", "case__number")
    date_hierarchy = "created_at"
    ordering = ("-leaf_index",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False  # evidence is preserved through the service, which logs it

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
