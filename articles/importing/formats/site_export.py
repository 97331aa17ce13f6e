"""A site's export (`manage.py export`, docs/export.md) read as articles: each `article` line of it
becomes an article as the other formats make them, its text split where it was (free above,
members' below), its publisher with its home, its editors' tags kept; the rest of the export
(members, comments, stories) is for `manage.py import_export`, which loads a whole site."""

import json

from ..blocks import body_blocks
from ..parsed import ImportFailed, ParsedArticle, to_datetime

FORMAT = "newsreader-export"
VERSION = 1
MEMBERS_BREAK = "\n<!-- members-only -->\n"


def header_of(line: str) -> dict:
    """The export's first line, checked: ImportFailed when it is no export this version reads."""
    try:
        header = json.loads(line)
    except json.JSONDecodeError as error:
        raise ImportFailed(f"its first line is not JSON ({error.msg})") from None
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ImportFailed(f"it is not a {FORMAT} file")
    if header.get("version") != VERSION:
        raise ImportFailed(f"it is an export of version {header.get('version')!r}; this site reads version {VERSION}")
    return header


def body_of(article: dict) -> str:
    """Its stored text, with the break where the free text ends (a members' article always has one,
    so that its split is not made again by NEWSREADER_FREE_PARAGRAPHS)."""
    if article["access"] == "members":
        return article["free_html"] + MEMBERS_BREAK + article["members_html"]
    return article["free_html"]


def article_of(article: dict, publishers: dict[int, dict]) -> ParsedArticle:
    publisher = publishers.get(article["publisher"]) or {"name": "", "country": None, "language": ""}
    blocks, free_blocks = body_blocks(body_of(article)) if not article["is_link"] else ([], None)
    return ParsedArticle(
        title=article["title"],
        blocks=blocks,
        free_blocks=free_blocks,
        author=article["author"],
        dek=article["dek"],
        published_at=to_datetime(article["published_at"]),
        source_name=publisher["name"],
        source_country=publisher["country"] or "",
        source_language=publisher["language"],
        source_url=article["url"],
        guid=article["guid"],
        access=article["access"],
        source_truncated=article["source_truncated"],
        stripped_chrome=article["stripped_chrome"],
        tags=[tag["code"] for tag in article["countries"] if tag["origin"] == "editor"]
        + [tag["slug"] for tag in article["actors"] if tag["origin"] == "editor"],
        is_link=article["is_link"],
        text_from_page=article["text_from_page"],
        language="" if article["language_detected"] else article["language"],
    )


def parse(content: str) -> list[ParsedArticle | ImportFailed]:
    lines = iter(content.splitlines())
    header_of(next(lines, ""))
    publishers, articles = {}, []
    for number, line in enumerate(lines, start=2):
        try:
            record = json.loads(line)
            if record["kind"] == "publisher":
                publishers[record["id"]] = record
            elif record["kind"] == "article":
                articles.append(article_of(record, publishers))
        except json.JSONDecodeError as error:
            articles.append(ImportFailed(f"line {number} is not JSON ({error.msg})"))
        except (KeyError, TypeError) as error:
            articles.append(ImportFailed(f"line {number} lacks what an export's {record.get('kind', 'line')} has ({error})"))
    if not articles:
        raise ImportFailed("the export holds no articles")
    return articles
