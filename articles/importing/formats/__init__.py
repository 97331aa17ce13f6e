"""The import formats. Each module has `parse(content: str)`, which returns the articles found
(a list of `ParsedArticle`, or `ImportFailed` for an entry that cannot be imported) or raises
`ImportFailed` when the whole input cannot be read.

Adding a format is one module here, one line in FORMATS, and its extensions in EXTENSIONS (and a
rule in `sniff` when its content can be recognised).
"""

import re
from pathlib import PurePath

from ..parsed import ImportFailed
from . import feed, html_page, json_list, markdown, text

FORMATS = {
    "text": text.parse,
    "markdown": markdown.parse,
    "html": html_page.parse,
    "rss": feed.parse,
    "atom": feed.parse,
    "json": json_list.parse,
}
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".rss": "rss",
    ".atom": "atom",
    ".json": "json",
}
# Extensions whose content decides between formats.
SNIFFED_EXTENSIONS = {".xml"}

_START = re.compile(r"\A(?:\s|<\?xml[^>]*>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL | re.IGNORECASE)


def sniff(content: str) -> str | None:
    """The format the content itself shows, or None when it shows none."""
    head = content[:4096]
    start = head[_START.match(head).end():].lstrip()
    lowered = start[:200].lower()
    if lowered.startswith(("<rss", "<rdf:rdf", "<channel")):
        return "rss"
    if lowered.startswith("<feed"):
        return "atom"
    if lowered.startswith(("<html", "<head", "<body", "<article")) or re.match(r"\s*<!doctype html", head, re.I):
        return "html"
    if start.startswith(("{", "[")):
        return "json"
    if re.match(r"---[ \t]*\n", head) or re.match(r"\s*#\s+\S", head):
        return "markdown"
    return None


def detect(name: str, content: str) -> str:
    """The format of an input, from its file name, else from its content."""
    suffix = PurePath(name).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    found = sniff(content)
    if found:
        return found
    if suffix in SNIFFED_EXTENSIONS:
        raise ImportFailed("it is XML, but neither an RSS nor an Atom feed")
    if suffix:
        known = ", ".join(sorted({*EXTENSIONS, *SNIFFED_EXTENSIONS, ".zip"}))
        raise ImportFailed(f"the file type {suffix!r} is not one we import (supported: {known})")
    return "text"
