"""Every importer under Hypothesis: any bytes, and near-valid inputs of each format (text,
Markdown, HTML, RSS, Atom, JSON), come out of a real import as articles or as that input's
failure with a reason, never as an exception out of the run, each example in bounded time.

`NEWSREADER_FUZZ=ci` (the default, part of the normal test run: 60 examples a format) or
`NEWSREADER_FUZZ=long` (2,000 a format, for a search of its own); see docs/testing.md.
"""

import json
import os

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.importing.chrome import _PATTERNS
from articles.importing.pipeline import Importer, Input

from .bounded import within

COMMON = {
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "database": None,  # nothing written to the checkout; a failure prints its example
    # No per-example deadline: on a loaded machine the first example (which loads the language
    # model and the vocabularies) took 6.7 s; a stall is caught by `within` below.
    "deadline": None,
}
settings.register_profile("ci", max_examples=60, **COMMON)
settings.register_profile("long", max_examples=2000, **COMMON)
settings.load_profile(os.environ.get("NEWSREADER_FUZZ", "ci"))
pytestmark = pytest.mark.django_db
STALL_SECONDS = 20

# Text that has broken parsers or the database before: NUL, surrogate halves, line separators,
# a byte-order mark, entities, CDATA ends, the break, runs of brackets and separators.
TRICKY = [
    "\x00", "\ud800", "\udfff", "\u2028", "\x85", "\ufeff", "&amp;", "&#0;", "&#xD800;", "&bogus;", "<", ">", "]]>",
    "<!-- members-only -->", "[" * 50, "![" * 20, "*a " * 20, " " * 200, "#" * 10, "---", "javascript:alert(1)",
    "9999-12-31T23:00:00-05:00", "2026-13-45", "1" * 5000,
]
words = st.one_of(st.text(max_size=40), st.sampled_from(TRICKY))
lines = st.lists(words, max_size=12).map(" ".join)
CHROME = [regex.replace("(?P<publisher>.+?)", "The Desk").replace("\\", "") for _, regex in _PATTERNS]


@pytest.fixture(autouse=True)
def loaded_once():
    """Each format read once before the clock runs: loading a parser's modules, the language
    model and the vocabularies the first time is not a stall (it took over 20 s on a loaded machine)."""
    if not LOADED:
        samples = {"in.txt": b"Title\n\nText.", "in.md": b"# Title\n\nText.", "in.json": b'{"title": "T", "body": "B"}',
                   "in.html": b"<html><body><article><h1>Title</h1><p>Text.</p></article></body></html>",
                   "in.rss": b"<rss><channel><item><title>T</title><description>D</description></item></channel></rss>"}
        Importer(fmt="auto", dry_run=True).run([Input(name=name, read=lambda data=data: data) for name, data in samples.items()])
        LOADED.append(True)


LOADED = []


def imports_or_fails(name: str, data: bytes, fmt: str = "auto") -> None:
    """The property: the run ends, in bounded time, with each outcome accounted for."""
    importer = Importer(fmt=fmt)
    with within(STALL_SECONDS, name):
        report = importer.run([Input(name=name, read=lambda: data)])
    for entry in report.failed:
        assert entry["input"] == name and entry["error"].startswith(name), entry
    for entry in report.created + report.updated + report.unchanged:
        assert entry["slug"] and entry["title"].strip()


@given(st.sampled_from(["in.txt", "in.md", "in.html", "in.rss", "in.atom", "in.json", "in.xml", "no-extension"]),
       st.binary(max_size=3000))
def test_any_bytes(name, data):
    imports_or_fails(name, data)


@given(lines, st.lists(st.one_of(lines, st.just(""), st.sampled_from(CHROME)), max_size=20))
def test_near_valid_text(title, body):
    imports_or_fails("in.txt", "\n".join([title, *body]).encode("utf-8", "surrogatepass"))


scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), words, st.dates(), st.datetimes())
yaml_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
                           max_leaves=12)
MARKDOWN_STARTS = ["", "# ", "## ", "- ", "1. ", "> ", "    ", "```", "***", "[a]: ", "<div>", "| a | b |"]


@given(st.one_of(st.none(), st.dictionaries(
           st.sampled_from(["title", "author", "published", "date", "source", "url", "access", "tags", "dek"]),
           yaml_values)),
       st.lists(st.tuples(st.sampled_from(MARKDOWN_STARTS), lines), max_size=15))
def test_near_valid_markdown(front_matter, body):
    text = "".join(f"{start}{line}\n" for start, line in body)
    if front_matter is not None:
        text = f"---\n{yaml.safe_dump(front_matter, allow_unicode=True)}---\n{text}"
    imports_or_fails("in.md", text.encode("utf-8", "surrogatepass"))


TAGS = ["p", "div", "article", "main", "section", "h1", "h2", "ul", "li", "a", "img", "script", "style", "table",
        "td", "pre", "blockquote", "nav", "footer", "span", "br", "meta", "title", "link"]
ATTRIBUTES = [' href="javascript:alert(1)"', ' src="data:x"', ' onerror="alert(1)"', ' rel="canonical"',
              ' property="og:url" content="javascript:alert(1)"', ' class="article"', ""]
html_nodes = st.recursive(
    words.map(lambda text: text.replace("<", "&lt;")),
    lambda inner: st.builds(lambda tag, attribute, children, closed: f"<{tag}{attribute}>{''.join(children)}"
                            + (f"</{tag}>" if closed else ""),
                            st.sampled_from(TAGS), st.sampled_from(ATTRIBUTES), st.lists(inner, max_size=5), st.booleans()),
    max_leaves=30,
)


@given(html_nodes, st.lists(html_nodes, max_size=8))
def test_near_valid_html(head, body):
    page = f"<!DOCTYPE html><html><head>{head}</head><body><article>{''.join(body)}</article></body></html>"
    imports_or_fails("in.html", page.encode("utf-8", "surrogatepass"))


def escaped(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


item_fields = st.dictionaries(
    st.sampled_from(["title", "link", "description", "pubDate", "guid", "category", "author", "content:encoded"]),
    st.one_of(words.map(escaped), words, html_nodes.map(lambda html: f"<![CDATA[{html}]]>")),
    max_size=8,
)


@given(st.sampled_from(["rss", "atom"]), words.map(escaped), st.lists(item_fields, max_size=6))
def test_near_valid_feeds(kind, feed_title, entries):
    if kind == "rss":
        items = "".join("<item>" + "".join(f"<{k}>{v}</{k}>" for k, v in entry.items()) + "</item>" for entry in entries)
        feed = ('<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
                f"<channel><title>{feed_title}</title>{items}</channel></rss>")
    else:
        atom_names = {"description": "summary", "pubDate": "published", "guid": "id", "content:encoded": "content"}
        items = "".join("<entry>" + "".join(f"<{atom_names.get(k, k)}>{v}</{atom_names.get(k, k)}>"
                                            for k, v in entry.items() if k != "content:encoded") + "</entry>"
                        for entry in entries)
        feed = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{feed_title}</title>{items}</feed>'
    imports_or_fails(f"in.{kind}", feed.encode("utf-8", "surrogatepass"))


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), words),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4), max_leaves=15,
)
json_articles = st.dictionaries(
    st.sampled_from(["title", "body", "author", "published_at", "source", "url", "guid", "access", "tags", "dek"]),
    st.one_of(words, json_values, html_nodes), max_size=10,
)


@given(st.one_of(json_articles, st.lists(json_articles, max_size=5), json_values))
def test_near_valid_json(document):
    imports_or_fails("in.json", json.dumps(document).encode())
