"""An article's link to its original is http(s) only: an input giving another (a `javascript:`
URL, rendered as the "original" link, ran script) is refused with a reason, and the database and
the model refuse one from anywhere else."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from articles.importing.pipeline import import_inputs
from articles.models import Article

from .factories import make_article

pytestmark = pytest.mark.django_db
SCRIPT = "javascript:alert(document.cookie)"


def test_an_input_whose_source_url_is_not_http_is_refused_with_a_reason(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps([
        {"title": "Script Link", "body": "Text.", "url": SCRIPT},
        {"title": "Data Link", "body": "Text.", "url": "data:text/html,<script>alert(1)</script>"},
        {"title": "Good Link", "body": "Text.", "url": "https://example.org/good"},
    ]))
    (tmp_path / "b.md").write_text("---\ntitle: Front Matter Link\nurl: ' JavaScript:alert(1)'\n---\nText.\n")
    report = import_inputs([str(tmp_path)])
    assert sorted(e["title"] for e in report.created) == ["Good Link"]
    errors = sorted(e["error"].removeprefix(f"{tmp_path}/") for e in report.failed)
    assert errors == [
        f"a.json (entry 1): its source URL {SCRIPT!r} is not an http:// or https:// address",
        "a.json (entry 2): its source URL 'data:text/html,<script>alert(1)</script>' is not an http:// or https:// address",
        "b.md: its source URL 'JavaScript:alert(1)' is not an http:// or https:// address",
    ]


def test_a_feed_entry_whose_link_is_not_http_is_stored_without_it_and_a_warning(tmp_path):
    """A publisher's feed cannot be fixed at its source by the person importing it: its entry is
    kept (its guid identifies it), its link left out, and the report says so."""
    (tmp_path / "c.rss").write_text(
        '<rss version="2.0"><channel><title>Feed</title>'
        f"<item><title>Feed Link</title><link>{SCRIPT}</link><guid>c-1</guid><description>Text.</description></item>"
        "<item><title>Relative Link</title><link>/2026/story</link><description>Text.</description></item>"
        "<item><title>Fine Entry</title><link>https://example.org/fine</link><description>Text.</description></item>"
        "</channel></rss>"
    )
    report = import_inputs([str(tmp_path)])
    assert report.ok and sorted(e["title"] for e in report.created) == ["Feed Link", "Fine Entry", "Relative Link"]
    assert [w["warning"].removeprefix(f"{tmp_path}/") for w in report.warnings] == [
        f"c.rss (entry 1): its link {SCRIPT!r} is not an http:// or https:// address; it is stored without a link to the original",
        "c.rss (entry 2): its link '/2026/story' is not an http:// or https:// address; it is stored without a link to the original",
    ]
    assert sorted(Article.objects.values_list("source_url", flat=True)) == ["", "", "https://example.org/fine"]


def test_a_relative_link_in_a_feed_is_read_against_the_feeds_own_address(tmp_path):
    (tmp_path / "d.rss").write_text(
        '<rss version="2.0"><channel><title>Feed</title><link>https://news.example.org/world/</link>'
        "<item><title>Relative Link</title><link>/2026/story</link><description>Text.</description></item>"
        "</channel></rss>"
    )
    assert import_inputs([str(tmp_path)]).ok
    assert Article.objects.get().source_url == "https://news.example.org/2026/story"


def test_a_relative_link_in_a_fetched_feed_is_read_against_the_feed_url(httpserver, settings):
    settings.NEWSREADER_FETCH_ALLOWED_HOSTS = [f"{httpserver.host}:{httpserver.port}"]
    httpserver.expect_request("/news/feed").respond_with_data(
        '<rss version="2.0"><channel><title>Feed</title>'
        "<item><title>Relative Link</title><link>/2026/story</link><description>Text.</description></item>"
        "<item><title>Script Link</title><link>javascript:alert(1)</link><description>Text.</description></item>"
        "</channel></rss>", content_type="application/rss+xml",
    )
    report = import_inputs([httpserver.url_for("/news/feed")])
    assert Article.objects.get(title="Relative Link").source_url == httpserver.url_for("/2026/story")
    assert Article.objects.get(title="Script Link").source_url == ""
    assert "its link 'javascript:alert(1)' is not an http:// or https:// address" in report.warnings[0]["warning"]


def test_the_database_and_the_model_refuse_a_link_that_is_not_http():
    article = make_article(source_url="https://example.org/a")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(source_url=SCRIPT)
    article.source_url = SCRIPT
    with pytest.raises(ValidationError) as refused:
        article.full_clean()
    assert "source_url" in refused.value.message_dict


def test_the_page_links_the_original_only_over_http(client):
    article = make_article(source_name="Wire", source_url="https://example.org/original", source_truncated=True)
    page = client.get(article.get_absolute_url()).content.decode()
    assert page.count('href="https://example.org/original"') == 2  # the source's name and "Read the original"
    assert Article(source_url=SCRIPT).original_url == ""
