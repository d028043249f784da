from django.contrib import admin

from seedbed.matching.models import Intro, MatchingRound, Offer, Project


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "stage", "status", "needs_funding", "created_at"]
    list_filter = ["stage", "status"]
    search_fields = ["name", "one_liner"]


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "owner", "capacity", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["title"]


@admin.register(Intro)
class IntroAdmin(admin.ModelAdmin):
    list_display = ["project", "offer", "status", "met_at", "outcome", "created_at"]
    list_filter = ["status", "outcome"]


@admin.register(MatchingRound)
class MatchingRoundAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "total_score", "projects_covered", "sent_at"]
