"""One article page in HTML: trafilatura finds the article itself (body, date, canonical URL,
description, site name) and leaves out the page's navigation, advertising, related links, scripts
and footer; the title and author come from the page's own metadata first (formats/page_meta.py),
then from trafilatura. An error page ("404 Not Found") is refused, not stored as an article."""

from ..blocks import html_blocks
from ..parsed import ImportFailed, ParsedArticle, to_datetime
from ..sanitize import html_to_text
from .page_meta import clean_authors, is_error_page, page_meta

DATE_OPTIONS = {"original_date": True, "extensive_search": True, "outputformat": "%Y-%m-%dT%H:%M:%S%z"}
# Where a page says its language: <html lang>, else its Content-Language or og:locale meta tag.
LANGUAGE_XPATHS = [
    "/html/@lang", "/html/@xml:lang", "//meta[translate(@http-equiv, 'CONTENT-LANGUAGE', 'content-language')"
    "='content-language']/@content", "//meta[@property='og:locale']/@content",
]


def page_language(tree) -> str:
    for xpath in LANGUAGE_XPATHS:
        for value in tree.xpath(xpath):
            if value.strip():
                return value.split(",")[0].strip()
    return ""


def parse(content: str) -> list[ParsedArticle]:
    import trafilatura  # here, not at the top: a web process that imports nothing starts faster

    body = trafilatura.extract(
        content,
        output_format="html",
        include_formatting=True,
        include_links=True,
        include_images=True,
        include_comments=False,
        favor_precision=True,
        with_metadata=False,
    )
    own = page_meta(content)
    if error := is_error_page(own, html_to_text(body) if body else ""):
        raise ImportFailed(f"it is an error page (“{error[:100]}”), not an article")
    if not body:
        raise ImportFailed("no article text was found in the page")
    tree = trafilatura.load_html(content)
    meta = trafilatura.extract_metadata(tree, date_config=DATE_OPTIONS) if tree is not None else None
    blocks, free_blocks = html_blocks(body)
    guessed = (meta.title if meta else "") or ""
    title = own.title or guessed
    if blocks and html_to_text(blocks[0]) in {title.strip(), guessed.strip()}:
        blocks = blocks[1:]  # the page's own headline, repeated at the top of its text
    try:
        published_at = to_datetime(meta.date) if meta else None
    except ImportFailed:
        published_at = None  # a page date we cannot read is no reason to refuse the article
    return [
        ParsedArticle(
            title=title,
            blocks=blocks,
            free_blocks=free_blocks,
            author=own.author or ", ".join(clean_authors(((meta.author if meta else "") or "").split(";"))),
            dek=(meta.description if meta else "") or "",
            published_at=published_at,
            source_name=(meta.sitename if meta else "") or "",
            source_url=(meta.url if meta else "") or "",
            tags=list((meta.categories or []) + (meta.tags or [])) if meta else [],
            language=page_language(tree) if tree is not None else "",
        )
    ]
