"""The daily backup, on the task queue (procrastinate's periodic schedule; docs/operations.md).

NEWSREADER_BACKUP_CRON says when, or "off"; the worker that runs it writes to its own
NEWSREADER_BACKUP_DIR.
"""

from django.conf import settings
from procrastinate.contrib.django import app

from newsreader import backups


@app.task(name="newsreader.backup_database", queue="backups")
def backup_database(timestamp: int) -> str:
    return str(backups.backup())


if settings.NEWSREADER_BACKUP_CRON != "off":
    app.periodic(cron=settings.NEWSREADER_BACKUP_CRON, periodic_id="backup-database")(backup_database)
