"""Document versions are read in the admin, never changed or removed there."""

from django.contrib import admin

from ipshield.documents.models import CaseDocument


@admin.register(CaseDocument)
class CaseDocumentAdmin(admin.ModelAdmin):
    list_display = ("case", "kind", "version", "format", "source", "created_by", "created_at")
    list_filter = ("kind", "format", "source")
    search_fields = ("case__number", "sha256")
    readonly_fields = [f.name for f in CaseDocument._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
