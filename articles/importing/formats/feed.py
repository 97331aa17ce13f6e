"""RSS and Atom feeds (feedparser), as publishers really serve them: feedparser reads the bytes
themselves, in the encoding the pipeline found (decoding.py); a feed with a recoverable XML error
(whitespace before `<?xml`, an undefined entity, an unbound prefix, a truncated file) gives every
entry that can be read, and the error is a warning, not a failure. Each entry is an article
(formats/entries.py: the fullest of its bodies, a link article, a title from its first words)."""

import calendar
import datetime as dt
import io
import re
import xml.sax
from urllib.parse import urljoin

from ...models.articles import is_web_url
from ..decoding import Decoded
from ..parsed import ImportFailed, InputWarning, ParsedArticle
from .entries import Body, Entry, distinct_identities, entry_article

HTML_TYPES = {"text/html", "application/xhtml+xml"}
BEFORE_DECLARATION = re.compile(r"\A[\ufeff\s]+(?=<\?xml)")
# What expat says, as a person can act on it.
XML_ERRORS = {
    "XML or text declaration not at start of entity": "something stands before its XML declaration",
    "undefined entity": "it uses an entity XML does not define (such as &nbsp;)",
    "unbound prefix": "it uses a namespace prefix it never declares",
    "no element found": "it ends early, as if cut off",
    "not well-formed (invalid token)": "it has a character or markup XML does not allow",
    "mismatched tag": "a tag is closed where another is open",
    "junk after document element": "something follows its last element",
    "unclosed token": "it ends inside a tag, as if cut off",
    "unclosed CDATA section": "it ends inside a CDATA section, as if cut off",
}


def entry_datetime(entry) -> dt.datetime | None:
    # `in` first: asked for an updated date it lacks, feedparser hands back the published one, warning.
    parsed = entry.get("published_parsed") or ("updated_parsed" in entry and entry["updated_parsed"])
    try:
        return dt.datetime.fromtimestamp(calendar.timegm(parsed), dt.UTC) if parsed else None
    except (OverflowError, ValueError, OSError):  # a year Python cannot hold: as if it gave none
        return None


def kind(detail) -> str:
    content_type = (detail or {}).get("type", "")
    return "html" if content_type in HTML_TYPES else "text" if content_type == "text/plain" else "either"


def entry_bodies(entry) -> list[Body]:
    """Every body the entry carries: its contents (`content:encoded`, Atom content), then its
    summary; each with the address its relative links are read against (`xml:base`, else the feed's)."""
    details = [*(entry.get("content") or []), entry.get("summary_detail") or {"value": entry.get("summary", "")}]
    return [Body(detail.get("value", ""), kind(detail), base=detail.get("base", "")) for detail in details]


def permalink(guid: str) -> str:
    """A guid that is a web address, as the link of an entry that gives no other (many feeds mark
    their permalinks `isPermaLink="false"`)."""
    return guid if is_web_url(guid) else ""


def feed_address(channel) -> str:
    """What an entry's relative link is read against when the feed came from no address (a file):
    its site's link, itself read against the feed's own `rel="self"` address."""
    own = next((link.get("href", "") for link in channel.get("links", []) if link.get("rel") == "self"), "")
    return urljoin(own, channel.get("link", "")) if own else channel.get("link", "")


def entry_language(entry, feed) -> str:
    """The language the entry says it is in (its `dc:language`, its content's or its own
    `xml:lang`), else the feed's (`<language>`, the feed's `xml:lang`)."""
    said = [entry.get("language"), *(c.get("language") for c in entry.get("content") or [])]
    said += [entry.get("title_detail", {}).get("language"), feed.feed.get("language")]
    return next((language for language in said if language), "")


def problem(error: xml.sax.SAXException, line_offset: int) -> str:
    message = error.getMessage()
    said = XML_ERRORS.get(message, message)
    if isinstance(error, xml.sax.SAXParseException):
        return f"line {max(1, error.getLineNumber() - line_offset)}: {said}"
    return said


def parse(source: Decoded, *, base_url: str = "") -> list[ParsedArticle | ImportFailed | InputWarning]:
    import feedparser  # here, not at the top: a web process that imports nothing starts faster

    if not source.text.lstrip("\ufeff \t\r\n").startswith("<"):
        raise ImportFailed("it is not an RSS or Atom feed")
    warnings = []
    payload, encoding = source.data, source.encoding
    if BEFORE_DECLARATION.match(source.text) or not source.exact:
        # Whitespace before `<?xml` stops an XML parser (feedparser would fall back to its loose
        # one); bytes no encoding could read, or NULs, are out of the text: feedparser reads the text.
        if BEFORE_DECLARATION.match(source.text):
            warnings.append(InputWarning("it has blank space before its XML declaration, which was ignored", partial=False))
        payload, encoding = BEFORE_DECLARATION.sub("", source.text).encode(), "utf-8"
    # A stream, never bytes or text: feedparser fetches a URL, and opens a path, given as either.
    # No address either: feedparser would read a relative guid against it, and the same entry
    # fetched and uploaded would be two articles. Relative links are read against it below.
    feed = feedparser.parse(io.BytesIO(payload), response_headers={"content-type": f"application/xml; charset={encoding}"},
                            sanitize_html=False, resolve_relative_uris=False)
    if not feed.version and not feed.entries:
        if feed.bozo and isinstance(feed.bozo_exception, xml.sax.SAXException):
            raise ImportFailed(f"the feed is not well-formed XML, and no entry could be read from it "
                               f"({problem(feed.bozo_exception, 0)})")
        raise ImportFailed("it is XML, but neither an RSS nor an Atom feed")
    if feed.bozo and isinstance(feed.bozo_exception, xml.sax.SAXException):
        # feedparser puts a declaration line before a feed that has none: its line numbers are one on.
        offset = 0 if BEFORE_DECLARATION.sub("", source.text).lstrip("\ufeff").startswith("<?xml") else 1
        warnings.append(InputWarning(
            f"the feed is not well-formed XML ({problem(feed.bozo_exception, offset)}); "
            f"{len(feed.entries)} of its entries could still be read"
        ))
    if not feed.entries:
        raise ImportFailed("the feed has no entries")
    source_name = feed.feed.get("title", "")
    base = base_url or feed_address(feed.feed)
    articles: list[ParsedArticle | ImportFailed] = []
    for entry in feed.entries:
        articles.append(entry_article(Entry(
            title=entry.get("title", ""),
            title_is_html=kind(entry.get("title_detail")) == "html",
            bodies=entry_bodies(entry),
            link=entry.get("link", "") or permalink(entry.get("id", "")),
            guid=entry.get("id", ""),
            author=entry.get("author", ""),
            published_at=entry_datetime(entry),
            source_name=source_name,
            tags=[tag.term for tag in entry.get("tags", []) if tag.get("term")],
            language=entry_language(entry, feed),
        ), base_url=base))
    return [*warnings, *distinct_identities(articles), *articles]
