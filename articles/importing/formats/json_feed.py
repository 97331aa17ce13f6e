"""JSON Feed (https://jsonfeed.org, versions 1 and 1.1): each item is an article, read as the
entries of any feed are (formats/entries.py): the fullest of `content_html`, `content_text` and
`summary`, its `url` (else `external_url`), `id` as its guid, `date_published` (else
`date_modified`), its authors (1.1 `authors`, 1.0 `author`, else the feed's) and `tags`."""

import datetime as dt
import email.utils
import json
import re

from ..parsed import ImportFailed, InputWarning, ParsedArticle, to_datetime
from .entries import Body, Entry, distinct_identities, entry_article

# Version 1's own examples say http://; feeds in the wild write either.
VERSION = re.compile(r"https?://jsonfeed\.org/version/")


def text_of(value) -> str:
    return str(value) if isinstance(value, str | int | float) else ""


def item_date(text: str) -> dt.datetime | None:
    """RFC 3339, as the format says; else RFC 822, as many feeds write it all the same."""
    try:
        return to_datetime(text)
    except ImportFailed:
        try:
            return to_datetime(email.utils.parsedate_to_datetime(text))
        except (TypeError, ValueError):
            raise ImportFailed(f"its date {text[:40]!r} is neither an RFC 3339 nor an RFC 822 date") from None


def author_names(item: dict) -> str:
    people = item.get("authors") if isinstance(item.get("authors"), list) else [item.get("author")]
    names = [text_of(person.get("name")).strip() for person in people if isinstance(person, dict)]
    return ", ".join(name for name in names if name)


def item_article(item, *, feed_authors: str, source_name: str, base_url: str) -> ParsedArticle | ImportFailed:
    if not isinstance(item, dict):
        return ImportFailed("it is not an object")
    warnings = []
    published = None
    for name in ("date_published", "date_modified"):
        try:
            published = item_date(text_of(item.get(name)))
        except ImportFailed as error:
            warnings.append(f"{error}; it is dated by the import instead")
        if published:
            break
    tags = item.get("tags") if isinstance(item.get("tags"), list) else []
    article = entry_article(Entry(
        title=text_of(item.get("title")),
        bodies=[Body(text_of(item.get("content_html")), "html"), Body(text_of(item.get("content_text")), "text"),
                Body(text_of(item.get("summary")), "either")],
        link=text_of(item.get("url")) or text_of(item.get("external_url")),
        guid=text_of(item.get("id")),
        author=author_names(item) or feed_authors,
        published_at=published,
        source_name=source_name,
        tags=[text_of(tag) for tag in tags if text_of(tag)],
    ), base_url=base_url)
    if isinstance(article, ParsedArticle):
        article.warnings[:0] = warnings
    return article


def parse(content: str, *, base_url: str = "") -> list[ParsedArticle | ImportFailed | InputWarning]:
    try:
        feed = json.loads(content)
    except json.JSONDecodeError as error:
        raise ImportFailed(f"it is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})") from None
    if not isinstance(feed, dict) or not VERSION.match(text_of(feed.get("version"))):
        raise ImportFailed("it is not a JSON Feed (its \"version\" is not https://jsonfeed.org/version/1 or 1.1)")
    items = feed.get("items")
    if not isinstance(items, list):
        raise ImportFailed("the JSON Feed has no \"items\" list")
    if not items:
        raise ImportFailed("the feed has no entries")
    base = base_url or text_of(feed.get("home_page_url")) or text_of(feed.get("feed_url"))
    articles = [
        item_article(item, feed_authors=author_names(feed), source_name=text_of(feed.get("title")), base_url=base)
        for item in items
    ]
    for article in articles:  # JSON Feed 1.1 gives the feed's language only
        if isinstance(article, ParsedArticle):
            article.language = text_of(feed.get("language"))
    return [*distinct_identities(articles), *articles]
