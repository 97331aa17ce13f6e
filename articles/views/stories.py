"""Stories: the list (most covered first), one story with its coverage and blindspot, the feed.
Titles and free text only: nothing here reads an article's members' text."""

from collections import defaultdict
from typing import NamedTuple

from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_safe

from ..languages import site_language
from ..models import ArticleCountry, Story, StoryArticle, Subject
from ..pagecache import shared_page
from . import following
from .feeds import LatestArticlesFeed

STORIES_SHOWN = 30
TOP_STORIES = 5
FEED_STORIES = 30


class Outlet(NamedTuple):
    name: str
    country: str  # the country's name, or ""


def with_outlets(stories) -> list[Story]:
    """The stories, each with `.outlets`: its publishers and their countries (one query for all)."""
    stories = list(stories)
    outlets = defaultdict(dict)
    rows = (
        StoryArticle.objects.filter(story__in=stories, source__isnull=False)
        .order_by("published_at")
        .values_list("story_id", "source__name", "source__country__name")
    )
    for story_id, name, country in rows:
        outlets[story_id].setdefault(name, Outlet(name, country or ""))
    for story in stories:
        story.outlets = list(outlets[story.pk].values())
    return stories


def top_stories(stories=None, count=TOP_STORIES) -> list[Story]:
    """The most covered recent stories, with their headline article and outlets."""
    stories = Story.objects.recent() if stories is None else stories
    return with_outlets(stories.most_covered().select_related("headline")[:count])


@require_safe
@shared_page()
def story_list(request):
    return render(request, "articles/story_list.html", {"stories": top_stories(count=STORIES_SHOWN)})


class Report(NamedTuple):
    """One article of a story as the story page shows it, with the outlets that published the
    same copy ("also published by")."""

    link: StoryArticle
    also: list[str]


def reports(links: list[StoryArticle]) -> list[Report]:
    """The story's articles by time, each copy of the same wire text shown once."""
    also = defaultdict(list)
    for link in links:
        if link.duplicate_of_id and link.source:
            also[link.duplicate_of_id].append(link.source.name)
    shown = {link.article_id for link in links}
    return [
        Report(link, also[link.article_id])
        for link in links
        if not (link.duplicate_of_id and link.duplicate_of_id in shown)
    ]


def coverage(story: Story, links: list[StoryArticle]) -> dict:
    """Which countries and languages reported it, which countries it is about, and which of those
    did not report it (its blindspot)."""
    sources = {link.source for link in links if link.source}
    countries = {source.country for source in sources if source.country}
    tagged = (
        ArticleCountry.objects.filter(article__story_link__story=story)
        .values("country_id", "country__name", "country__region")
        .annotate(articles=Count("article_id"))
        .order_by("-articles", "country__name")
    )
    # What the story is about: the countries at least half its articles mention.
    about = [row for row in tagged if row["articles"] * 2 >= len(links)]
    reporting = {country.code for country in countries}
    return {
        "countries": sorted(countries, key=lambda country: country.name),
        "languages": sorted({source.language for source in sources if source.language}),
        "about": about,
        "blindspot": [row["country__name"] for row in about if row["country_id"] not in reporting],
        "region_reported": bool({row["country__region"] for row in about} & {c.region for c in countries}),
    }


@require_safe
@shared_page(reader_part=following.STORY)
def story_detail(request, slug):
    story = get_object_or_404(Story.objects.shown(), slug=slug)
    links = list(
        StoryArticle.objects.filter(story=story)
        .select_related("article", "source", "source__country")
        .only(
            "published_at", "duplicate_of", "source__name", "source__language", "source__country__name",
            "source__country__code", "source__country__region", "article__title", "article__slug", "article__dek",
            "article__excerpt", "article__access", "article__published_at", "article__language",
        )
        .order_by("published_at", "article_id")
    )
    context = {"story": story, "reports": reports(links), "coverage": coverage(story, links),
               "button": following.follow_button(request, Subject.STORY, story.slug, "this story")}
    return render(request, "articles/story_detail.html", context)


class StoriesFeed(LatestArticlesFeed):
    """New and growing stories: a story comes again when an article joins it."""

    title = "newsreader: stories"
    link = "/stories/"
    description = "The same event from several outlets: new and growing stories."

    def items(self):
        return with_outlets(Story.objects.shown().order_by("-last_published_at", "-id")[:FEED_STORIES])

    def item_title(self, story):
        return story.title

    def item_description(self, story):
        outlets = format_html_join(", ", "{}", ((outlet.name,) for outlet in story.outlets))
        return format_html("<p>Reported by {} outlet{}: {}.</p>", story.outlet_count,
                           "" if story.outlet_count == 1 else "s", outlets)

    def item_link(self, story):
        return story.get_absolute_url()

    def item_extra_kwargs(self, story):
        return {"language": site_language()}  # its description is the site's words

    def item_pubdate(self, story):
        return story.first_published_at

    def item_updateddate(self, story):
        return story.last_published_at

    def item_guid(self, story):
        # A story that grew is a new item, so that feed readers show it again.
        return f"{self._request.build_absolute_uri(story.get_absolute_url())}#{story.article_count}"

    item_guid_is_permalink = False

    def item_author_name(self, story):
        return None

    def item_categories(self, story):
        return sorted({outlet.country for outlet in story.outlets if outlet.country})
