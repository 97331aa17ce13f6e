"""The embedded PostgreSQL server (newsreader/embedded.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
FIRST_CONNECTIONS = """
import threading

import django

django.setup()
from django.db import connection

barrier, failures = threading.Barrier(16), []


def connect():
    barrier.wait()
    try:
        connection.ensure_connection()
    except Exception as error:
        failures.append(repr(error))
    finally:
        connection.close()


threads = [threading.Thread(target=connect) for _ in range(16)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(len(failures), *failures[:1])
"""


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"] != "newsreader.embedded_postgres", reason="embedded server only")
def test_a_new_process_whose_threads_all_connect_at_once_connects_them_all():
    """A gunicorn worker's threads take its first requests together, and each finds the server's socket."""
    env = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    env["DJANGO_SETTINGS_MODULE"] = "newsreader.settings"
    result = subprocess.run([sys.executable, "-c", FIRST_CONNECTIONS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "0"
