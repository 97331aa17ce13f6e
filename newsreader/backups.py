"""Backups of the site's database (`manage.py backup`, the daily task): docs/operations.md.

A backup is one pg_dump file (newsreader/dumps.py), of the embedded server or of DATABASE_URL's,
written to NEWSREADER_BACKUP_DIR as `newsreader-<UTC time>.dump` unless told where; the folder
keeps the newest NEWSREADER_BACKUP_KEEP of them. With WAL archiving (the embedded server and
NEWSREADER_WAL_ARCHIVE), each backup also takes a base backup into the archive, which
point-in-time recovery starts from (newsreader/pitr.py).
"""

from pathlib import Path

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

from newsreader import dumps, embedded, pitr

PREFIX, SUFFIX = "newsreader-", ".dump"


def is_embedded() -> bool:
    return settings.DATABASES[DEFAULT_DB_ALIAS]["ENGINE"] == "newsreader.embedded_postgres"


def connection_params() -> dict:
    """libpq's parameters for the site's database, as Django connects (the embedded server started)."""
    keywords = {default.keyword.decode() for default in psycopg.pq.Conninfo.get_defaults()}
    params = connections[DEFAULT_DB_ALIAS].get_connection_params()
    return {key: str(value) for key, value in params.items() if key in keywords and value not in (None, "")}


def backup(output: Path | None = None) -> Path:
    """Write a verified backup; return its path. Only backups in NEWSREADER_BACKUP_DIR are pruned."""
    folder = Path(settings.NEWSREADER_BACKUP_DIR)
    path = (output or folder / f"{PREFIX}{dumps.stamp()}{SUFFIX}").resolve()
    dumps.dump(connection_params(), path, embedded.programs())
    prune(folder, settings.NEWSREADER_BACKUP_KEEP)
    if is_embedded() and embedded.WAL_ARCHIVE:
        pitr.base_backup(keep=settings.NEWSREADER_BACKUP_KEEP)
    return path


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` backups in the folder (by the time in their names)."""
    ours = sorted(folder.glob(f"{PREFIX}*{SUFFIX}")) if folder.is_dir() else []
    gone = ours[:-keep] if keep else ours
    for path in gone:
        path.unlink()
    return gone
