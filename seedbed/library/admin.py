from django.contrib import admin

from seedbed.library.models import Resource, ResourceDecision, ResourceReport, Track, TrackItem


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    """Moderation belongs on the library's own pages (they log decisions and keep search and
    points in step); here rows are read and corrected."""

    list_display = ["title", "kind", "community", "author", "status", "created_at"]
    list_select_related = ["community", "author"]
    list_filter = ["kind", "status", "language"]
    search_fields = ["title"]
    raw_id_fields = ["community", "author", "decided_by"]
    readonly_fields = ["status", "rating_count", "rating_sum", "file_name", "file_type"]


class TrackItemInline(admin.TabularInline):
    model = TrackItem
    raw_id_fields = ["resource"]
    extra = 0


@admin.register(Track)
class TrackAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "created_at"]
    list_select_related = ["community"]
    raw_id_fields = ["community", "created_by"]
    inlines = [TrackItemInline]


@admin.register(ResourceReport)
class ResourceReportAdmin(admin.ModelAdmin):
    list_display = ["resource", "reporter", "status", "created_at"]
    list_select_related = ["resource", "reporter"]
    list_filter = ["status"]
    raw_id_fields = ["resource", "reporter", "resolved_by"]


@admin.register(ResourceDecision)
class ResourceDecisionAdmin(admin.ModelAdmin):
    list_display = ["resource", "actor", "status", "created_at"]
    list_select_related = ["resource", "actor"]
    raw_id_fields = ["resource", "actor"]
