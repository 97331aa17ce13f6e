"""What a page says about itself, before any guess: its headline and authors as its own metadata
gives them (JSON-LD `NewsArticle` and kin, then OpenGraph and `<meta name="author">`); and
whether it is an error page ("404 Not Found", "Access denied") rather than an article.

Extraction (trafilatura) guesses from the page's layout, and a guess can take the site's name, a
comment form's heading or a neighbouring article's headline for the title, or "Posted" for the
author: the publisher's own metadata is right far more often, so it is read first.
"""

import html
import json
import re
from dataclasses import dataclass, field

import lxml.html
from lxml import etree

ARTICLE_TYPES = {
    "Article", "NewsArticle", "ReportageNewsArticle", "AnalysisNewsArticle", "OpinionNewsArticle",
    "BackgroundNewsArticle", "ReviewNewsArticle", "AskPublicNewsArticle", "LiveBlogPosting", "BlogPosting",
    "TechArticle", "ScholarlyArticle", "Report", "SatiricalArticle", "SocialMediaPosting",
}
AUTHOR_META = ["author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator", "dcterms.creator"]
# A byline that names no one: a label, a credit for a photo, a link.
NOT_AN_AUTHOR = re.compile(
    r"^(?:posted|by|admin|administrator|staff|editor|anonymous|unknown|null|none)$|^(?:photo|image|picture|video)s?\b"
    r"|https?://|www\.|@|^\W*$",
    re.IGNORECASE,
)
MAX_AUTHOR = 120
# Titles of error pages, in the words servers and sites use.
ERROR_TITLE = re.compile(
    r"\b(?:40[0-9]|41[0-9]|50[0-9])\b.{0,40}\b(?:not found|forbidden|error|unauthori[sz]ed|gone|unavailable|denied|bad gateway)\b"
    r"|\b(?:error|status)\s*:?\s*(?:40[0-9]|50[0-9])\b"
    r"|\bpage (?:not found|(?:does not|doesn['’]t|no longer) exists?|(?:cannot|can['’]t|could not|couldn['’]t) be found)\b"
    r"|^\s*(?:not found|forbidden|access denied|unauthori[sz]ed|service unavailable|internal server error|"
    r"bad gateway|gateway time-?out|bad request|too many requests|just a moment\.*|attention required!?.*|"
    r"are you a (?:robot|human)\??|request (?:blocked|rejected)|site (?:not found|unavailable))\s*$",
    re.IGNORECASE,
)
ERROR_PAGE_WORDS = 150  # an article is longer than an error page


@dataclass
class PageMeta:
    title: str = ""
    authors: list[str] = field(default_factory=list)
    heading: str = ""  # the page's first <h1>
    page_title: str = ""  # its <title>

    @property
    def author(self) -> str:
        return ", ".join(self.authors)


def parsed_page(content: str):
    try:
        return lxml.html.document_fromstring(content)
    except (etree.ParserError, ValueError):
        return None


def types_of(item: dict) -> set[str]:
    kinds = item.get("@type", [])
    return {kind.rsplit("/", 1)[-1] for kind in (kinds if isinstance(kinds, list) else [kinds]) if isinstance(kind, str)}


def linked_data(root) -> list[dict]:
    """Every JSON-LD object of the page, its `@graph`s and `mainEntity`s unfolded."""
    found = []
    for script in root.xpath('//script[contains(translate(@type, "LDJSON", "ldjson"), "ld+json")]'):
        try:
            data = json.loads(script.text_content() or "null", strict=False)
        except (json.JSONDecodeError, RecursionError):
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                found.append(item)
                stack.extend(one for key in ("@graph", "mainEntity") if isinstance(one := item.get(key), dict | list))
    return found


def names(value) -> list[str]:
    """The names in a JSON-LD author: text, a Person, or a list of either."""
    values = value if isinstance(value, list) else [value]
    found = []
    for one in values:
        name = one.get("name") if isinstance(one, dict) else one
        if isinstance(name, str):
            found.append(name)
    return found


def clean_authors(candidates: list[str]) -> list[str]:
    authors = []
    for candidate in candidates:
        name = re.sub(r"^\s*by\s+", "", " ".join(html.unescape(candidate).split()), flags=re.IGNORECASE).strip(" ,;|")
        if name and len(name) <= MAX_AUTHOR and not NOT_AN_AUTHOR.search(name) and name not in authors:
            authors.append(name)
    return authors


def meta_content(root, *names_: str) -> list[str]:
    wanted = {name.lower() for name in names_}
    return [
        meta.get("content", "")
        for meta in root.iter("meta")
        if (meta.get("property") or meta.get("name") or "").strip().lower() in wanted and meta.get("content", "").strip()
    ]


def without_site_name(title: str, site_names: list[str]) -> str:
    """An OpenGraph or <title> headline without the " | Site" its publisher adds."""
    for site in filter(None, site_names):
        for separator in (" | ", " - ", " – ", " — ", " :: ", " · "):
            for affix in (f"{separator}{site}",):
                if title.endswith(affix) and len(title) > len(affix):
                    return title[:-len(affix)]
            if title.startswith(f"{site}{separator}") and len(title) > len(site) + len(separator):
                return title[len(site) + len(separator):]
    return title


def page_meta(content: str) -> PageMeta:
    root = parsed_page(content)
    if root is None:
        return PageMeta()
    meta = PageMeta()
    title_element = root.find(".//title")
    meta.page_title = " ".join((title_element.text_content() if title_element is not None else "").split())
    heading = root.find(".//h1")
    meta.heading = " ".join((heading.text_content() if heading is not None else "").split())
    articles = [item for item in linked_data(root) if types_of(item) & ARTICLE_TYPES]
    site_names = [*meta_content(root, "og:site_name", "application-name")]
    for article in articles:
        headline = article.get("headline") or article.get("name")
        if isinstance(headline, str) and headline.strip() and not meta.title:
            meta.title = " ".join(html.unescape(headline).split())  # plugins write entities into JSON
        if not meta.authors:
            meta.authors = clean_authors(names(article.get("author")) + names(article.get("creator")))
    if not meta.title:
        for candidate in meta_content(root, "og:title", "twitter:title"):
            meta.title = without_site_name(" ".join(candidate.split()), site_names)
            break
    if not meta.authors:
        meta.authors = clean_authors(meta_content(root, *AUTHOR_META))
    return meta


def is_error_page(meta: PageMeta, text: str) -> str | None:
    """The error a page shows instead of an article ("404 Not Found"), or None."""
    if len(text.split()) > ERROR_PAGE_WORDS:
        return None
    for said in (meta.page_title, meta.heading, meta.title):
        if said and ERROR_TITLE.search(said[:300]):
            return said
    first_line = text.strip().split("\n", 1)[0][:200]
    if first_line and ERROR_TITLE.search(first_line):
        return first_line
    return None
