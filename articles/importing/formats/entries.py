"""What the entries of every kind of feed (RSS, Atom, JSON Feed) have in common, as publishers
really write them: the longest of the bodies an entry carries wins (an empty `content:encoded`
never hides a full `<description>`); an entry with a headline but no text is a link article (its
link, when it has one, leads to the text); an untitled one (microblog style) is titled by its
first words; a link that is not a web address is read against the feed's own address, else left
out with a warning (the entry's guid still identifies it)."""

import datetime as dt
import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from ...models.articles import is_web_url
from ..blocks import body_blocks, html_blocks, text_blocks
from ..parsed import ImportFailed, InputWarning, ParsedArticle
from ..sanitize import html_to_text

TITLE_WORDS = 12
TITLE_CHARACTERS = 90


@dataclass
class Body:
    """One body an entry carries: its content or its summary, as HTML, text or either."""

    value: str
    kind: str = "either"  # "html", "text" or "either" (HTML if it looks like it)
    base: str = ""  # the address its relative links and images are read against

    def blocks(self, base: str = "") -> tuple[list[str], int | None]:
        if self.kind == "html":
            return html_blocks(self.value, base_url=self.base or base)
        if self.kind == "text":
            return text_blocks(self.value)
        return body_blocks(self.value, base_url=self.base or base)


def fullest(bodies: list[Body], base: str = "") -> tuple[list[str], int | None, str]:
    """The blocks of the body with the most text (the first of equals: content before summary),
    where its members-only break stood, and its text; relative links read against `base` where
    the body gives no address of its own."""
    best = ([], None, "")
    for body in bodies:
        if not body.value or not body.value.strip():
            continue
        blocks, free_blocks = body.blocks(base)
        text = " ".join(filter(None, (html_to_text(block) for block in blocks)))
        shows = bool(text) or any("<img" in block or "<hr" in block for block in blocks)
        if shows and (not best[0] or len(text) > len(best[2])):
            best = (blocks, free_blocks, text)
    return best


def title_from_words(text: str) -> str:
    """The first words of a text, as a title: at most TITLE_WORDS words and TITLE_CHARACTERS
    characters, with an ellipsis where that cuts it short."""
    words = text.split()
    title = ""
    for word in words[:TITLE_WORDS]:
        if len(title) + len(word) + 1 > TITLE_CHARACTERS:
            break
        title = f"{title} {word}".strip()
    if not title:  # one very long word
        title = words[0][:TITLE_CHARACTERS]
    return title if title == " ".join(words) else title.rstrip(",;:–—-") + "…"


def link_words(link: str) -> str:
    """A link as words a title can be made of: its host and path ("wire.example.org/2026/convoy")."""
    parts = urlsplit(link)
    return f"{parts.hostname or ''}{parts.path}".rstrip("/")


def web_link(link: str, base: str) -> tuple[str, str | None]:
    """An entry's link as an absolute http(s) URL (read against the feed's address when relative),
    or "" and why it was left out."""
    link = link.strip()
    if not link or is_web_url(link):
        return link, None
    if base and is_web_url(resolved := urljoin(base, link)):
        return resolved, None
    shown = repr(link) if len(link) <= 60 else repr(link[:60]) + "…"
    return "", f"its link {shown} is not an http:// or https:// address; it is stored without a link to the original"


@dataclass
class Entry:
    """A feed entry as its format read it."""

    title: str
    bodies: list[Body]
    link: str = ""
    guid: str = ""
    author: str = ""
    published_at: dt.datetime | None = None
    source_name: str = ""
    tags: list[str] = field(default_factory=list)
    title_is_html: bool = False
    language: str = ""  # the language tag the entry or its feed gives


def entry_article(entry: Entry, *, base_url: str = "") -> ParsedArticle | ImportFailed:
    """The article an entry makes: its fullest body, or a link article; titled by its first words
    when it has no title."""
    warnings = []
    link, left_out = web_link(entry.link, base_url)
    if left_out:
        warnings.append(left_out)
    title = html_to_text(entry.title) if entry.title_is_html and ("<" in entry.title or "&" in entry.title) else entry.title
    title = " ".join(title.split())
    blocks, free_blocks, text = fullest(entry.bodies, link or base_url)
    if not title and not blocks and not link:
        return ImportFailed("it has neither a title nor any text")
    title_from_text = not title
    if title_from_text and (text or not blocks):
        title = title_from_words(text or link_words(link))
        warnings.append(f"it has no title; it is titled by its first words, “{title}”" if text
                        else f"it has neither a title nor any text; it is titled by its link, “{title}”")
    elif title_from_text:
        title = "Untitled"  # an image, and no words
        warnings.append("it has no title and its text no words; it is titled “Untitled”")
    return ParsedArticle(
        title=title,
        blocks=blocks,
        free_blocks=free_blocks,
        author=entry.author,
        published_at=entry.published_at,
        source_name=entry.source_name,
        source_url=link,
        guid=entry.guid,
        tags=entry.tags,
        is_link=not blocks,
        title_from_text=title_from_text,
        warnings=warnings,
        language=entry.language,
    )


def distinct_identities(articles: list[ParsedArticle | ImportFailed]) -> list[InputWarning]:
    """Keep a feed's different entries apart: a link several entries give (a podcast's every episode
    linking to the show's home page) is not theirs alone, so they are stored without it; a guid
    several entries share is made each one's own with a mark of its title. Entries alike in title
    as well are one entry given twice, and stay one article."""
    warnings = []
    for key, what in (("source_url", "link"), ("guid", "guid")):
        sharing = defaultdict(list)
        for article in articles:
            if isinstance(article, ParsedArticle) and getattr(article, key):
                sharing[getattr(article, key)].append(article)
        for value, group in sharing.items():
            if len({article.title for article in group}) < 2:
                continue
            for article in group:
                if key == "source_url":
                    article.source_url = ""
                else:
                    article.guid = f"{value}#{hashlib.sha256(article.title.encode()).hexdigest()[:12]}"
            shown = value if len(value) <= 80 else value[:80] + "…"
            then = "stored without it" if key == "source_url" else "told apart by their titles"
            warnings.append(InputWarning(f"{len(group)} of its entries share one {what} ({shown}), which is "
                                         f"therefore not theirs alone: they are {then}", partial=False))
    return warnings
