"""The content version kept up to date off the request path (articles/contentversion.py): each
process's refresher hears of a change made by any other process and rereads it in the background."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles import contentversion

from .factories import make_article

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.django_db(transaction=True)  # another process's commit, seen by ours


@pytest.fixture
def refresher(settings):
    settings.NEWSREADER_CONTENT_VERSION_REFRESHER = True
    settings.NEWSREADER_PAGE_CACHE_RECHECK = 600  # only a notification can tell it in time
    yield
    contentversion.stop_refresher()  # before the test database is emptied


def change_in_another_process(database_url: str) -> None:
    """What an import command's commit does in its own process: write an article, bump the version."""
    script = "from tests.factories import make_article; make_article(title='Imported By Another Process')"
    env = {"DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "newsreader.settings"}
    subprocess.run([sys.executable, "manage.py", "shell", "--no-imports", "-c", script], cwd=ROOT, check=True,
                   env=os.environ | env)


def wait_for(condition, seconds=5.0) -> float:
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < seconds, "not seen in time"
        time.sleep(0.005)
    return time.monotonic() - started


def test_a_change_in_another_process_is_heard_without_a_query_on_the_request_path(refresher, test_database_url):
    before = contentversion.current()  # the process's first use reads it, and starts the refresher
    change_in_another_process(test_database_url)
    with CaptureQueriesContext(connection) as queries:
        wait_for(lambda: contentversion.current().number > before.number)
    assert len(queries) == 0


def test_the_page_cache_shows_another_process_import_on_the_list(refresher, settings, client, test_database_url):
    settings.NEWSREADER_PAGE_CACHE_SECONDS = 600
    make_article(title="Already Here")
    assert "Already Here" in client.get("/").content.decode()  # kept under the current version
    change_in_another_process(test_database_url)
    wait_for(lambda: "Imported By Another Process" in client.get("/").content.decode())


def test_the_refresher_reconnects_when_its_connection_is_cut_and_readers_keep_the_version(refresher, settings,
                                                                                          test_database_url):
    settings.NEWSREADER_PAGE_CACHE_RECHECK = 0.2  # how soon it tries again
    known = contentversion.current()
    wait_for(lambda: listeners() == 1)
    with connection.cursor() as cursor:  # as a restarting server or a failover would
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
                       [contentversion.APPLICATION_NAME])
    # Readers go on with it meanwhile (the refresher may have reread it since: the same number, a later read_at).
    assert contentversion.current()[:1] + contentversion.current()[2:] == known[:1] + known[2:]
    wait_for(lambda: listeners() == 1)
    change_in_another_process(test_database_url)
    wait_for(lambda: contentversion.current().number > known.number)


def listeners() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE application_name = %s",
                       [contentversion.APPLICATION_NAME])
        return cursor.fetchone()[0]


def test_a_read_begun_before_a_newer_one_never_replaces_it(refresher):
    newer = contentversion.current()
    older = newer._replace(number=newer.number - 1, read_at=newer.read_at - 1)
    assert contentversion._keep(older) == newer
    assert contentversion.current() == newer
