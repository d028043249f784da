from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from seedbed.accounts.models import ApiToken, MemberRole, User


class MemberRoleInline(admin.TabularInline):
    model = MemberRole
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "city", "visibility", "is_staff", "date_joined"]
    list_filter = ["is_staff", "is_active", "visibility", "stage"]
    search_fields = ["email", "display_name", "city"]
    autocomplete_fields = ["skills", "interests"]
    filter_horizontal = ["sectors", "groups", "user_permissions"]
    inlines = [MemberRoleInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Profile"),
            {
                "fields": [
                    "display_name",
                    "headline",
                    "bio",
                    "city",
                    "languages",
                    "stage",
                    "sectors",
                    "skills",
                    "interests",
                    "visibility",
                ]
            },
        ),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]

    def delete_model(self, request, obj):
        """Deleting a member erases them as their own deletion does (content removed), so the
        admin never leaves a half-deleted account or breaks the rows that point at it."""
        # By dotted path: the privacy app imports every app, which accounts must not.
        delete_account = import_string("seedbed.privacy.erasure.delete_account")
        try:
            delete_account(obj, keep_content=False)
        except ValidationError as exc:
            request.refused_deletions = [*getattr(request, "refused_deletions", []), obj.pk]
            self.message_user(request, f"{obj}: {' '.join(exc.messages)}", messages.ERROR)

    def response_delete(self, request, obj_display, obj_id):
        if obj_id in getattr(request, "refused_deletions", []):
            return HttpResponseRedirect(reverse("admin:accounts_user_change", args=[obj_id]))
        return super().response_delete(request, obj_display, obj_id)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            self.delete_model(request, user)

    add_fieldsets = [
        (
            None,
            {"classes": ["wide"], "fields": ["email", "display_name", "password1", "password2"]},
        ),
    ]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "hint", "created_at", "last_used_at", "revoked_at"]
    list_select_related = ["user"]
    readonly_fields = ["digest", "hint"]
    search_fields = ["name", "user__email"]
