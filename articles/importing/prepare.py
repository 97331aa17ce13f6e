"""Turning a parsed article into the fields it is stored with: sanitised, split where the free
preview ends, hashed (so that re-importing it unchanged writes nothing), and tagged when asked."""

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cached_property

from django.conf import settings

from .. import languages
from ..geo.tagging import Tags, tag_article
from ..models import Article, Source
from ..models.articles import home_of, is_web_url
from ..readingtime import reading_minutes
from ..stories import grouping
from .parsed import ImportFailed, ParsedArticle
from .sanitize import clean_block, html_to_text

EXCERPT_WORDS = 40


@dataclass
class Prepared:
    """The article's stored fields, as they would be saved."""

    fields: dict
    source_name: str
    tags: list[str]  # the input's own categories or keywords, for the tagging step
    source_home: dict = field(default_factory=dict)  # the publisher's country and language, when given
    warnings: list[str] = field(default_factory=list)  # for the report: what was shortened or left out

    @cached_property
    def mentions(self) -> Tags:
        """The countries and actors it mentions, and those of `tags` the vocabulary knows.

        Worked out when first asked for, which is only when the article is written: an input found
        unchanged (every one of a re-import) is never tagged.
        """
        return tag_article(self.fields, given=self.tags, language=languages.primary(self.fields["language"]))

    @cached_property
    def story_features(self) -> list[str]:
        """What story grouping compares it by (worked out with `mentions`, in a worker when there are)."""
        return grouping.article_features(self.fields, self.mentions)

    def identity(self) -> list[tuple]:
        """The keys that make two inputs the same article."""
        if self.fields["guid"] or self.fields["source_url"]:
            return [("guid", self.fields["guid"]), ("url", self.fields["source_url"])]
        return [("title", self.source_name, self.fields["title"])]


def shows_something(block: str, text: str) -> bool:
    """A cleaned block with text, an image or a rule (not the `<p></p>` left where a script stood)."""
    return bool(text) or "<img" in block or "<hr" in block


EXCERPT_COLUMNS = 280  # and at most this wide: 40 words of English; ~140 letters of Chinese
SENTENCE_ENDS = (".", "!", "?", "…", ".”", "?”", "!”", "。", "！", "？", "؟", "۔")


def clipped_at(text: str, limit: int) -> int | None:
    """Where `text` gets wider than `limit` columns (an East Asian wide letter takes two), or None."""
    if len(text) <= limit // 2 or (len(text) <= limit and text.isascii()):
        return None
    width = 0
    for end, letter in enumerate(text):
        width += 2 if letter >= "\u1100" and unicodedata.east_asian_width(letter) in "WF" else 1
        if width > limit:
            return end
    return None


def excerpt(text: str) -> str:
    """The first EXCERPT_WORDS words, at most EXCERPT_COLUMNS wide (a language written without
    spaces has no words to count), with an ellipsis where that cuts a sentence short."""
    words = text.split()
    cut = " ".join(words[:EXCERPT_WORDS])
    shortened = len(words) > EXCERPT_WORDS
    if (end := clipped_at(cut, EXCERPT_COLUMNS)) is not None:
        space = cut.rfind(" ", 0, end + 1)
        stop = max(cut.rfind(mark, 0, end) for mark in "。！？")  # a sentence ends without a space
        cut = cut[:space] if space > end // 2 else cut[:stop + 1] if stop > end // 2 else cut[:end]
        shortened = True
    if not shortened or cut.endswith(SENTENCE_ENDS):
        return cut
    return cut.rstrip(",;:–—-、，") + "…"


# Halves of a UTF-16 surrogate pair, which a JSON or YAML escape (`"\ud800"`) can make and UTF-8
# cannot encode: each becomes U+FFFD (one broke the whole run, as an error of the database driver).
SURROGATES = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    return SURROGATES.sub("\ufffd", text)


def storable_copy(parsed: ParsedArticle) -> ParsedArticle:
    """The parsed article with every text in it storable."""
    return replace(
        parsed,
        **{name: storable(value) for name, value in vars(parsed).items() if isinstance(value, str)},
        blocks=[storable(block) for block in parsed.blocks],
        tags=[storable(str(tag)) for tag in parsed.tags],
        warnings=list(parsed.warnings),
    )


def shortened(value: str, limit: int, what: str, warnings: list[str]) -> str:
    """A field cut to its column's length, at a word where one is near, and a warning that says so
    (an author list, a headline written as a paragraph: the article is worth more than the field)."""
    if len(value) <= limit:
        return value
    cut = value[:limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[:cut.rindex(" ")]
    warnings.append(f"its {what} ({len(value):,} characters) was shortened to {limit}")
    return cut.rstrip(" ,;:–—-") + "…"


def short_guid(guid: str, limit: int) -> str:
    """A guid too long for its column, made short and still its own: its start and a hash of all of it."""
    if len(guid) <= limit:
        return guid
    digest = hashlib.sha256(guid.encode()).hexdigest()
    return f"{guid[:limit - len(digest) - 1]}#{digest}"


def max_length(name: str) -> int:
    return Article._meta.get_field(name).max_length


def source_link(url: str) -> str:
    """The link to the original, refused unless it is an http(s) URL (the one rule: is_web_url)."""
    url = url.strip()
    if url and not is_web_url(url):
        shown = repr(url) if len(url) <= 60 else repr(url[:60]) + "…"
        raise ImportFailed(f"its source URL {shown} is not an http:// or https:// address")
    return url


def prepare(parsed: ParsedArticle) -> Prepared:
    parsed = storable_copy(parsed)
    warnings = parsed.warnings
    title = shortened(" ".join(parsed.title.split()), max_length("title"), "title", warnings)
    if not title:
        raise ImportFailed("it has no title")
    blocks, texts, free_blocks = [], [], None
    for index, block in enumerate(parsed.blocks):
        if index == parsed.free_blocks:
            free_blocks = len(blocks)  # the break, counted in the blocks that are kept
        cleaned, text = clean_block(block)
        if shows_something(cleaned, text):
            blocks.append(cleaned)
            texts.append(text)
    if parsed.free_blocks is not None and free_blocks is None:
        free_blocks = len(blocks)
    if not blocks and not parsed.is_link:
        raise ImportFailed(f"“{title}” has no text")
    source_url = source_link(parsed.source_url)
    if len(source_url) > max_length("source_url"):
        warnings.append(f"its source URL is longer than {max_length('source_url')} characters; "
                        "it is stored without a link to the original")
        source_url = ""

    access = parsed.access or settings.NEWSREADER_DEFAULT_ACCESS
    if access not in Article.Access.values:
        raise ImportFailed(f"its access {access!r} is neither “free” nor “members”")
    if parsed.is_link:
        access, split_at = Article.Access.FREE, 0  # nothing of ours to keep for members: a headline (and a link)
    elif free_blocks is not None:
        # A members-only break is the author's word: what stands below it is for members, whatever
        # the input's access or the default says (`access: free` with a break published it all).
        access, split_at = Article.Access.MEMBERS, free_blocks
    else:
        split_at = len(blocks) if access == Article.Access.FREE else settings.NEWSREADER_FREE_PARAGRAPHS
    free, members = blocks[:split_at], blocks[split_at:]
    free_text = "\n\n".join(filter(None, texts[:split_at]))
    dek = html_to_text(parsed.dek)
    fields = {
        "title": title,
        "dek": dek,
        "excerpt": excerpt(dek or free_text),
        "author": shortened(" ".join(parsed.author.split()), max_length("author"), "author", warnings),
        "source_url": source_url,
        "guid": short_guid(parsed.guid.strip(), max_length("guid")),
        "access": access,
        "free_html": "\n".join(free),
        "members_html": "\n".join(members),
        "free_text": free_text,
        "members_text": "\n\n".join(filter(None, texts[split_at:])),
        "source_truncated": parsed.source_truncated,
        "stripped_chrome": parsed.stripped_chrome,
    }
    if parsed.published_at:
        fields["published_at"] = parsed.published_at.astimezone(dt.UTC)
    source_name = shortened(" ".join(parsed.source_name.split()), Source._meta.get_field("name").max_length,
                            "source name", warnings)
    tags = list(dict.fromkeys(tag for name in parsed.tags if (tag := " ".join(str(name).split()))))
    try:
        home = home_of(parsed.source_country, parsed.source_language)
    except ValueError as error:
        raise ImportFailed(f"its publisher's {error}") from None
    if home and not source_name:
        raise ImportFailed("it gives a source_country or source_language but no source")
    # The language the input gives is part of what it says, and so is its publisher's home: each
    # hashed only when given, so that an input that gives neither keeps the hash it had before.
    given_language = languages.normalize(parsed.language)
    hashed = [fields, source_name, tags] + ([home] if home else []) + ([given_language] if given_language else [])
    fields["content_hash"] = hashlib.sha256(json.dumps(hashed, sort_keys=True, default=str).encode()).hexdigest()
    # Derived from the texts the hash covers, so they stay out of the hash: a language the input
    # does not give (or that names none) is detected.
    fields["language"] = given_language or languages.detect(title, dek, free_text or fields["members_text"])
    fields["language_detected"] = not given_language
    fields["reading_minutes"] = reading_minutes(fields["free_text"], fields["members_text"])
    fields["is_link"] = parsed.is_link
    # Where the text came from, not what the input said: a page fetched later (full_text.py) keeps
    # the input's hash, so that the feed's unchanged entry does not take its text back.
    fields["text_from_page"] = parsed.text_from_page
    fields["input_hash"] = None  # the pipeline's, for an input of one article (known.py)
    return Prepared(fields=fields, source_name=source_name, tags=tags, source_home=home, warnings=warnings)
