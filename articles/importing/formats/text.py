"""Plain text, as scraped: a title line, an optional "By NAME" line, paragraphs split by blank
lines, and perhaps the publisher's paywall and comment chrome at the end."""

import re

from ..blocks import paragraphs_with_break
from ..chrome import split_chrome
from ..parsed import MEMBERS_BREAK, ImportFailed, ParsedArticle
from ..sanitize import paragraph

BYLINE = re.compile(r"By\s+(?P<name>\S.{0,98})")


def parse(content: str) -> list[ParsedArticle]:
    lines = content.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise ImportFailed("the file is empty")
    title = lines[first].strip()
    if MEMBERS_BREAK.fullmatch(title):
        raise ImportFailed("the file has no title line before the members-only break")

    split = split_chrome(lines[first + 1:])
    paragraphs, free_blocks = paragraphs_with_break(split.body)
    author = ""
    if paragraphs and (byline := BYLINE.fullmatch(paragraphs[0])):
        author = byline["name"].strip()
        paragraphs.pop(0)
        if free_blocks:
            free_blocks -= 1
    if not paragraphs:
        raise ImportFailed(f"“{title}” has a title but no text")
    return [
        ParsedArticle(
            title=title,
            blocks=[paragraph(p) for p in paragraphs],
            free_blocks=free_blocks,
            author=author,
            source_name=split.publisher,
            source_truncated=split.paywalled,
            stripped_chrome="\n".join(split.chrome),
        )
    ]
