"""RSS 2.0 and Atom feeds of the newest articles, and one per country: each item carries the
free text only (access.public_reading), with a "Continue reading" link when more is for members.

Each item says its article's language (Atom: `xml:lang` on the entry; RSS, which has no element
for it, Dublin Core's `dc:language`), and its text is marked with it (and its direction) as on the
page; the feed's own language is its items' when they share one, else the site's."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape, format_html

from .. import access, languages
from ..models import Article, Country

FEED_ITEMS = 30


class RssWithLanguages(Rss201rev2Feed):
    def rss_attributes(self):
        return super().rss_attributes() | {"xmlns:dc": "http://purl.org/dc/elements/1.1/"}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("dc:language", item["language"])


class AtomWithLanguages(Atom1Feed):
    def item_attributes(self, item):
        return {"xml:lang": item["language"]}


class LatestArticlesFeed(Feed):
    feed_type = RssWithLanguages
    title = "newsreader"
    link = "/"
    description = "World affairs, read closely: the newest articles."

    @classmethod
    def as_view(cls):
        """The URL's view: a new feed for each request. A feed keeps its request (for the absolute
        links), and a worker's threads share one view, so a shared feed mixed two hosts' links."""

        def view(request, *args, **kwargs):
            return cls()(request, *args, **kwargs)

        return view

    def items(self):
        return Article.objects.newest_first().with_country_tags()[:FEED_ITEMS]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        if article.is_link and article.original_url:  # a headline without text of ours: where to read it
            return format_html('<p>A link to an article: <a href="{}">read it at its publisher</a>.</p>', article.original_url)
        reading = access.public_reading(article)
        direction = ' dir="rtl"' if languages.is_right_to_left(article.language) else ""
        text = f'<div lang="{escape(article.language)}"{direction}>{reading.html}</div>'
        if not reading.withheld:
            return text
        return text + format_html(
            '<p><a href="{}">Continue reading</a> (the rest is for members)</p>', self._absolute(article)
        )

    def item_extra_kwargs(self, article):
        return {"language": article.language}

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        spoken = {item["language"] for item in feed.items}
        feed.feed["language"] = spoken.pop() if len(spoken) == 1 else settings.LANGUAGE_CODE
        return feed

    def item_link(self, article):
        return article.get_absolute_url()

    def item_pubdate(self, article):
        return article.published_at

    def item_updateddate(self, article):
        return article.updated_at

    def item_author_name(self, article):
        return article.author or None

    def item_categories(self, article):
        return [tag.country.name for tag in article.country_tags.all()]

    def get_object(self, request, *args, **kwargs):
        self._request = request
        return None

    def _absolute(self, article):
        return self._request.build_absolute_uri(article.get_absolute_url())


class LatestArticlesAtomFeed(LatestArticlesFeed):
    feed_type = AtomWithLanguages
    subtitle = LatestArticlesFeed.description


class CountryFeed(LatestArticlesFeed):
    def get_object(self, request, code):
        super().get_object(request)
        return get_object_or_404(Country, code=code)

    def title(self, country):
        return f"newsreader: {country.name}"

    def link(self, country):
        return country.get_absolute_url()

    def description(self, country):
        return f"The newest articles that mention {country.name}."

    def items(self, country):
        return Article.objects.mentioning(country.code).with_country_tags()[:FEED_ITEMS]
