"""The daily backup on the task queue (newsreader/tasks.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsreader import dumps, embedded
from newsreader.tasks import backup_database

from .factories import make_article

ROOT = Path(__file__).resolve().parent.parent
SCHEDULE = (
    "import django; django.setup(); from procrastinate.contrib.django import app; "
    "print(sorted(task.cron for task in app.periodic_registry.periodic_tasks.values() if task.periodic_id == 'backup-database'))"
)


@pytest.mark.django_db(transaction=True)  # the backup reads through a connection of its own
def test_the_task_writes_a_verified_backup_of_what_is_committed(tmp_path, settings):
    settings.NEWSREADER_BACKUP_DIR = tmp_path
    make_article(title="Kept Overnight")
    path = Path(backup_database(timestamp=0))
    assert path.parent == tmp_path
    assert dumps.rows_in(path, embedded.programs())["public.articles_article"] == 1


@pytest.mark.parametrize(
    ("env", "schedule"),
    [
        ({}, "['30 3 * * *']"),  # the embedded server: daily
        ({"DATABASE_URL": "postgres://u@db.example.org/news"}, "[]"),  # a managed server backs itself up
        ({"DATABASE_URL": "postgres://u@db.example.org/news", "NEWSREADER_BACKUP_CRON": "15 2 * * *"}, "['15 2 * * *']"),
    ],
)
def test_the_schedule_is_daily_for_the_embedded_server_and_off_with_database_url(env, schedule):
    base = {name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "NEWSREADER_BACKUP_CRON")}
    result = subprocess.run(
        [sys.executable, "-c", SCHEDULE],
        cwd=ROOT,
        env=base | {"DJANGO_SETTINGS_MODULE": "newsreader.settings"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip() == schedule, result.stderr
