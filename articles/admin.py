from django.contrib import admin

from . import access
from .models import Article, Comment, LoginFailure, Membership, Source


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "site_url"]
    search_fields = ["name"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "source", "access", "published_at", "source_truncated", "comment_count"]
    list_filter = ["access", "source_truncated", "source"]
    search_fields = ["title", "author"]
    date_hierarchy = "published_at"
    list_select_related = ["source"]
    readonly_fields = ["content_hash", "reading_minutes", "comment_count", "created_at", "updated_at", "stripped_chrome"]
    prepopulated_fields = {"slug": ["title"]}


class MembershipStateFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("lapsed", "Lapsed")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(access.active_memberships())
        if self.value() == "lapsed":
            return queryset.exclude(access.active_memberships())
        return queryset


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "plan", "starts_at", "ends_at", "is_active"]
    list_filter = [MembershipStateFilter, "plan"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    actions = ["extend_30_days"]

    @admin.display(boolean=True, description="active")
    def is_active(self, membership):
        return access.membership_is_active(membership)

    @admin.action(description="Extend by 30 days (a lapsed one starts again today)")
    def extend_30_days(self, request, queryset):
        memberships = list(queryset.select_related("user"))
        for membership in memberships:
            Membership.objects.grant(membership.user, days=30)
        self.message_user(request, f"Extended {len(memberships)} membership{'s' if len(memberships) != 1 else ''} by 30 days.")


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    """Read-only: who has been failing to sign in, and from where."""

    list_display = ["username", "address", "failed_at"]
    search_fields = ["username", "address"]
    date_hierarchy = "failed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["article", "user", "created_at", "hidden"]
    list_filter = ["hidden"]
    list_select_related = ["article", "user"]
    raw_id_fields = ["article", "user", "parent"]
