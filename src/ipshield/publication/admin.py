from django.contrib import admin

from ipshield.publication.models import (
    FileReview,
    FileReviewScore,
    Publication,
    ReporterReward,
    ReviewChecklist,
    ReviewItem,
    TypicalCase,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services change: administrators look, the pages and the API act."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Publication)
class PublicationAdmin(ReadOnlyAdmin):
    list_display = (
        "decision_number",
        "infringer_name",
        "unit",
        "decided_on",
        "period_ends_on",
        "status",
    )
    list_filter = ("status", "unit")
    search_fields = ("decision_number", "infringer_name", "infringer_name_normalized")
    date_hierarchy = "decided_on"


@admin.register(TypicalCase)
class TypicalCaseAdmin(ReadOnlyAdmin):
    list_display = ("title", "unit", "published", "order", "published_at")
    list_filter = ("published", "unit")
    search_fields = ("title",)


class ReviewItemInline(admin.TabularInline):
    model = ReviewItem
    extra = 1
    fields = ("order", "title", "max_points", "criteria")


@admin.register(ReviewChecklist)
class ReviewChecklistAdmin(admin.ModelAdmin):
    """The checklist is configuration: administrators edit its items and points here. Reviews
    already made keep the titles and points they were scored against."""

    list_display = ("name", "active", "total")
    list_filter = ("active",)
    inlines = [ReviewItemInline]

    @admin.display(description="满分")
    def total(self, obj):
        return obj.max_points

    def has_delete_permission(self, request, obj=None):
        # Reviews refer to the checklist; switch it off instead.
        return False


class FileReviewScoreInline(admin.TabularInline):
    model = FileReviewScore
    extra = 0
    fields = ("title", "max_points", "points", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(FileReview)
class FileReviewAdmin(ReadOnlyAdmin):
    list_display = ("case", "unit", "checklist", "total_points", "max_points", "reviewed_at")
    list_filter = ("unit", "checklist")
    inlines = [FileReviewScoreInline]


@admin.register(ReporterReward)
class ReporterRewardAdmin(ReadOnlyAdmin):
    list_display = ("case", "unit", "amount", "status", "proposed_at", "paid_on")
    list_filter = ("status", "unit")
