"""A reader's plain-text comment as HTML, rendered once when it is saved.

Paragraphs at blank lines, line breaks kept, web addresses linked with
`rel="nofollow ugc noopener"`; everything else is escaped. The result then passes an nh3
allow-list of `p`, `br` and `a href` (http, https, mailto), so no markup a reader typed can reach
a page however the linking treats it.
"""

import re

import nh3
from django.utils.html import urlize

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n+")


def render(body: str) -> str:
    text = body.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [part.strip() for part in PARAGRAPH_BREAK.split(text) if part.strip()]
    html = "".join(f"<p>{urlize(part, autoescape=True).replace(chr(10), '<br>')}</p>" for part in paragraphs)
    return nh3.clean(
        html,
        tags={"p", "br", "a"},
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    )
