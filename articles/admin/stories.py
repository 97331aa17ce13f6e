"""Stories in the admin: rename one (its title then stays), merge several, split articles out.
Every change goes through actions/stories.py and is pinned against later grouping."""

from django.contrib import admin, messages

from ..actions import stories
from ..models import Story, StoryArticle


class StoryArticleInline(admin.TabularInline):
    model = StoryArticle
    fields = ["article", "source", "published_at", "pinned", "duplicate_of"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ["published_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["title", "article_count", "outlet_count", "country_count", "last_published_at", "title_locked"]
    search_fields = ["title"]
    date_hierarchy = "last_published_at"
    fields = ["title", "slug", "title_locked", "article_count", "outlet_count", "country_count",
              "first_published_at", "last_published_at"]
    readonly_fields = ["slug", "title_locked", "article_count", "outlet_count", "country_count",
                       "first_published_at", "last_published_at"]
    inlines = [StoryArticleInline]
    actions = ["merge_stories"]

    def has_add_permission(self, request):
        return False  # stories are made by grouping, or by splitting articles out

    def save_model(self, request, obj, form, change):
        stories.rename(obj, form.cleaned_data["title"])

    @admin.action(description="Merge the selected stories into one")
    def merge_stories(self, request, queryset):
        if queryset.count() < 2:
            self.message_user(request, "Select two stories or more to merge.", messages.WARNING)
            return
        story = stories.merge(list(queryset))
        self.message_user(request, f"Merged into “{story.title}”.", messages.SUCCESS)


@admin.register(StoryArticle)
class StoryArticleAdmin(admin.ModelAdmin):
    list_display = ["article", "story", "source", "published_at", "pinned"]
    list_filter = ["pinned"]
    list_select_related = ["article", "story", "source"]
    search_fields = ["article__title", "story__title"]
    fields = ["article", "story", "source", "published_at", "pinned", "duplicate_of"]
    readonly_fields = fields
    actions = ["split_out"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Split the selected articles out into a story of their own")
    def split_out(self, request, queryset):
        story = stories.split(list(queryset.values_list("article_id", flat=True)))
        where = f"the new story “{story.title}”" if story else "standing alone"
        self.message_user(request, f"Split out: {where}.", messages.SUCCESS)
