"""RSS and Atom feeds (feedparser): every entry is an article, with the full content where the
feed carries it (`content:encoded`, Atom `<content type="html">`), else its summary; author,
dates, categories, link and guid come along."""

import calendar
import datetime as dt
import xml.sax

from ..blocks import body_blocks, html_blocks, text_blocks
from ..parsed import ImportFailed, ParsedArticle

HTML_TYPES = {"text/html", "application/xhtml+xml"}


def entry_datetime(entry) -> dt.datetime | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC) if parsed else None
    except (OverflowError, ValueError, OSError):  # a year Python cannot hold: as if it gave none
        return None


def entry_blocks(entry) -> tuple[list[str], int | None]:
    """The fullest body the entry carries: its content, else its summary."""
    contents = sorted(entry.get("content") or [], key=lambda c: (c.get("type") in HTML_TYPES, len(c.get("value", ""))))
    if contents:
        best = contents[-1]
        value = best.get("value", "")
        return html_blocks(value) if best.get("type") in HTML_TYPES else text_blocks(value)
    return body_blocks(entry.get("summary", ""))


def entry_language(entry, feed) -> str:
    """The language the entry says it is in (its `dc:language`, its content's or its own
    `xml:lang`), else the feed's (`<language>`, the feed's `xml:lang`)."""
    said = [entry.get("language"), *(c.get("language") for c in entry.get("content") or [])]
    said += [entry.get("title_detail", {}).get("language"), feed.feed.get("language")]
    return next((language for language in said if language), "")


def parse(content: str) -> list[ParsedArticle | ImportFailed]:
    import feedparser  # here, not at the top: a web process that imports nothing starts faster

    feed = feedparser.parse(content, sanitize_html=False, resolve_relative_uris=False)
    if feed.bozo and isinstance(feed.bozo_exception, xml.sax.SAXException):
        problem = feed.bozo_exception
        where = f"line {problem.getLineNumber()}: " if isinstance(problem, xml.sax.SAXParseException) else ""
        raise ImportFailed(f"the feed is not well-formed XML ({where}{problem.getMessage()})")
    if not feed.version and not feed.entries:
        raise ImportFailed("it is not an RSS or Atom feed")
    if not feed.entries:
        raise ImportFailed("the feed has no entries")
    source_name = feed.feed.get("title", "")
    articles = []
    for number, entry in enumerate(feed.entries, start=1):
        if not entry.get("title", "").strip():
            articles.append(ImportFailed(f"entry {number} has no title"))
            continue
        blocks, free_blocks = entry_blocks(entry)
        articles.append(
            ParsedArticle(
                title=entry.title,
                blocks=blocks,
                free_blocks=free_blocks,
                author=entry.get("author", ""),
                published_at=entry_datetime(entry),
                source_name=source_name,
                source_url=entry.get("link", ""),
                guid=entry.get("id", ""),
                tags=[tag.term for tag in entry.get("tags", []) if tag.get("term")],
                language=entry_language(entry, feed),
            )
        )
    return articles
