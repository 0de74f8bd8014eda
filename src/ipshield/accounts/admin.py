from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from ipshield.accounts import services
from ipshield.accounts.models import (
    ApiToken,
    LeadingGroup,
    LeadingGroupMember,
    Notification,
    Profile,
    Region,
    Share,
    Unit,
)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    list_filter = ("level",)
    search_fields = ("code", "name")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "region", "parent", "is_external")
    list_filter = ("kind", "is_external")
    search_fields = ("name", "short_name")
    autocomplete_fields = ("region", "parent")


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("display_name", "user", "unit", "title")
    list_filter = ("unit__kind",)
    search_fields = ("display_name", "user__username")
    autocomplete_fields = ("unit",)


class MemberInline(admin.TabularInline):
    model = LeadingGroupMember
    extra = 0
    autocomplete_fields = ("person", "unit")


@admin.register(LeadingGroup)
class LeadingGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "region", "office_unit")
    inlines = [MemberInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "unit", "created_at", "last_used_at", "revoked_at")
    list_filter = ("unit",)
    readonly_fields = ("prefix", "token_hash", "acts_as", "issued_by", "last_used_at", "revoked_at")
    actions = ["revoke"]

    def has_add_permission(self, request):
        # Tokens are issued with `ipshield issuetoken` so the secret can be shown exactly once.
        return False

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request, queryset):
        for token in queryset:
            services.token_revoke(actor=request.user, token=token)
        messages.success(request, _("已吊销。"))


@admin.register(Share)
class ShareAdmin(admin.ModelAdmin):
    list_display = ("content_type", "object_id", "unit", "reason", "created_at")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("user", "message", "created_at", "read_at")
    list_filter = ("read_at",)
