"""/metrics: the Prometheus text format, this machine alone by default (a token or an allow-list
for others), and the counters an operator watches moving with what the site does."""

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from prometheus_client.parser import text_string_to_metric_families

from articles.models import FeedSource
from articles.tasks import defer_polls

from .factories import make_article
from .test_gunicorn_conf import free_port

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db


def scrape(client, **headers) -> dict:
    """Every sample of a scrape, by (name, sorted labels)."""
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.content.decode())
        for sample in family.samples
    }


def value(samples: dict, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0)


def test_requests_are_counted_by_view_and_status_with_their_latency(client):
    article = make_article()
    before = scrape(client)
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get(article.get_absolute_url()).status_code == 200
    assert client.get("/articles/no-such-article/").status_code == 404
    assert client.get("/no/such/page/").status_code == 404
    after = scrape(client)

    def moved(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("newsreader_http_requests_total", view="article_detail", status="200") == 2
    assert moved("newsreader_http_requests_total", view="article_detail", status="404") == 1
    # Not the raw path: a made-up URL adds no series of its own.
    assert moved("newsreader_http_requests_total", view="unresolved", status="404") == 1
    assert moved("newsreader_http_request_duration_seconds_count", view="article_detail") == 3
    assert moved("newsreader_http_request_duration_seconds_sum", view="article_detail") > 0
    assert moved("newsreader_http_request_duration_seconds_bucket", view="article_detail", le="+Inf") == 3
    assert not any("no-such" in str(labels) for _, labels in after)


def test_cached_pages_are_counted_as_hits_under_their_view(client, page_cache_on):
    make_article()
    before = scrape(client)
    for _ in range(3):
        assert client.get("/").status_code == 200
    after = scrape(client)
    assert value(after, "newsreader_page_cache_lookups_total", result="miss") - value(
        before, "newsreader_page_cache_lookups_total", result="miss") == 1
    assert value(after, "newsreader_page_cache_lookups_total", result="hit") - value(
        before, "newsreader_page_cache_lookups_total", result="hit") == 2
    # The replayed pages never reached the URL resolver, and are still counted as the list's.
    assert value(after, "newsreader_http_requests_total", view="article_list", status="200") - value(
        before, "newsreader_http_requests_total", view="article_list", status="200") == 3


def test_the_task_queue_and_the_database_are_read_at_each_scrape(client):
    before = scrape(client)
    FeedSource.objects.create(url="https://example.org/one.xml")
    FeedSource.objects.create(url="https://example.org/two.xml")
    assert defer_polls() == 2
    after = scrape(client)
    assert value(after, "newsreader_queue_jobs", queue="feeds", status="todo") == value(
        before, "newsreader_queue_jobs", queue="feeds", status="todo") + 2
    assert value(after, "newsreader_database_up") == 1
    assert value(after, "newsreader_database_connections", state="active") >= 1  # the scrape's own
    assert value(after, "newsreader_database_max_connections") > 0


def test_import_outcomes_are_counted(client, tmp_path):
    (tmp_path / "one.md").write_text("# One\n\nIts text.\n")
    (tmp_path / "two.md").write_text("# Two\n\nIts text.\n")
    (tmp_path / "bad.json").write_text("{not json")
    before = scrape(client)
    with pytest.raises(SystemExit):  # one input failed
        call_command("import_articles", str(tmp_path))
    call_command("import_articles", str(tmp_path / "one.md"))
    after = scrape(client)

    def moved(outcome):
        labels = {"channel": "command", "outcome": outcome}
        return value(after, "newsreader_imported_articles_total", **labels) - value(
            before, "newsreader_imported_articles_total", **labels)

    assert (moved("created"), moved("unchanged"), moved("failed"), moved("updated")) == (2, 1, 1, 0)


def test_another_address_is_refused(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 403
    assert b"newsreader_" not in response.content
    assert client.get("/metrics", REMOTE_ADDR="::1").status_code == 200


def test_a_request_through_the_proxy_is_judged_by_the_client_it_forwards(client):
    # haproxy on 127.0.0.1 appends the client's address: the world must not pass as the proxy.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 403
    # A client's own forged header comes first; the address the proxy appended is last.
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1, 203.0.113.9").status_code == 403
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 403
    assert client.get("/metrics", HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 200


def test_an_allow_list_admits_its_networks(client, settings):
    settings.NEWSREADER_METRICS_ALLOW = ["10.1.0.0/16"]
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="10.2.0.1").status_code == 403
    assert client.get("/metrics").status_code == 403  # 127.0.0.1 is no longer in it


def test_a_token_admits_any_address(client, settings):
    settings.NEWSREADER_METRICS_TOKEN = "s3cret-scraper-token"
    outside = {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer s3cret-scraper-token", **outside).status_code == 200
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong", **outside).status_code == 403
    assert client.get("/metrics", **outside).status_code == 403


def test_a_bad_allow_list_stops_the_start():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"], cwd=ROOT, capture_output=True, text=True,
        env=os.environ | {"DJANGO_SETTINGS_MODULE": "newsreader.settings", "NEWSREADER_METRICS_ALLOW": "10.0.0.0/33"},
    )
    assert result.returncode != 0
    assert "NEWSREADER_METRICS_ALLOW: '10.0.0.0/33'" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_gunicorn_workers_add_up_their_metrics_in_the_multiprocess_folder(tmp_path, test_database_url):
    """Under gunicorn with PROMETHEUS_MULTIPROC_DIR, a scrape counts every worker's requests, whichever
    worker answers it; the access log names each request by its id."""
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_999999.db").write_bytes(b"left by a server before")  # emptied at start
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": test_database_url, "DEBUG": "1", "NEWSREADER_HTTPS": "0", "WEB_CONCURRENCY": "2",
        "GUNICORN_THREADS": "1", "PROMETHEUS_MULTIPROC_DIR": str(folder),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "newsreader.wsgi", "--config", "newsreader/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--access-logfile", str(log)], cwd=ROOT, env=env, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                urllib.request.urlopen(f"{base}/robots.txt", timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        served = re.compile(r'^newsreader_http_requests_total\{status="200",view="robots_txt"\} (\d+)\.0$', re.M)
        before = int(served.search(urllib.request.urlopen(f"{base}/metrics", timeout=10).read().decode())[1])
        for number in range(20):
            request = urllib.request.Request(f"{base}/robots.txt", headers={"X-Request-ID": f"test-{number}", "Connection": "close"})
            assert urllib.request.urlopen(request, timeout=10).headers["X-Request-ID"] == f"test-{number}"
        pids = {path.name for path in folder.glob("counter_*.db")}
        assert len(pids) == 2 and "counter_999999.db" not in pids  # both workers answered, each in its file
        for _ in range(4):  # whichever worker answers the scrape
            text = urllib.request.urlopen(f"{base}/metrics", timeout=10).read().decode()
            assert int(served.search(text)[1]) == before + 20, text
            assert "newsreader_queue_jobs" in text or "newsreader_database_up 1.0" in text
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "test-7" in log.read_text()
