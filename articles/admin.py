from django.contrib import admin

from .models import Article, Comment, Membership, Source


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
    readonly_fields = ["content_hash", "comment_count", "created_at", "updated_at", "stripped_chrome"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "plan", "starts_at", "ends_at"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["article", "user", "created_at", "hidden"]
    list_filter = ["hidden"]
    list_select_related = ["article", "user"]
    raw_id_fields = ["article", "user", "parent"]
