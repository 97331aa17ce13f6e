"""JSON Feed (jsonfeed.org, versions 1 and 1.1) is a format of its own: recognised in a .json file
or a URL, each item an article read as any feed entry is."""

import datetime as dt
import json
from pathlib import Path

import pytest

from articles.importing.pipeline import import_inputs
from articles.models import Article

FEEDS = Path(__file__).resolve().parent / "fixtures" / "realworld" / "feeds"
pytestmark = pytest.mark.django_db


def test_a_version_1_json_feed_is_imported_item_by_item():
    report = import_inputs([str(FEEDS / "netnewswire--DaringFireball.json")])
    assert report.ok and len(report.created) == 48
    talk = Article.objects.get(title="The Talk Show: ‘I Do Like Throwing a Baby’")
    assert (talk.source.name, talk.author) == ("Daring Fireball", "John Gruber")
    assert talk.source_url.startswith("https://daringfireball.net/") and talk.guid
    assert talk.published_at.year == 2017 and talk.free_text


def test_a_version_1_1_json_feed_names_its_authors():
    report = import_inputs([str(FEEDS / "feed-rs--jsonfeed_elastic_1.1.json")])
    assert report.ok and len(report.created) == 3
    assert all(article.author for article in Article.objects.all())


def test_json_feed_items_are_read_as_feed_entries(tmp_path):
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Wire", "home_page_url": "https://wire.example.org/",
        "authors": [{"name": "Desk"}],
        "items": [
            {"id": "1", "url": "/2026/convoy", "title": "Convoy", "content_text": "Short.",
             "content_html": "<p>The convoy reached the strait by noon.</p>", "date_published": "2026-03-04T09:30:00+01:00"},
            {"id": "2", "external_url": "https://elsewhere.example.org/story", "title": "Elsewhere",
             "date_published": "Wed, 04 Mar 2026 10:00:00 GMT"},
            {"id": "3", "url": "https://wire.example.org/note", "content_text": "A note without a title, as microblogs write."},
        ],
    }
    (tmp_path / "feed.json").write_text(json.dumps(feed).replace("/", "\\/"))  # as many publishers escape it
    report = import_inputs([str(tmp_path / "feed.json")])
    assert report.ok and len(report.created) == 3
    convoy = Article.objects.get(guid="1")
    assert (convoy.source_url, convoy.free_text, convoy.author) == (
        "https://wire.example.org/2026/convoy", "The convoy reached the strait by noon.", "Desk")
    assert convoy.published_at == dt.datetime(2026, 3, 4, 8, 30, tzinfo=dt.UTC)
    elsewhere = Article.objects.get(guid="2")
    assert elsewhere.is_link and elsewhere.source_url == "https://elsewhere.example.org/story"
    assert elsewhere.published_at == dt.datetime(2026, 3, 4, 10, 0, tzinfo=dt.UTC)
    assert Article.objects.get(guid="3").title == "A note without a title, as microblogs write."


def test_a_json_file_that_is_not_a_json_feed_is_still_read_as_our_json(tmp_path):
    (tmp_path / "list.json").write_text(json.dumps([{"title": "Ours", "body": "Text.", "version": "2"}]))
    assert import_inputs([str(tmp_path / "list.json")]).ok
    assert Article.objects.get().title == "Ours"
