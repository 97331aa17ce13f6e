import datetime as dt
from pathlib import Path

import pytest

from articles.importing.formats.markdown import markdown_html
from articles.importing.pipeline import import_inputs
from articles.models import Article

pytestmark = pytest.mark.django_db


def test_front_matter_sets_fields_and_break(tmp_path):
    (tmp_path / "a.md").write_text(
        "---\ntitle: Grain and the Bosporus\nauthor: Ana Ruiz\npublished: 2026-10-03T08:30:00Z\n"
        "source: Sample Wire\nurl: https://example.org/grain\naccess: members\ndek: A standfirst.\n---\n"
        "First *free* paragraph.\n\nSecond free.\n\n<!-- members-only -->\n\n## A heading\n\nMembers text.\n"
    )
    assert import_inputs([str(tmp_path)]).ok
    article = Article.objects.get()
    assert (article.title, article.author, article.dek) == ("Grain and the Bosporus", "Ana Ruiz", "A standfirst.")
    assert article.published_at == dt.datetime(2026, 10, 3, 8, 30, tzinfo=dt.UTC)
    assert not article.published_at_is_import_time
    assert article.source.name == "Sample Wire" and article.source_url == "https://example.org/grain"
    assert article.free_html == "<p>First <em>free</em> paragraph.</p>\n<p>Second free.</p>"
    assert article.members_html == "<h2>A heading</h2>\n<p>Members text.</p>"


def test_heading_title_and_free_access(tmp_path):
    (tmp_path / "b.md").write_text("---\naccess: free\n---\n# Open Letter\n\nOne.\n\nTwo.\n\nThree.\n")
    assert import_inputs([str(tmp_path)]).ok
    article = Article.objects.get()
    assert article.title == "Open Letter"
    assert article.access == "free" and article.members_html == ""
    assert article.free_html.count("<p>") == 3


def test_markdown_html_is_sanitised(tmp_path):
    (tmp_path / "x.md").write_text(
        "# XSS\n\n<script>alert(1)</script>\n\n[click](javascript:alert(1)) <img src=x onerror=alert(1)>\n"
    )
    assert import_inputs([str(tmp_path)]).ok
    article = Article.objects.get()
    html = article.free_html + article.members_html
    for bad in ["<script", 'href="javascript', "onerror"]:
        assert bad not in html


def test_bad_front_matter_is_reported(tmp_path):
    (tmp_path / "bad.md").write_text("---\ntitle: [unclosed\n---\nText\n")
    report = import_inputs([str(tmp_path)])
    assert "front matter" in report.failed[0]["error"]


def test_rendering_markdown_keeps_no_memory_of_what_it_rendered():
    """cmark's HTML buffers are freed: 1,000 documents of 185 KB would otherwise keep ~190 MB."""
    document = "\n\n".join(f"Paragraph {n} of a long *Markdown* article about the talks." * 40 for n in range(80))
    assert len(document) > 180_000

    def resident_mib() -> int:
        return int(Path("/proc/self/status").read_text().split("VmRSS:")[1].split()[0]) // 1024

    markdown_html(document)
    before = resident_mib()
    for _ in range(1000):
        markdown_html(document)
    assert resident_mib() - before < 50
