"""No regular expression that reads imported text (or a reader's comment) backtracks
super-linearly: each is run the way its module runs it over adversarial 50 KB inputs (long runs
of spaces and separators after a near-miss) and must finish well under a second. A pattern that
backtracks quadratically takes minutes on these; the Markdown heading pattern took 30 s on 3 KB."""

import itertools

import pytest

from articles import comment_text
from articles.geo.tagging import tag
from articles.importing import blocks, chrome, decoding, formats, sanitize
from articles.importing.formats import feed, markdown, page_meta, text
from articles.importing.parsed import MEMBERS_BREAK, ImportFailed, to_datetime

from .bounded import within

SIZE = 50_000
# Starts that take a pattern some way in (the literal openings of the patterns) …
NEAR_MISSES = [
    "", "#", "# a", "---\n", "<!--", "<!-- members-only", "By ", "<img", "<p>", "<!DOCTYPE", "2026-01-01T00:00",
    "this content is available to ", "subscribe to ", "join ", "already a member", "view comments",
    "be the first to respond", "sign in to comment", "continue reading with a ", "Chad ",
    "<?xml", "<?xml encoding=", '<meta charset="', '<meta content="text/html; ', '{"version": "https:', "404 ",
    "page not found", "attention required",
]
# … then a long run of one of these …
RUNS = [" ", "\t", "\n", "\xa0", "#", "-", ".", "a", "<", "&", " a", ' a=""', "<!--", "\n---", "1"]
# … and an ending that makes the match fail at the very end.
ENDINGS = ["", "\x00", "x", "\n---x"]


def adversarial_inputs():
    for start, run, end in itertools.product(NEAR_MISSES, RUNS, ENDINGS):
        yield start + run * (SIZE // len(run)) + end


def quietly(parse):
    """A parser whose refusals are fine here: only time matters."""
    def run(content):
        try:
            parse(content)
        except ImportFailed:
            pass
    return run


# Every pattern, applied as its module applies it.
PATTERN_USES = {
    "markdown heading": markdown.heading_title,
    "markdown front matter": markdown.FRONT_MATTER.match,
    "format sniffing": formats.sniff,
    "members-only break": MEMBERS_BREAK.fullmatch,
    "byline": text.BYLINE.fullmatch,
    **{f"chrome pattern {n}": (lambda line, p=p: p.fullmatch(line.strip())) for n, (_, p) in enumerate(chrome.PATTERNS)},
    "image completion": lambda html: sanitize.IMAGE.sub(sanitize._complete_image, html),
    "link completion": lambda html: sanitize.LINK.sub(sanitize._complete_link, html),
    "plain paragraph": sanitize.PLAIN_PARAGRAPH.fullmatch,
    "looks like HTML": blocks.LOOKS_LIKE_HTML.search,
    "dates": quietly(to_datetime),
    "comment paragraphs": comment_text.PARAGRAPH_BREAK.split,
    "XML declaration": lambda content: decoding.XML_DECLARATION.match(content.encode()[:decoding.HEAD_BYTES]),
    "meta charset": lambda content: decoding.META_CHARSET.search(content.encode()[:decoding.HEAD_BYTES]),
    "space before the XML declaration": feed.BEFORE_DECLARATION.match,
    "JSON Feed version": formats.JSON_FEED_VERSION.search,
    "feed in XHTML": formats.FEED_ELEMENT.search,
    "error page titles": lambda content: page_meta.ERROR_TITLE.search(content[:300]),
}


@pytest.mark.parametrize("use", PATTERN_USES.values(), ids=PATTERN_USES.keys())
def test_each_pattern_is_linear_on_adversarial_input(use):
    for content in adversarial_inputs():
        with within(0.5, f"{content[:30]!r}…{content[-5:]!r}"):
            use(content)


def test_tagging_is_linear_on_adversarial_input():
    """The vocabulary's trie and the person-or-place reading around each match."""
    for run in ["Chad ", "Chad-", "Chad x.", " Jordan", "Niger ", "a", " ", "Georgia, Atlanta "]:
        content = run * (SIZE // len(run))
        with within(1.0, f"tagging {run!r}"):
            tag(title=content[:300], dek=content, text=content)


@pytest.mark.parametrize("run", [" ", "\t", "#", " #", "a "])
def test_a_long_markdown_heading_line_is_read_at_once(run):
    with within(0.5, "the heading"):
        [article] = markdown.parse("# Title" + run * SIZE + "end#\n\nText.\n")
    assert article.title.startswith("Title") and article.title.endswith("end#")


@pytest.mark.parametrize("run", ["![", "[", "[a](", "*a ", "<", "> "])
def test_markdown_with_runs_of_brackets_and_emphasis_is_read_in_linear_time(run):
    """markdown-it-py took quadratic time on these (20,000 `![`: 2.3 s; 100,000: minutes)."""
    with within(2.0, f"Markdown of {run!r}"):
        markdown.parse("# Title\n\n" + run * (200_000 // len(run)))
