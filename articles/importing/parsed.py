import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils.dateparse import parse_datetime

# A line holding only this splits an article: above it the free preview, below it members' text.
MEMBERS_BREAK = re.compile(r"\s*<!--\s*members-only\s*-->\s*")


class ImportFailed(Exception):
    """An input, or one entry of it, cannot be imported; the message is for a person to read."""


@dataclass
class InputWarning:
    """What a person should know about a whole input that was still read (a feed's recoverable XML
    error): a parser returns it among the articles it found."""

    message: str
    partial: bool = True  # some of the input may not have been read (a polled feed is fetched whole next time)


@dataclass
class ParsedArticle:
    """One article as a format parser found it, before it is sanitised and stored."""

    title: str
    blocks: list[str]  # HTML blocks: paragraphs, headings, lists; sanitised when stored
    free_blocks: int | None = None  # where an explicit <!-- members-only --> break stood
    author: str = ""
    dek: str = ""
    published_at: dt.datetime | None = None
    source_name: str = ""
    source_country: str = ""  # the publisher's home, when the input says (ISO 3166 alpha-2)
    source_language: str = ""  # and its language (ISO 639-1)
    source_url: str = ""
    guid: str = ""  # a feed entry's id: the article's identity when the feed gives one
    access: str | None = None  # "free" or "members" when the input says so
    source_truncated: bool = False
    stripped_chrome: str = ""
    tags: list[str] = field(default_factory=list)  # the input's own categories or keywords
    # A feed entry that gave a headline and a link but no text: stored as a link to the original.
    is_link: bool = False
    title_from_text: bool = False  # an untitled entry, titled by its first words
    text_from_page: bool = False  # its text was fetched from its original page (the feed gave a summary)
    warnings: list[str] = field(default_factory=list)  # what a person should know about how it was read
    language: str = ""  # the language tag the input gives (feed, <html lang>, front matter, JSON), if any


def to_datetime(value) -> dt.datetime | None:
    """A datetime in UTC from what an input gives (a datetime, a date, ISO 8601 text)."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    shown = repr(text) if len(text) <= 40 else repr(text[:40]) + "…"
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, dt.date):
        parsed = dt.datetime.combine(value, dt.time())
    else:
        try:
            parsed = parse_datetime(text) or (dt.datetime.combine(dt.date.fromisoformat(text), dt.time()))
        except ValueError:
            raise ImportFailed(f"its date {shown} is not an ISO 8601 date") from None
    try:
        return (parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    except OverflowError:  # 9999-12-31T23:00-05:00 is in the year 10000
        raise ImportFailed(f"its date {shown} is out of range") from None
