from django.contrib import admin
from django.urls import path

from . import access, admin_import, comment_text
from .geo.store import retag
from .models import (
    Actor,
    Article,
    ArticleActor,
    ArticleCountry,
    Comment,
    CommentBan,
    Country,
    LoginFailure,
    Membership,
    Source,
    TagOrigin,
)


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "site_url"]
    search_fields = ["name"]


TEXT_FIELDS = {"title", "dek", "free_html", "members_html", "free_text", "members_text", "published_at"}


class TagInline(admin.TabularInline):
    extra = 0
    readonly_fields = ["mentions", "origin"]


class ArticleCountryInline(TagInline):
    model = ArticleCountry
    fields = ["country", "mentions", "origin"]
    autocomplete_fields = ["country"]


class ArticleActorInline(TagInline):
    model = ArticleActor
    fields = ["actor", "mentions", "origin"]
    autocomplete_fields = ["actor"]


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name", "code"]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "slug"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    inlines = [ArticleCountryInline, ArticleActorInline]
    list_display = ["title", "source", "access", "published_at", "source_truncated", "comment_count"]
    list_filter = ["access", "source_truncated", "source"]
    search_fields = ["title", "author"]
    date_hierarchy = "published_at"
    list_select_related = ["source"]
    readonly_fields = ["content_hash", "reading_minutes", "comment_count", "created_at", "updated_at", "stripped_chrome"]
    prepopulated_fields = {"slug": ["title"]}

    def save_formset(self, request, form, formset, change):
        if formset.model not in (ArticleCountry, ArticleActor):
            return super().save_formset(request, form, formset, change)
        # A tag row an editor adds or changes is the editor's: retagging keeps it.
        for tag in formset.save(commit=False):
            tag.origin = TagOrigin.EDITOR
            tag.save()
        for tag in formset.deleted_objects:
            tag.delete()

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Tag again when the text changed; the editor's own rows stay as they left them, and a
        # tag they removed without touching the text stays removed.
        if not change or TEXT_FIELDS & set(form.changed_data):
            retag([form.instance])

    def get_urls(self):
        import_page = path(
            "import/", self.admin_site.admin_view(admin_import.import_view), name="articles_article_import"
        )
        return [import_page, *super().get_urls()]


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
        obj.body_html = comment_text.render(obj.body)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        obj.remove()

    @admin.action(description="Hide the selected comments")
    def hide(self, request, queryset):
        for comment in queryset:
            comment.set_hidden(True)

    @admin.action(description="Show the selected comments again")
    def show_again(self, request, queryset):
        for comment in queryset:
            comment.set_hidden(False)

    @admin.action(description="Delete the selected comments and their replies")
    def delete_with_replies(self, request, queryset):
        for comment in queryset:
            if Comment.objects.filter(pk=comment.pk).exists():  # not gone with its deleted parent
                comment.remove()

    @admin.action(description="Ban the authors from commenting")
    def ban_authors(self, request, queryset):
        for user_id in set(queryset.values_list("user_id", flat=True)):
            CommentBan.objects.get_or_create(
                user_id=user_id, defaults={"reason": "Banned by a moderator in the admin.", "banned_by": request.user}
            )


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
