"""Moderation: comments and bans."""

from django.contrib import admin

from ..actions.comments import edit_comment, hide_comment, remove_comment
from ..actions.moderation import ban_commenter
from ..models import Comment, CommentBan


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    """Moderation. Hiding and deleting go through the model so the article's count stays exact."""

    list_display = ["article", "user", "created_at", "edited_at", "hidden", "is_reply"]
    list_filter = ["hidden", "created_at"]
    search_fields = ["body", "user__username", "article__title"]
    list_select_related = ["article", "user"]
    raw_id_fields = ["article", "user", "parent"]
    fields = ["article", "user", "parent", "created_at", "edited_at", "hidden", "body"]
    readonly_fields = ["article", "user", "parent", "created_at", "edited_at", "hidden"]
    actions = ["hide", "show_again", "delete_with_replies", "ban_authors"]

    @admin.display(boolean=True, description="reply")
    def is_reply(self, comment):
        return comment.parent_id is not None

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # it would skip the count; delete_with_replies keeps it
        return actions

    def has_add_permission(self, request):
        return False  # members post on the page

    def save_model(self, request, obj, form, change):
        edit_comment(obj, body=obj.body)

    def delete_model(self, request, obj):
        remove_comment(obj)

    @admin.action(description="Hide the selected comments")
    def hide(self, request, queryset):
        for comment in queryset:
            hide_comment(comment, hidden=True)

    @admin.action(description="Show the selected comments again")
    def show_again(self, request, queryset):
        for comment in queryset:
            hide_comment(comment, hidden=False)

    @admin.action(description="Delete the selected comments and their replies")
    def delete_with_replies(self, request, queryset):
        for comment in queryset:
            remove_comment(comment)

    @admin.action(description="Ban the authors from commenting")
    def ban_authors(self, request, queryset):
        for author in {comment.user for comment in queryset.select_related("user")}:
            ban_commenter(author, reason="Banned by a moderator in the admin.", by=request.user)


@admin.register(CommentBan)
class CommentBanAdmin(admin.ModelAdmin):
    """Who may not comment, and why; delete a ban to lift it."""

    list_display = ["user", "reason", "banned_by", "created_at"]
    search_fields = ["user__username", "reason"]
    list_select_related = ["user", "banned_by"]
    raw_id_fields = ["user"]
    readonly_fields = ["banned_by", "created_at"]

    def save_model(self, request, obj, form, change):
        obj.banned_by = obj.banned_by or request.user
        super().save_model(request, obj, form, change)
