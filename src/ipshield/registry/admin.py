from django.contrib import admin

from ipshield.registry.models import Entity, IPRight, RightsHolder


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    list_display = ("name", "uscc", "kind", "legal_representative", "region")
    list_filter = ("kind",)
    search_fields = ("name", "name_normalized", "uscc")
    readonly_fields = ("name_normalized",)


@admin.register(RightsHolder)
class RightsHolderAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "region", "user")
    search_fields = ("name",)
    autocomplete_fields = ("entity",)


@admin.register(IPRight)
class IPRightAdmin(admin.ModelAdmin):
    list_display = ("registration_number", "kind", "title", "holder", "status", "verifying_unit")
    list_filter = ("kind", "status", "verifying_unit")
    search_fields = ("registration_number", "title", "holder__name")
    autocomplete_fields = ("holder",)
