"""Every import format, from the fixtures in tests/fixtures/import/ (each carries XSS payloads)."""

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import lxml.html
import pytest

from articles.importing.pipeline import import_inputs
from articles.models import Article

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
pytestmark = pytest.mark.django_db

DANGEROUS_TAGS = {"script", "style", "iframe", "svg", "object", "embed"}


def stored_html(article):
    return article.free_html + article.members_html


def assert_safe(article):
    """No dangerous element, event handler or script URL survives; the payloads' text may."""
    root = lxml.html.fragment_fromstring(stored_html(article), create_parent="div")
    for element in root.iter():
        assert element.tag not in DANGEROUS_TAGS, f"<{element.tag}> survived in {article.title!r}"
        for name, value in element.attrib.items():
            assert not name.startswith("on"), f"{name} survived in {article.title!r}"
            if name in ("href", "src"):
                assert value.startswith(("https://", "http://", "mailto:")), f"{name}={value} in {article.title!r}"
    assert "alert('xss" not in article.free_text + article.members_text + article.dek


def import_fixture(name, **options):
    report = import_inputs([str(FIXTURES / name)], **options)
    assert report.ok, report.failed
    return report


def test_rss_with_content_encoded_takes_the_full_content_and_every_field():
    report = import_fixture("content-encoded.rss")
    assert [e["title"] for e in report.created] == ["Pilots Return to the Strait", "Tugboat Unions Strike a Deal"]
    pilots = Article.objects.get(guid="harbour-2026-0001")
    assert pilots.source.name == "Harbour Dispatches"
    assert pilots.author == "Ines Carvalho"
    assert pilots.source_url == "https://harbour.example.org/2026/03/pilots-return"
    assert pilots.published_at == dt.datetime(2026, 3, 4, 8, 30, tzinfo=dt.UTC)
    assert "convoy moved by noon" in pilots.free_text
    assert "Short summary" not in stored_html(pilots)
    # The members-only break inside the HTML content splits the article.
    assert pilots.access == "members"
    assert "private tally" in pilots.members_text and "private tally" not in pilots.free_text
    assert '<a href="https://lloyds.example.org/rates" rel="noopener">rates</a>' in pilots.free_html
    assert '<img src="https://img.example.org/ship.jpg" alt="A ship">' in pilots.free_html
    assert "<p></p>" not in stored_html(pilots)  # nothing left where the script stood
    for article in Article.objects.all():
        assert_safe(article)


def test_rss_without_content_takes_the_summary_and_flags_a_missing_date():
    report = import_fixture("summary-only.xml")
    assert len(report.created) == 2
    queues = Article.objects.get(title="Queues Shorten at the Northern Crossing")
    assert queues.guid == "https://border.example.org/notes/queues"
    assert "forty minutes" in queues.free_text and "cheered" in queues.free_text + queues.members_text
    assert not queues.published_at_is_import_time
    officers = Article.objects.get(title="Customs Hires Forty Officers")
    assert officers.published_at_is_import_time
    assert officers.free_text == "The new officers start in April."
    for article in Article.objects.all():
        assert_safe(article)


def test_atom_with_html_and_xhtml_content():
    report = import_fixture("html-content.atom")
    assert len(report.created) == 2
    grain = Article.objects.get(guid="tag:steppe.example.org,2026:grain-trains")
    assert grain.source.name == "Steppe Review"
    assert grain.author == "Aigerim Sadykova"
    assert grain.published_at == dt.datetime(2026, 3, 6, 3, 15, tzinfo=dt.UTC)
    text = grain.free_text + grain.members_text
    assert "crossed the pass" in text and "volumes to double" in text
    assert "display:none" not in stored_html(grain)
    herders = Article.objects.get(title="Herders Count the Winter's Losses")
    assert "dzud" in herders.free_text
    for article in Article.objects.all():
        assert_safe(article)


def test_html_page_keeps_the_article_and_drops_the_chrome():
    import_fixture("page-with-chrome.html")
    article = Article.objects.get()
    assert article.title == "Delta Water Talks Stall Again"
    assert article.author == "Layla Haddad"
    assert article.source_url == "https://riverine.example.org/2026/03/delta-water-talks"
    assert article.published_at == dt.datetime(2026, 3, 3, 14, 45, tzinfo=dt.UTC)
    text = article.free_text + "\n" + article.members_text
    assert "fourth time in a year" in text and "gaming the gauges" in text
    for chrome in ["Cheap flights", "Related stories", "salt wedge is coming", "newsletter", "All rights reserved",
                   "Privacy policy", "Opinion", "dataLayer"]:
        assert chrome not in text, chrome
    assert_safe(article)


def test_markdown_front_matter_with_raw_html():
    import_fixture("front-matter.md")
    article = Article.objects.get()
    assert (article.title, article.author, article.source.name) == (
        "Shuttle Diplomacy on the Plateau", "Noor Rahimi", "Plateau Monitor"
    )
    assert article.dek == "An envoy flies between two capitals that will not meet."
    assert "map neither side had seen" in article.members_text
    assert '<a href="https://plateau.example.org/timeline" rel="noopener">real one</a>' in article.free_html
    assert_safe(article)


def test_json_list_with_text_and_html_bodies():
    report = import_fixture("articles.json")
    assert len(report.created) == 2
    ferry = Article.objects.get(title="Ferry Link Reopens After Storm")
    assert ferry.free_text == "The ferry resumed service on Saturday.\n\nPassengers queued from early morning."
    assert ferry.members_text == "The operator lost a week of fares."
    assert ferry.published_at == dt.datetime(2026, 3, 8, 6, 30, tzinfo=dt.UTC)
    keepers = Article.objects.get(title="Lighthouse Keepers Vote to Stay")
    assert keepers.access == "free" and "called it historic" in keepers.free_text
    assert "<img" not in keepers.free_html  # a data: image is dropped
    for article in Article.objects.all():
        assert_safe(article)


def test_zip_of_every_format(tmp_path):
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for fixture in sorted(FIXTURES.iterdir()):
            zipped.write(fixture, f"inner/{fixture.name}")
        zipped.writestr("__MACOSX/._junk", b"\x00\x01")
        zipped.writestr("inner/.hidden.txt", "Hidden\n\nNot imported.\n")
    report = import_inputs([str(archive)])
    assert report.ok, report.failed
    assert len(report.created) == 10
    assert {e["input"] for e in report.created} >= {f"{archive}/inner/front-matter.md", f"{archive}/inner/articles.json"}
    assert not Article.objects.filter(title="Hidden").exists()
    again = import_inputs([str(archive)])
    assert len(again.unchanged) == 10 and not again.created and not again.updated


def test_auto_detection_sniffs_content_without_a_telling_extension(tmp_path):
    for fixture, name in [
        ("content-encoded.rss", "feed"), ("html-content.atom", "atomfeed"), ("page-with-chrome.html", "page"),
        ("articles.json", "list"), ("front-matter.md", "notes"),
    ]:
        shutil.copy(FIXTURES / fixture, tmp_path / name)
    report = import_inputs([str(tmp_path)])
    assert report.ok, report.failed
    assert len(report.created) == 8
    assert Article.objects.filter(title="Delta Water Talks Stall Again").exists()


def test_forced_format_reads_any_file_name(tmp_path):
    shutil.copy(FIXTURES / "articles.json", tmp_path / "export.dat")
    assert len(import_inputs([str(tmp_path / "export.dat")], fmt="json").created) == 2


def test_feed_reimport_is_unchanged_and_an_edited_entry_is_updated_in_place(tmp_path):
    feed = tmp_path / "feed.rss"
    feed.write_text((FIXTURES / "content-encoded.rss").read_text())
    import_inputs([str(feed)])
    pilots = Article.objects.get(guid="harbour-2026-0001")
    again = import_inputs([str(feed)])
    assert len(again.unchanged) == 2 and not again.created
    feed.write_text(feed.read_text().replace("the convoy moved by noon", "the convoy moved by one o'clock"))
    edited = import_inputs([str(feed)])
    assert [e["title"] for e in edited.updated] == ["Pilots Return to the Strait"]
    assert len(edited.unchanged) == 1
    updated = Article.objects.get(guid="harbour-2026-0001")
    assert (updated.pk, updated.slug) == (pilots.pk, pilots.slug)
    assert "one o'clock" in updated.free_text
