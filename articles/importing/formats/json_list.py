"""JSON: one object, or a list of objects, with `title` and `body` (plain text with blank lines
between paragraphs, or HTML) and optional `author`, `published_at` (ISO 8601), `source`, `url`,
`guid`, `access` (`free` or `members`), `tags` and `dek`, and the publisher's home: `source_country`
(ISO 3166 alpha-2) and `source_language` (ISO 639-1)."""

import json

from ..blocks import body_blocks
from ..parsed import ImportFailed, ParsedArticle, to_datetime


def text_field(item: dict, name: str) -> str:
    value = item.get(name)
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise ImportFailed(f"its {name!r} is not text")
    return str(value)


def article_of(item) -> ParsedArticle:
    if not isinstance(item, dict):
        raise ImportFailed("it is not an object with a title and a body")
    title = text_field(item, "title")
    if not title.strip():
        raise ImportFailed("it has no title")
    body = text_field(item, "body")
    if not body.strip():
        raise ImportFailed(f"“{title}” has no body")
    tags = item.get("tags") or []
    blocks, free_blocks = body_blocks(body)
    return ParsedArticle(
        title=title,
        blocks=blocks,
        free_blocks=free_blocks,
        author=text_field(item, "author"),
        dek=text_field(item, "dek"),
        published_at=to_datetime(text_field(item, "published_at")),
        source_name=text_field(item, "source"),
        source_country=text_field(item, "source_country"),
        source_language=text_field(item, "source_language"),
        source_url=text_field(item, "url"),
        guid=text_field(item, "guid"),
        access=text_field(item, "access").strip().lower() or None,
        tags=[str(tag) for tag in (tags if isinstance(tags, list) else [tags])],
    )


def parse(content: str) -> list[ParsedArticle | ImportFailed]:
    try:
        data = json.loads(content)
    except json.JSONDecodeError as error:
        raise ImportFailed(f"it is not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})") from None
    items = data if isinstance(data, list) else [data]
    if not items:
        raise ImportFailed("the JSON list is empty")
    articles = []
    for item in items:
        try:
            articles.append(article_of(item))
        except ImportFailed as error:
            articles.append(error)
    return articles
