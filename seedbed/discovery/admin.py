from django.contrib import admin

from seedbed.discovery.models import Dismissal, EvaluationRun, Recommendation


@admin.register(Recommendation)
class RecommendationAdmin(admin.ModelAdmin):
    """Read-only: the refresh owns these rows and rewrites them."""

    list_display = ("member", "kind", "object_id", "rank", "score", "reason_code", "computed_at")
    list_filter = ("kind", "reason_code")
    raw_id_fields = ("member",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Dismissal)
class DismissalAdmin(admin.ModelAdmin):
    list_display = ("member", "kind", "object_id", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("member",)


@admin.register(EvaluationRun)
class EvaluationRunAdmin(admin.ModelAdmin):
    list_display = ("computed_at",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
