"""Full text for feeds that carry only summaries (importing/full_text.py, tasks.fetch_article_page):
a worker fetches each new entry's original page through the guarded fetcher, one page at a time
per site and a pause apart, and takes its text when it holds more than the feed gave."""

import signal
import threading
import time

import pytest
from django.db import connection
from werkzeug import Response

from articles.models import Article, FeedSource, ImportRun
from articles.tasks import poll_now

from .workers import NEVER_DUE, empty_queue, finish, worker  # noqa: F401  (empty_queue: an autouse fixture)

pytestmark = pytest.mark.django_db(transaction=True)
DELAY = 0.5

PAGE = """<!doctype html><html><head><title>{title}</title></head><body><nav>Home · World · Sport</nav>
<main><article><h1>{title}</h1>{text}</article></main><footer>© The Wire</footer></body></html>"""
FULL = "".join(f"<p>Paragraph {n} of the whole story: the delegations met for six hours and agreed on the "
               "exchange of prisoners, the opening of two corridors and a timetable for the next round.</p>" for n in range(6))


def feed(base: str) -> str:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><link>{base}/</link>'
            f"<item><title>Talks Agree a Timetable</title><link>{base}/a/1</link><guid>w-1</guid>"
            "<description>Delegations met for six hours.</description></item>"
            f"<item><title>Blocked Story</title><link>{base}/a/2</link><guid>w-2</guid>"
            "<description>A summary the page will not improve on.</description></item>"
            f"<item><title>Headline Only</title><link>{base}/a/3</link><guid>w-3</guid></item>"
            "</channel></rss>")


def work_the_queue(server, database_url, **env):
    """A worker until the queue is empty (a job waiting for its site's lock keeps it from being
    empty, where --one-shot would stop)."""
    process = worker("pages", database_url, server, "--concurrency", "3", NEWSREADER_POLL_CRON=NEVER_DUE, **env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')")
            if cursor.fetchone()[0] == 0:
                break
        time.sleep(0.2)
    process.send_signal(signal.SIGTERM)
    return finish(process)


@pytest.fixture
def site(httpserver, settings):
    settings.NEWSREADER_FETCH_ALLOWED_HOSTS = [f"{httpserver.host}:{httpserver.port}"]
    base = httpserver.url_for("").rstrip("/")
    visits, lock = [], threading.Lock()

    def page(request):
        start = time.monotonic()
        time.sleep(0.2)  # long enough that two fetches at once would overlap
        with lock:
            visits.append((request.path, start, time.monotonic()))
        if request.path == "/a/2":
            return Response("no", status=403)
        return Response(PAGE.format(title=request.path, text=FULL), content_type="text/html; charset=utf-8")

    httpserver.expect_request("/feed").respond_with_data(feed(base), content_type="application/rss+xml")
    for n in (1, 2, 3):
        httpserver.expect_request(f"/a/{n}").respond_with_handler(page)
    return httpserver, visits


def test_a_worker_gives_summary_only_entries_their_pages_text_one_fetch_per_site_at_a_time(site, test_database_url):
    server, visits = site
    source = FeedSource.objects.create(url=server.url_for("/feed"), fetch_full_text=True, default_access="free")
    polled = poll_now(source)
    assert polled.run.created_count == 3
    assert not visits  # the poll itself fetches no page: the worker does

    # Three jobs a worker could run at once, but one site: one at a time, DELAY apart.
    output = work_the_queue(server, test_database_url, NEWSREADER_PAGE_FETCH_DELAY=str(DELAY))
    assert sorted(path for path, _, _ in visits) == ["/a/1", "/a/2", "/a/3"], output
    ordered = sorted(visits, key=lambda visit: visit[1])
    for (_, _, ended), (_, started, _) in zip(ordered, ordered[1:], strict=False):
        assert started - ended >= DELAY * 0.9  # never at once, and a pause between

    talks = Article.objects.get(guid="w-1")
    assert talks.text_from_page and "Paragraph 5 of the whole story" in talks.free_text
    assert (talks.access, talks.title) == ("free", "Talks Agree a Timetable")  # the feed's, still
    headline = Article.objects.get(guid="w-3")
    assert (headline.is_link, headline.text_from_page, headline.access) == (False, True, "free")
    blocked = Article.objects.get(guid="w-2")
    assert not blocked.text_from_page and blocked.free_text == "A summary the page will not improve on."
    run = ImportRun.objects.get(pk=polled.run.pk)
    [warning] = run.report["warnings"]
    assert warning["warning"].startswith("“Blocked Story”: its page ") and "the server answered 403" in warning["warning"]
    assert run.warning_count == 1

    # The feed unchanged: its entries are unchanged, keep their pages' text, and no page is fetched again.
    again = poll_now(source)
    assert again.run.unchanged_count == 3
    assert Article.objects.get(guid="w-1").text_from_page
    work_the_queue(server, test_database_url)
    assert len(visits) == 3


def test_a_feed_that_does_not_ask_for_pages_fetches_none(site, test_database_url):
    server, visits = site
    poll_now(FeedSource.objects.create(url=server.url_for("/feed")))
    work_the_queue(server, test_database_url)
    assert not visits and not Article.objects.filter(text_from_page=True).exists()
