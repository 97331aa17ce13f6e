"""Task-queue worker processes for tests, against the test database (tests/test_tasks.py and the
tests of what workers do)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
NEVER_DUE = "0 0 29 2 *"  # a worker defers a periodic task when its last tick is minutes old


@pytest.fixture(autouse=True)
def empty_queue():
    """The queue's tables are not Django's to flush between tests."""
    def empty():
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE procrastinate_jobs, procrastinate_periodic_defers RESTART IDENTITY CASCADE")
    empty()
    yield
    empty()


def worker(name, database_url, server, *extra, **env):
    environment = os.environ | {
        "DATABASE_URL": database_url,
        "NEWSREADER_FETCH_ALLOWED_HOSTS": f"{server.host}:{server.port}" if server else "",
        # Mail is scheduled where a test says so (tests/test_digests.py).
        "NEWSREADER_DIGEST_CRON": NEVER_DUE, "NEWSREADER_ALERT_CRON": NEVER_DUE,
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "procrastinate", "worker", "--name", name, "--concurrency", "1", *extra],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )


def finish(process, timeout=60):
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output
