"""Publishers, countries, actors and articles, with an article's country and actor tags inline."""

from django import forms
from django.contrib import admin
from django.urls import path

from .. import languages
from ..geo.tag_rows import tags_of, write_tags
from ..importing.store import unique_slug
from ..models import Actor, Article, ArticleActor, ArticleCountry, Country, Source, TagOrigin
from ..models.articles import home_of
from ..stories import grouping
from .imports import import_view


class SourceForm(forms.ModelForm):
    def clean_language(self):
        """An ISO 639-1 code the registry knows, checked as the import and the command check it."""
        try:
            return home_of(language=self.cleaned_data["language"]).get("language", "")
        except ValueError as error:
            raise forms.ValidationError(f"The {error}.") from None


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    form = SourceForm
    list_display = ["name", "country", "language", "site_url"]
    list_filter = ["language"]
    search_fields = ["name"]
    fields = ["name", "site_url", "country", "language", "description"]


# What the tags are worked out from: a change to any of them tags the article again.
TEXT_FIELDS = {"title", "dek", "free_html", "members_html", "free_text", "members_text", "published_at", "language"}


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


class ArticleForm(forms.ModelForm):
    """The article as an editor edits it: a slug made from the title as imports make it (left empty),
    and a language tag read as imports read one, or detected from the text (left empty)."""

    HELP = {
        "slug": "Left empty, made from the title (in ASCII). It stays once the article is saved: links point at it.",
        "language": "A BCP 47 tag (en, ru, ar, zh-Hant, pt-BR); left empty, detected from the text.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, help_text in self.HELP.items():
            if name in self.fields:  # the slug is read-only once saved
                self.fields[name].required = False
                self.fields[name].help_text = help_text

    def clean_language(self) -> str:
        tag = self.cleaned_data["language"].strip()
        if tag and languages.normalize(tag) is None:
            raise forms.ValidationError(f"“{tag}” is not a language tag this site knows (en, ru, ar, zh-Hant, pt-BR …).")
        return languages.normalize(tag) or ""

    def clean(self):
        data = super().clean()
        if not data.get("language"):
            data["language"] = languages.detect(data.get("title", ""), data.get("dek", ""), data.get("free_text", ""))
            self.instance.language_detected = True
        elif "language" in self.changed_data:
            self.instance.language_detected = False  # the editor's: a re-import keeps it
        return data


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    form = ArticleForm
    inlines = [ArticleCountryInline, ArticleActorInline]
    list_display = ["title", "source", "language", "access", "published_at", "is_link", "source_truncated", "comment_count"]
    list_filter = ["access", "language", "is_link", "text_from_page", "source_truncated", "source"]
    search_fields = ["title", "author"]
    date_hierarchy = "published_at"
    list_select_related = ["source"]
    readonly_fields = [
        "content_hash", "reading_minutes", "comment_count", "created_at", "updated_at", "stripped_chrome",
        "language_detected",
    ]

    def get_readonly_fields(self, request, obj=None):
        # A published article's address never changes (imports keep it too).
        return [*self.readonly_fields, "slug"] if obj is not None else self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not obj.slug:
            obj.slug = unique_slug(obj.title)
        super().save_model(request, obj, form, change)

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
        # Tag and group again when the text changed; the editor's own rows stay as they left them,
        # and a tag they removed without touching the text stays removed.
        if not change or TEXT_FIELDS & set(form.changed_data):
            tags = tags_of(form.instance)
            write_tags([(form.instance, tags)])
            grouping.group([grouping.item_of_article(form.instance, tags)])

    def get_urls(self):
        import_page = path(
            "import/", self.admin_site.admin_view(import_view), name="articles_article_import"
        )
        return [import_page, *super().get_urls()]
