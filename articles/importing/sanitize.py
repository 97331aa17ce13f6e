"""The one HTML sanitiser every import format goes through (nh3, an allow-list)."""

import html
import re

import nh3

TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "em", "figcaption", "figure",
    "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "li", "ol", "p", "pre", "q", "s", "small",
    "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}


def _keep_attribute(tag, attribute, value):
    # Images load only over http(s): no data: or other schemes that links may use.
    if tag == "img" and attribute == "src" and not value.lower().startswith(("http://", "https://")):
        return None
    return value


# nh3 writes every attribute as name="value" (with `"` escaped inside), so its <img> tags can be
# matched whole by pattern.
IMAGE = re.compile(r'<img((?:\s[\w-]+="[^"]*")*)\s*/?>')


def _complete_image(match) -> str:
    """An image whose src was refused is dropped; one without alt text gets an empty one."""
    attributes = match.group(1)
    if ' src="' not in attributes:
        return ""
    if ' alt="' not in attributes:
        attributes += ' alt=""'
    return f"<img{attributes}>"


# Its links likewise: nh3 would give every <a> a rel, but one whose href it refused
# (`javascript:`) may not have one, so it is added here to those that kept their href.
LINK = re.compile(r'<a((?:\s[\w-]+="[^"]*")*)>')


def _complete_link(match) -> str:
    attributes = match.group(1)
    return f'<a{attributes} rel="noopener">' if ' href="' in attributes else f"<a{attributes}>"


def clean_html(fragment: str) -> str:
    return LINK.sub(_complete_link, IMAGE.sub(_complete_image, nh3.clean(
        fragment,
        tags=TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "noscript", "template"},
        attributes=ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes={"http", "https", "mailto"},
        link_rel=None,
    )))


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, for search and excerpts."""
    if not fragment:
        return ""
    return html.unescape(nh3.clean(fragment, tags=set(), clean_content_tags={"script", "style"})).strip()


def paragraph(text: str) -> str:
    """A plain-text paragraph as an HTML block; quotes and dashes stay as they are."""
    return f"<p>{html.escape(text, quote=False)}</p>"


# A paragraph of plain text, as `paragraph` makes it, holding nothing the sanitiser would change:
# no tag, no entity but the three `paragraph` writes, no control character, non-breaking space,
# surrogate or non-character. It is already clean, and its text is its content unescaped; the
# sanitiser costs more than the rest of preparing it (tests/test_sanitize.py checks the two agree).
_PLAIN = r"[^<>&\x00-\x08\x0b-\x1f\x7f-\xa0\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]*"
PLAIN_PARAGRAPH = re.compile(rf"<p>({_PLAIN}(?:&(?:amp|lt|gt);{_PLAIN})*)</p>")


def clean_block(block: str) -> tuple[str, str]:
    """A block sanitised (`clean_html`, stripped), and its plain text (`html_to_text`)."""
    if plain := PLAIN_PARAGRAPH.fullmatch(block):
        return block, html.unescape(plain[1]).strip()
    cleaned = clean_html(block).strip()
    return cleaned, html_to_text(cleaned) if cleaned else ""

