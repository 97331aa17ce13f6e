"""Splitting a body into the HTML blocks an article is stored as (paragraphs, headings, lists),
noting where a `<!-- members-only -->` break stood. Shared by every format whose body is plain
text or HTML; the blocks are sanitised later, in one place (store.prepare)."""

import html
import re

import lxml.html
from lxml import etree

from .parsed import MEMBERS_BREAK
from .sanitize import paragraph

BLOCK_TAGS = {
    "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "pre", "table", "figure", "hr",
}
# Wrappers whose children are the blocks.
CONTAINER_TAGS = {"div", "section", "article", "main", "body", "header", "center"}
LOOKS_LIKE_HTML = re.compile(r"<(?:p|div|h[1-6]|ul|ol|blockquote|br|a|em|strong|b|i|img|table|pre|figure)\b", re.I)


def paragraphs_with_break(lines: list[str]) -> tuple[list[str], int | None]:
    """Paragraphs of plain text (lines joined, split at blank lines) and where a break stood."""
    paragraphs, current, free_blocks = [], [], None
    for line in lines:
        if MEMBERS_BREAK.fullmatch(line):
            if current:
                paragraphs.append(" ".join(current))
                current = []
            free_blocks = len(paragraphs)
        elif line.strip():
            current.append(line.strip())
        elif current:
            paragraphs.append(" ".join(current))
            current = []
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs, free_blocks


def text_blocks(text: str) -> tuple[list[str], int | None]:
    paragraphs, free_blocks = paragraphs_with_break(text.splitlines())
    return [paragraph(p) for p in paragraphs], free_blocks


def html_blocks(fragment: str, *, base_url: str = "") -> tuple[list[str], int | None]:
    """Top-level blocks of an HTML fragment or page body; loose text and inline tags become
    paragraphs, `<h1>` becomes `<h2>` (the page's own title is the article's); relative links and
    images are read against `base_url` when given (else the sanitiser drops them)."""
    try:
        root = lxml.html.document_fromstring(fragment)
    except (etree.ParserError, ValueError):
        return [], None
    if base_url:
        root.make_links_absolute(base_url, resolve_base_href=False, handle_failures="discard")
    body = root.find("body")
    if body is None:
        return [], None
    blocks: list[str] = []
    inline: list[str] = []
    free_blocks = None

    def end_paragraph():
        text = "".join(inline).strip()
        if text:
            blocks.append(f"<p>{text}</p>")
        inline.clear()

    def walk(element):
        nonlocal free_blocks
        if element.text:
            inline.append(html.escape(element.text, quote=False))
        for child in element:
            if isinstance(child, etree._Comment):
                if MEMBERS_BREAK.fullmatch(f"<!--{child.text}-->"):
                    end_paragraph()
                    free_blocks = len(blocks)
            elif not isinstance(child.tag, str):
                pass  # processing instructions and entities carry no text
            elif child.tag in CONTAINER_TAGS:
                end_paragraph()
                walk(child)
                end_paragraph()
            elif child.tag in BLOCK_TAGS or child.tag == "h1":
                end_paragraph()
                if child.tag == "h1":
                    child.tag = "h2"
                blocks.append(lxml.html.tostring(child, encoding="unicode", with_tail=False))
            else:
                inline.append(lxml.html.tostring(child, encoding="unicode", with_tail=False))
            if child.tail:
                inline.append(html.escape(child.tail, quote=False))

    walk(body)
    end_paragraph()
    return blocks, free_blocks


def body_blocks(body: str, *, base_url: str = "") -> tuple[list[str], int | None]:
    """Blocks of a body that may be HTML or plain text with blank lines between paragraphs."""
    return html_blocks(body, base_url=base_url) if LOOKS_LIKE_HTML.search(body) else text_blocks(body)
