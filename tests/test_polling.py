"""Feed sources polled against a local test server: conditional GET (304), errors, defaults."""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from werkzeug import Response

from articles.importing.polling import FAILED, IMPORTED, NOT_MODIFIED, poll
from articles.models import Article, FeedSource, ImportRun, Source

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
FEED = (FIXTURES / "content-encoded.rss").read_text()
pytestmark = pytest.mark.django_db


@pytest.fixture
def server(httpserver, settings):
    settings.NEWSREADER_FETCH_ALLOWED_HOSTS = [f"{httpserver.host}:{httpserver.port}"]
    return httpserver


class ConditionalFeed:
    """Serves a feed with an ETag and Last-Modified, answering 304 when the client has this version."""

    def __init__(self, text, version="v1"):
        self.text, self.version, self.requests = text, version, []

    def __call__(self, request):
        self.requests.append(dict(request.headers))
        etag = f'"{self.version}"'
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(self.text, content_type="application/rss+xml",
                        headers={"ETag": etag, "Last-Modified": "Wed, 04 Mar 2026 10:00:00 GMT"})


def test_a_second_poll_of_an_unchanged_feed_is_a_conditional_get_answered_304(server):
    served = ConditionalFeed(FEED)
    server.expect_request("/feed").respond_with_handler(served)
    feed = FeedSource.objects.create(url=server.url_for("/feed"))

    first = poll(feed)
    assert first.outcome == IMPORTED and first.run.created_count == 2
    feed.refresh_from_db()
    assert (feed.etag, feed.last_modified, feed.last_error) == ('"v1"', "Wed, 04 Mar 2026 10:00:00 GMT", "")
    assert feed.last_run == first.run and feed.last_fetched_at is not None

    second = poll(feed)
    assert second.outcome == NOT_MODIFIED
    assert served.requests[1]["If-None-Match"] == '"v1"'
    assert served.requests[1]["If-Modified-Since"] == "Wed, 04 Mar 2026 10:00:00 GMT"
    assert ImportRun.objects.count() == 1 and Article.objects.count() == 2

    served.text, served.version = FEED.replace("the convoy moved by noon", "the convoy waited"), "v2"
    third = poll(feed)
    assert (third.run.updated_count, third.run.unchanged_count) == (1, 1)
    assert "the convoy waited" in Article.objects.get(guid="harbour-2026-0001").free_text
    assert ImportRun.objects.filter(channel="feed").count() == 2


def test_a_failing_feed_records_its_error_and_the_others_go_on(server, capsys):
    server.expect_request("/broken").respond_with_data("oops", status=500)
    server.expect_request("/truncated").respond_with_handler(ConditionalFeed(FEED[:700]))
    server.expect_request("/good").respond_with_data((FIXTURES / "html-content.atom").read_text())
    server.expect_request("/inactive").respond_with_data(FEED)
    broken = FeedSource.objects.create(url=server.url_for("/broken"))
    truncated = FeedSource.objects.create(url=server.url_for("/truncated"))
    good = FeedSource.objects.create(url=server.url_for("/good"))
    FeedSource.objects.create(url=server.url_for("/inactive"), active=False)

    with pytest.raises(SystemExit) as exit_info:
        call_command("poll_feeds")
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    assert f"{good.url}: 2 created, 0 updated, 0 unchanged, 0 failed" in out
    assert f"{broken.url}: failed: the server answered 500" in err
    for feed in (broken, truncated, good):
        feed.refresh_from_db()
    assert broken.last_error == "the server answered 500 INTERNAL SERVER ERROR"
    assert good.last_error == "" and good.last_run.created_count == 2
    assert [r.path for r, _ in server.log].count("/inactive") == 0
    # A feed cut off mid-entry gives the entry it could read (a headline and a link: a link article),
    # with a warning on its run; its validators are not kept, so the next poll fetches it whole.
    assert f"{truncated.url}: 1 created, 0 updated, 0 unchanged, 0 failed, 1 warnings" in out
    assert truncated.last_error == "" and truncated.etag == ""
    [warning] = truncated.last_run.report["warnings"]
    assert "the feed is not well-formed XML (line 15: it ends inside a tag, as if cut off); 1 of its entries could still be read" in warning["warning"]
    assert Article.objects.get(title="Pilots Return to the Strait").is_link
    assert Article.objects.count() == 3


def test_a_feed_sources_own_source_and_access_apply_to_its_articles(server):
    server.expect_request("/feed").respond_with_data(FEED, content_type="application/rss+xml")
    desk = Source.objects.create(name="Harbour Desk")
    feed = FeedSource.objects.create(url=server.url_for("/feed"), source=desk, default_access="free")
    assert poll(feed).outcome == IMPORTED
    tug = Article.objects.get(title="Tugboat Unions Strike a Deal")
    assert (tug.source, tug.access) == (desk, "free")
    # An entry that carries its own members-only break stays members-only.
    assert Article.objects.get(title="Pilots Return to the Strait").access == "members"


def test_a_feed_on_a_private_address_is_refused_and_recorded(settings):
    feed = FeedSource.objects.create(url="http://127.0.0.1:9/feed")
    assert poll(feed).outcome == FAILED
    feed.refresh_from_db()
    assert "127.0.0.1, a loopback address" in feed.last_error


def test_poll_feeds_with_queue_hands_each_active_feed_to_the_worker(capsys):
    for n in range(2):
        FeedSource.objects.create(url=f"https://feeds.example.org/{n}")
    FeedSource.objects.create(url="https://feeds.example.org/off", active=False)
    call_command("poll_feeds", "--queue")
    call_command("poll_feeds", "--queue")  # still waiting: not queued again
    assert capsys.readouterr().out.splitlines() == ["2 feeds queued for polling", "0 feeds queued for polling"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT args->>'feed_id' FROM procrastinate_jobs WHERE task_name = 'articles.poll_feed' ORDER BY id")
        assert [int(row[0]) for row in cursor.fetchall()] == list(
            FeedSource.objects.filter(active=True).order_by("id").values_list("id", flat=True)
        )


def test_validators_too_long_to_keep_are_dropped_and_the_poll_succeeds(server):
    server.expect_request("/feed").respond_with_data(
        FEED, content_type="application/rss+xml", headers={"ETag": '"' + "e" * 5000 + '"', "Last-Modified": "L" * 500}
    )
    feed = FeedSource.objects.create(url=server.url_for("/feed"))
    assert poll(feed).outcome == IMPORTED
    feed.refresh_from_db()
    assert (feed.etag, feed.last_modified, feed.last_run.created_count) == ("", "", 2)
