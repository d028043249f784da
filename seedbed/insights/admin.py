"""The stored Insights results are the refresh's to write: the admin shows them read-only, and
the reach-out log and the weekly report claims as the audit they are."""

from django.contrib import admin
from django.http import HttpRequest

from seedbed.insights.models import DailyStats, MemberEngagement, ReachOut, ReportSent


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(MemberEngagement)
class MemberEngagementAdmin(ReadOnly):
    list_display = ["member", "community", "level", "previous_level", "score", "churn_risk"]
    list_select_related = ["member", "community"]
    list_filter = ["level"]
    raw_id_fields = ["member", "community"]


@admin.register(DailyStats)
class DailyStatsAdmin(ReadOnly):
    list_display = ["day", "community", "members", "active_members", "active_7d", "active_30d"]
    list_select_related = ["community"]
    date_hierarchy = "day"


@admin.register(ReachOut)
class ReachOutAdmin(ReadOnly):
    list_display = ["sent_at", "sender", "member", "community", "language"]
    list_select_related = ["sender", "member", "community"]


@admin.register(ReportSent)
class ReportSentAdmin(ReadOnly):
    list_display = ["week", "operator", "sent_at"]
    list_select_related = ["operator"]
