"""Markdown with optional front matter (title, author, published, source, url, access, tags, dek);
without a `title`, the first `# ` heading is the title."""

import re

import cmarkgfm
import yaml
from cmarkgfm.cmark import Options

from ..blocks import html_blocks
from ..parsed import MEMBERS_BREAK, ImportFailed, ParsedArticle, to_datetime

FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<meta>.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)


def front_matter(content: str) -> tuple[dict, str]:
    match = FRONT_MATTER.match(content)
    if not match:
        return {}, content
    try:
        meta = yaml.safe_load(match["meta"]) or {}
    except yaml.YAMLError as error:
        raise ImportFailed(f"its front matter is not valid YAML ({error.problem or error})") from None
    if not isinstance(meta, dict):
        raise ImportFailed("its front matter is not a set of `key: value` lines")
    return meta, content[match.end():]


def heading_title(line: str) -> str | None:
    """The text of a level-one ATX heading (`# Title`, `# Title #`), or None. Plain string work:
    the regular expression it replaces backtracked cubically on a long run of spaces."""
    if not line.startswith("#") or not line[1:2].isspace():
        return None
    title = line[1:].strip()
    closed = title.rstrip("#")
    if closed != title and (not closed or closed[-1].isspace()):  # a closing sequence of #s
        title = closed.rstrip()
    return title or None


def blocks_of(markdown: str) -> list[str]:
    """Each top-level block (paragraph, heading, list, quote) as HTML. CommonMark by cmark, its
    reference parser in C, which takes linear time on any input (markdown-it-py took quadratic
    time on runs of `![`, `[` or `*a`: 20,000 of them, 1-2 s); raw HTML is kept for the sanitiser."""
    return html_blocks(cmarkgfm.markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE))[0]


def parse(content: str) -> list[ParsedArticle]:
    meta, body = front_matter(content)
    lines = body.splitlines()
    title = str(meta.get("title") or "").strip()
    if not title:
        first = next((i for i, line in enumerate(lines) if line.strip()), None)
        title = heading_title(lines[first]) if first is not None else None
        if not title:
            raise ImportFailed("it has no title: give `title:` in front matter or start with a `# ` heading")
        lines = lines[first + 1:]

    free_blocks, blocks = None, []
    part = []
    for line in lines + [None]:
        if line is None or MEMBERS_BREAK.fullmatch(line):
            blocks.extend(blocks_of("\n".join(part)))
            part = []
            if line is not None:
                free_blocks = len(blocks)
        else:
            part.append(line)

    tags = meta.get("tags") or []
    return [
        ParsedArticle(
            title=title,
            blocks=blocks,
            free_blocks=free_blocks,
            author=str(meta.get("author") or ""),
            dek=str(meta.get("dek") or meta.get("summary") or ""),
            published_at=to_datetime(meta.get("published") or meta.get("date")),
            source_name=str(meta.get("source") or ""),
            source_url=str(meta.get("url") or ""),
            access=str(meta["access"]).strip().lower() if meta.get("access") else None,
            tags=[str(tag) for tag in (tags if isinstance(tags, list) else [tags])],
        )
    ]
