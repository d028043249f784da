from django.contrib import admin

from seedbed.communities.models import (
    Community,
    Membership,
    ModerationAction,
    Post,
    Reply,
    Report,
)


@admin.register(Community)
class CommunityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "visibility", "created_at", "archived_at"]
    list_filter = ["visibility"]
    search_fields = ["name", "slug"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["community", "user", "role", "joined_at"]
    list_select_related = ["community", "user"]
    list_filter = ["role"]
    raw_id_fields = ["user", "community"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["title", "community", "author", "status", "created_at"]
    list_select_related = ["community", "author"]
    list_filter = ["status"]
    search_fields = ["title"]
    raw_id_fields = ["author", "community"]


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ["pk", "post", "author", "status", "created_at"]
    list_select_related = ["post", "author"]
    raw_id_fields = ["author", "post"]


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["pk", "community", "reporter", "status", "created_at"]
    list_select_related = ["community", "reporter"]


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    list_display = ["created_at", "community", "actor", "action", "target_user"]
    list_select_related = ["community", "actor", "target_user"]
