"""Markdown with optional front matter (title, author, published, source, url, access, tags, dek,
language); without a `title`, the first `# ` heading is the title."""

import ctypes
import datetime as dt
import re

import yaml
from cmarkgfm import _cmark
from cmarkgfm.cmark import Options

from ..blocks import html_blocks
from ..parsed import MEMBERS_BREAK, ImportFailed, ParsedArticle, to_datetime

# libyaml's safe loader where PyYAML was built with it (its wheels are): ten times the pure one's speed.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<meta>.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)


def front_matter(content: str) -> tuple[dict, str]:
    match = FRONT_MATTER.match(content)
    if not match:
        return {}, content
    try:
        meta = yaml.load(match["meta"], Loader=SAFE_LOADER) or {}
    except yaml.YAMLError as error:
        if "nesting depth" in str(error):  # libyaml's own limit, where the pure loader recursed too deep
            raise RecursionError(str(error)) from None
        raise ImportFailed(f"its front matter is not valid YAML ({error.problem or error})") from None
    except ValueError as error:  # a date that is not one: `published: 2026-13-45`
        raise ImportFailed(f"its front matter is not valid YAML ({error})") from None
    if not isinstance(meta, dict):
        raise ImportFailed("its front matter is not a set of `key: value` lines")
    return meta, content[match.end():]


# What a front matter field may hold. YAML anchors let a few lines name a structure of millions
# of items (`&a [*b, *b, …]`), which costs nothing until it is turned into text, so a list or a
# mapping where text belongs is refused, never written out.
SCALARS = (str, int, float, dt.date)


def meta_value(meta: dict, *names: str):
    """The first of the fields `names` that is given, refused unless it is one value."""
    for name in names:
        value = meta.get(name)
        if value not in (None, ""):
            if not isinstance(value, SCALARS):
                raise ImportFailed(f"its front matter's {name!r} is not a single value")
            return value
    return None


def meta_text(meta: dict, *names: str) -> str:
    value = meta_value(meta, *names)
    return "" if value is None else str(value)


def meta_names(meta: dict, name: str) -> list[str]:
    value = meta.get(name) or []
    values = value if isinstance(value, list) else [value]
    if not all(isinstance(one, SCALARS) for one in values):
        raise ImportFailed(f"its front matter's {name!r} is not a list of names")
    return [str(one) for one in values]


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
    reference parser in C, which takes linear time on any input (markdown-it-py took quadratic time
    on runs of `![`, `[` or `*a`); raw HTML is kept for the sanitiser."""
    return html_blocks(markdown_html(markdown))[0]


# cmarkgfm's wrappers never free the HTML that cmark returns (theacodes/cmarkgfm#53): an import
# of 100,000 articles kept 300 MB of it. cmark allocates it with the C library's calloc, so the C
# library's free releases it.
_free = ctypes.CDLL(None).free
_free.argtypes = [ctypes.c_void_p]


def markdown_html(markdown: str) -> str:
    """CommonMark to HTML, raw HTML kept (cmarkgfm's `markdown_to_html`, with its buffer freed)."""
    encoded = markdown.encode()
    raw = _cmark.lib.cmark_markdown_to_html(encoded, len(encoded), Options.CMARK_OPT_UNSAFE)
    try:
        return _cmark.ffi.string(raw).decode()
    finally:
        _free(int(_cmark.ffi.cast("uintptr_t", raw)))


def parse(content: str) -> list[ParsedArticle]:
    meta, body = front_matter(content)
    lines = body.splitlines()
    title = meta_text(meta, "title").strip()
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

    return [
        ParsedArticle(
            title=title,
            blocks=blocks,
            free_blocks=free_blocks,
            author=meta_text(meta, "author"),
            dek=meta_text(meta, "dek", "summary"),
            published_at=to_datetime(meta_value(meta, "published", "date")),
            source_name=meta_text(meta, "source"),
            source_url=meta_text(meta, "url"),
            access=meta_text(meta, "access").strip().lower() or None,
            tags=meta_names(meta, "tags"),
            language=meta_text(meta, "language", "lang"),
        )
    ]
