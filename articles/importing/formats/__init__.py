"""The import formats. Each module has `parse(content: str)`, which returns the articles found
(a list of `ParsedArticle`, or `ImportFailed` for an entry that cannot be imported, and
`InputWarning`s about the whole input) or raises `ImportFailed` when the whole input cannot be
read. Feeds take more (`parse` below): RSS and Atom the input's bytes and encoding (feedparser
reads them), and every feed the address it was fetched from (relative links).

Adding a format is one module here, one line in FORMATS, and its extensions in EXTENSIONS (and a
rule in `sniff` when its content can be recognised).
"""

import re
from pathlib import PurePath

from ..decoding import Decoded
from ..parsed import ImportFailed
from . import feed, html_page, json_feed, json_list, markdown, site_export, text

FORMATS = {
    "text": text.parse,
    "markdown": markdown.parse,
    "html": html_page.parse,
    "rss": feed.parse,
    "atom": feed.parse,
    "json": json_list.parse,
    "jsonfeed": json_feed.parse,
    "export": site_export.parse,
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
FEED_ELEMENT = re.compile(r"<(?:feed|rss|rdf:RDF)\b")

# A JSON Feed's "version", wherever it stands among the feed's keys (a slash may be escaped).
JSON_FEED_VERSION = re.compile(r'"version"\s*:\s*"https?:\\?/\\?/jsonfeed\.org\\?/version\\?/')
# The first line of a site's export (`manage.py export`), whatever its file is called.
SITE_EXPORT = re.compile(r'\A\ufeff?\s*\{\s*"format"\s*:\s*"' + site_export.FORMAT + '"')
_START = re.compile(r"\A(?:\s|<\?xml[^>]*>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL | re.IGNORECASE)


def sniff(content: str) -> str | None:
    """The format the content itself shows, or None when it shows none."""
    if SITE_EXPORT.match(content):
        return "export"
    head = content[:4096]
    start = head[_START.match(head).end():].lstrip()
    lowered = start[:200].lower()
    if lowered.startswith(("<rss", "<rdf:rdf", "<channel")):
        return "rss"
    if lowered.startswith(("<feed", "<entry")):
        return "atom"
    if lowered.startswith(("<html", "<head", "<body", "<article")) or re.match(r"\s*<!doctype html", head, re.I):
        return "html"
    if start.startswith("{") and JSON_FEED_VERSION.search(content):
        return "jsonfeed"
    if start.startswith(("{", "[")):
        return "json"
    if re.match(r"---[ \t]*\n", head) or re.match(r"\s*#\s+\S", head):
        return "markdown"
    return None


def detect(name: str, content: str) -> str:
    """The format of an input, from its file name, else from its content."""
    suffix = PurePath(name).suffix.lower()
    found = sniff(content)
    if found == "jsonfeed" and EXTENSIONS.get(suffix) == "json":
        return found  # a JSON Feed is a .json file too
    if found == "export":
        return found  # a site's export, named as its maker liked
    if suffix in SNIFFED_EXTENSIONS and found == "html" and FEED_ELEMENT.search(content[:65536]):
        return "atom"  # a feed wrapped in XHTML: feedparser finds it
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if found:
        return found
    if suffix in SNIFFED_EXTENSIONS or content.lstrip("\ufeff \t\r\n").startswith("<?xml"):
        return "rss"  # XML of another root: feedparser reads what entries it can, or says it is no feed
    if suffix:
        known = ", ".join(sorted({*EXTENSIONS, *SNIFFED_EXTENSIONS, ".zip"}))
        raise ImportFailed(f"the file type {suffix!r} is not one we import (supported: {known})")
    return "text"


def parse(fmt: str, source: Decoded, *, base_url: str = "") -> list:
    """The articles of an input read as `fmt`; `base_url` is where it was fetched from, if it was."""
    if fmt in ("rss", "atom"):
        return feed.parse(source, base_url=base_url)
    if fmt == "jsonfeed":
        return json_feed.parse(source.text, base_url=base_url)
    return FORMATS[fmt](source.text)
