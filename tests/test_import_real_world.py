"""The import measured on real feeds and pages (tests/fixtures/realworld/, where each came from is in
its README): feeds as publishers serve them lose no entry and no title, and pages keep the body
text they had before.

Entries are counted against a reference parser, feedparser itself on the raw bytes (a JSON Feed
against its own `items`); an entry counts as stored when the import stored it (created, or the
same as one stored before it). Titles are compared as a reader sees them: markup in an HTML title
is not shown as tags, and runs of spaces are one.
"""

import gzip
import json
import re
import statistics
from collections import Counter, defaultdict
from pathlib import Path

import feedparser
import pytest

from articles.importing.pipeline import import_inputs
from articles.importing.sanitize import html_to_text
from articles.models import Article

REAL = Path(__file__).resolve().parent / "fixtures" / "realworld"
pytestmark = pytest.mark.django_db

# Body token F1 of the import before this measure existed, on the same 31 pages (mean 0.94285).
PAGES_F1_BEFORE = 0.9428
ENTRY_NUMBER = re.compile(r" \(entry (\d+)\)$")


def reference_titles(path: Path) -> list[str]:
    """The title of each entry a reference parser reads, as a reader would see it."""
    raw = path.read_bytes()
    if path.suffix == ".json":
        return [item.get("title") or "" for item in json.loads(raw)["items"]]
    entries = feedparser.parse(raw).entries
    return [
        html_to_text(entry.title) if entry.get("title_detail", {}).get("type") == "text/html" else entry.get("title", "")
        for entry in entries
    ]


def shown(title: str) -> str:
    return " ".join(title.split())


def test_real_feeds_keep_their_entries_and_their_titles():
    feeds = sorted((REAL / "feeds").iterdir())
    report = import_inputs([str(path) for path in feeds])
    stored = defaultdict(dict)  # input → entry number → stored title
    articles = defaultdict(set)  # input → the articles its entries are
    for entry in report.created + report.updated + report.unchanged:
        number = ENTRY_NUMBER.search(entry["where"])
        stored[entry["input"]][int(number[1]) if number else 1] = entry["title"]
        articles[entry["input"]].add(entry["slug"])

    expected, kept, compared, agreeing, empty = 0, 0, 0, 0, []
    for path in feeds:
        titles = reference_titles(path)
        got = stored[str(path)]
        expected += len(titles)
        kept += min(len(got), len(titles))
        if titles and not got:
            empty.append(path.name)
        for number, title in enumerate(titles, start=1):
            if shown(title) and number in got:
                compared += 1
                agreeing += shown(got[number]) == shown(title)

    failures = Counter(entry["error"].split(": ", 1)[-1] for entry in report.failed)
    assert not empty, f"feeds that stored nothing: {empty}"
    assert kept / expected >= 0.97, (kept, expected, failures.most_common(10))
    assert agreeing / compared >= 0.98, (agreeing, compared)
    # Each entry is an article of its own, not a version of another entry of its feed (a podcast's
    # episodes all linking to the show's home page were once one article).
    assert sum(len(slugs) for slugs in articles.values()) / expected >= 0.97


def test_every_feed_of_the_corpus_with_a_recoverable_error_is_imported_with_a_warning():
    """Blank lines before `<?xml`, an undefined entity, an unbound prefix: warnings, not failures."""
    report = import_inputs([str(REAL / "feeds")])
    warned = {Path(entry["input"]).name: entry["warning"] for entry in report.warnings}
    assert "blank space before its XML declaration" in warned["feedjira--TechCrunch.xml"]
    assert "it uses an entity XML does not define" in warned["feed-rs--rss_2.0_dbengines.xml"]
    assert "it uses a namespace prefix it never declares" in warned["feedjira--PaulDixExplainsNothingWFW.xml"]
    failed = {Path(entry["input"]).name for entry in report.failed}
    assert not failed & set(warned)


def token_f1(reference: str, extracted: str) -> float:
    """The harmonic mean of the share of the extracted words that are in the reference, and of
    the reference words that were extracted (each word counted as often as it occurs)."""
    true, found = Counter(re.findall(r"\w+", reference.lower())), Counter(re.findall(r"\w+", extracted.lower()))
    common = sum((true & found).values())
    if not common:
        return 0.0
    precision, recall = common / sum(found.values()), common / sum(true.values())
    return 2 * precision * recall / (precision + recall)


def test_pages_keep_the_body_text_they_had(tmp_path):
    truth = json.loads((REAL / "pages" / "ground-truth.json").read_text())
    for name in truth:
        (tmp_path / f"{name}.html").write_bytes(gzip.decompress((REAL / "pages" / f"{name}.html.gz").read_bytes()))
    report = import_inputs([str(tmp_path)])
    assert report.ok, report.failed
    slugs = {Path(entry["input"]).stem: entry["slug"] for entry in report.created}
    scores = []
    for name, page in truth.items():
        article = Article.objects.get(slug=slugs[name])
        scores.append(token_f1(page["articleBody"], f"{article.free_text}\n{article.members_text}"))
    assert statistics.mean(scores) >= PAGES_F1_BEFORE, sorted(scores)[:5]
