"""The task queue for real: worker processes against the test database and a local feed server."""

import signal
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from procrastinate.contrib.django import app
from werkzeug import Response

from articles.models import Article, FeedSource, ImportRun, ImportUpload
from articles.tasks import defer_polls

from .factories import make_user
from .workers import NEVER_DUE, empty_queue, finish, worker  # noqa: F401  (empty_queue: an autouse fixture)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
pytestmark = pytest.mark.django_db(transaction=True)

FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {n}</title>
<item><title>Entry of feed {n}</title><guid>feed-{n}-entry</guid><description>Text of feed {n}.</description></item>
</channel></rss>"""


def job_statuses():
    with connection.cursor() as cursor:
        cursor.execute("SELECT task_name, status, count(*) FROM procrastinate_jobs GROUP BY 1, 2 ORDER BY 1, 2")
        return cursor.fetchall()


def test_two_workers_share_one_queue_and_no_job_is_done_twice(httpserver, test_database_url):
    feeds = 12

    def slow_feed(request):
        time.sleep(0.3)  # long enough that both workers are busy at once
        n = request.path.rsplit("/", 1)[1]
        return Response(FEED.format(n=n), content_type="application/rss+xml")

    for n in range(feeds):
        httpserver.expect_request(f"/feed/{n}").respond_with_handler(slow_feed)
        FeedSource.objects.create(url=httpserver.url_for(f"/feed/{n}"))
    assert defer_polls() == feeds
    assert defer_polls() == 0  # each feed's poll is still waiting: not queued twice

    # A schedule that is not due, so that only the jobs queued here run.
    first = worker("w1", test_database_url, httpserver, "--one-shot", NEWSREADER_POLL_CRON=NEVER_DUE)
    second = worker("w2", test_database_url, httpserver, "--one-shot", NEWSREADER_POLL_CRON=NEVER_DUE)
    outputs = [finish(first), finish(second)]
    assert first.returncode == 0 and second.returncode == 0, outputs

    requested = [request.path for request, _ in httpserver.log]
    assert sorted(requested) == sorted(f"/feed/{n}" for n in range(feeds))  # each fetched once
    assert Article.objects.count() == feeds
    runs = ImportRun.objects.filter(channel="feed")
    assert runs.count() == feeds
    assert {run.options["worker"] for run in runs} == {"w1", "w2"}  # both took a share
    assert job_statuses() == [("articles.poll_feed", "succeeded", feeds)]


def test_the_schedule_polls_feeds_from_a_running_worker(httpserver, test_database_url, settings):
    assert {(task.task.name, task.cron) for task in app.periodic_registry.periodic_tasks.values()} == {
        ("articles.poll_active_feeds", settings.NEWSREADER_POLL_CRON),
        ("articles.send_digests", settings.NEWSREADER_DIGEST_CRON),
        ("articles.send_alerts", settings.NEWSREADER_ALERT_CRON),
        ("articles.remind_trials", "0 9 * * *"),  # trial members offered the plans (docs/members.md)
    } | ({("newsreader.backup_database", settings.NEWSREADER_BACKUP_CRON)} if settings.NEWSREADER_BACKUP_CRON != "off" else set())
    assert settings.NEWSREADER_POLL_CRON == "*/15 * * * *"
    httpserver.expect_request("/feed").respond_with_handler(
        lambda request: Response(status=304) if request.headers.get("If-None-Match") == '"same"'
        else Response(FEED.format(n=1), content_type="application/rss+xml", headers={"ETag": '"same"'})
    )
    feed = FeedSource.objects.create(url=httpserver.url_for("/feed"))
    # Every second instead of every 15 minutes (cron with seconds), for two workers at once.
    running = [worker(name, test_database_url, httpserver, NEWSREADER_POLL_CRON="* * * * * *") for name in ("a", "b")]
    deadline = time.monotonic() + 40
    while time.monotonic() < deadline and len(httpserver.log) < 3:
        time.sleep(0.2)
    for process in running:
        process.send_signal(signal.SIGTERM)
    outputs = [finish(process) for process in running]
    assert len(httpserver.log) >= 3, outputs
    assert [response.status_code for _, response in httpserver.log][:3] == [200, 304, 304]
    feed.refresh_from_db()
    assert feed.last_run.created_count == 1 and Article.objects.count() == 1
    with connection.cursor() as cursor:  # each tick was deferred once, whichever worker saw it first
        cursor.execute("SELECT count(*) = count(DISTINCT defer_timestamp) FROM procrastinate_periodic_defers")
        assert cursor.fetchone()[0] is True


def test_a_large_admin_upload_is_queued_and_a_worker_imports_it(client, test_database_url, settings):
    settings.NEWSREADER_IMPORT_INLINE_BYTES = 100
    editor = make_user(username="editor", is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["add_article", "view_importrun"]))
    client.force_login(editor)
    files = [SimpleUploadedFile(name, (FIXTURES / name).read_bytes()) for name in ("articles.json", "front-matter.md")]
    page = client.post("/admin/articles/article/import/", {"files": files, "source": "Desk"}).content.decode()
    run = ImportRun.objects.get()
    assert run.status == "queued" and ImportUpload.objects.filter(run=run).count() == 2
    assert "a worker imports it" in page and f"/admin/articles/importrun/{run.pk}/change/" in page
    assert not Article.objects.exists()

    output = finish(worker("w1", test_database_url, None, "--one-shot", NEWSREADER_POLL_CRON=NEVER_DUE))
    run.refresh_from_db()
    assert run.status == "done", output
    assert (run.created_count, run.failed_count, run.options["worker"]) == (3, 0, "w1")
    assert not ImportUpload.objects.exists()
    assert Article.objects.count() == 3
    detail = client.get(f"/admin/articles/importrun/{run.pk}/change/").content.decode()
    assert "Ferry Link Reopens After Storm" in detail
