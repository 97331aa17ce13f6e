"""Full text for feeds that carry only summaries (`FeedSource.fetch_full_text`): a worker fetches
an entry's original page through the address-guarded fetcher and reads it as a page is read
(formats/html_page.py: trafilatura); when it holds more text than the feed gave, it becomes the
article's text and the article records it (`text_from_page`).

The article keeps the content hash of its feed entry: the next poll finds the entry unchanged and
leaves the page's text alone; an entry the feed changes is stored from the feed again, and its
page fetched again. How often a host is asked is the queue's business (tasks.py).
"""

from dataclasses import replace
from typing import NamedTuple

from django.db import transaction

from ..geo.tag_rows import write_tags
from ..models import Article
from .decoding import decode
from .fetch import fetch
from .formats import html_page
from .parsed import ImportFailed, ParsedArticle
from .pipeline import failure_reason
from .prepare import prepare

# The fields a page's text replaces; the rest (title, author, date, link, guid, hash) are the feed's.
TEXT_FIELDS = ["free_html", "members_html", "free_text", "members_text", "excerpt", "access", "reading_minutes"]


def as_parsed(article: Article, access: str | None) -> ParsedArticle:
    """A stored article as the parser would give it, without its text."""
    return ParsedArticle(
        title=article.title, blocks=[], author=article.author, dek=article.dek,
        published_at=None if article.published_at_is_import_time else article.published_at,
        source_name=article.source.name if article.source else "", source_url=article.source_url,
        guid=article.guid, access=access,
    )


def page_text(url: str) -> ParsedArticle:
    """The article a page holds; ImportFailed when it cannot be fetched or holds none."""
    fetched = fetch(url)
    [found] = html_page.parse(decode(fetched.content, http_charset=fetched.charset).text)
    return found


class Filled(NamedTuple):
    fetched: bool  # whether its host was asked (the queue waits before asking it again)
    warning: str = ""  # why the page's text was not taken, for the report


def kept(article: Article, why: str) -> Filled:
    return Filled(True, f"“{article.title}”: its page {article.original_url} {why}; the feed's text is kept")


def fill_from_page(article_id: int, *, access: str | None = None) -> Filled:
    """Give an article its original page's text. `access` is its feed source's default (None: the
    site's), for a link article, which had no access of its own."""
    article = Article.objects.select_related("source").filter(pk=article_id, text_from_page=False).first()
    if article is None or not article.original_url:
        return Filled(False)  # deleted, already done, or nowhere to fetch from
    try:
        page = page_text(article.original_url)
    except Exception as error:  # whatever a page does to the reader is this page's failure, not the worker's
        return kept(article, f"gave no text ({failure_reason(error)})")
    have = len(article.free_text) + len(article.members_text)
    # A link article had no text to give members; its feed's access (else the site's) now applies.
    parsed = replace(as_parsed(article, access if article.is_link else article.access), blocks=page.blocks, text_from_page=True)
    try:
        prepared = prepare(parsed)
    except ImportFailed as error:
        return kept(article, f"could not be used ({error})")
    fields = prepared.fields
    if len(fields["free_text"]) + len(fields["members_text"]) <= have:
        return kept(article, "holds no more text than the feed gave")
    with transaction.atomic():
        # Only the version it was fetched for: a poll that stored a newer one meanwhile wins.
        updated = Article.objects.filter(pk=article.pk, content_hash=article.content_hash).update(
            **{name: fields[name] for name in TEXT_FIELDS}, is_link=False, text_from_page=True,
        )
        if updated:
            write_tags([(article, prepared.mentions)])
    return Filled(True)
