"""The content version: one number for "what readers can see", changed after every commit that
changes it. Caches key what they keep by it (`versioned_key`), so a change makes them all stale
at once, on every process and machine, with nothing to delete.

It is a PostgreSQL sequence, bumped once after each transaction that wrote to a content table
(an article, its tags, a publisher, a comment, a country or an actor). The writes are seen where
Django sends SQL: an execute wrapper on every connection notices each INSERT, UPDATE or DELETE
of a watched table, whatever sent it (a view, the admin, a command, an `.update()`, a
`bulk_create`, raw SQL through Django's cursor), so no write path can forget to invalidate.
COPY is the one write that bypasses Django's cursor; `bulk.copy_rows`, the one place that
uses it, reports its writes here itself.

The process that bumps the version touches a signal file, and every process on the machine
rereads the version on its next use when the file has changed (a stat), so a change made by
another process shows at once; a process rereads it every NEWSREADER_PAGE_CACHE_RECHECK seconds
in any case (changes made on other machines). While the database does not answer, a process goes
on with the last version it read; one thread at a time tries again, every RECHECK seconds.

With read replicas (NEWSREADER_REPLICAS), the version is read with the primary's WAL position at
that moment (`wal`): every change the version stands for was committed before it, so a replica
that has replayed that far has them all (newsreader/replicas.py renders a page there only then).
The version itself is always read on the primary: a standby shows a sequence ahead of it.
"""

import os
import re
import time
from pathlib import Path
from typing import NamedTuple

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection, connections, transaction
from django.db.backends.signals import connection_created

SEQUENCE = "articles_content_version"
# A database that cannot be reached: stopped, restarting, refusing connections, a connection cut
# (a query of ours that is wrong raises other errors).
UNAVAILABLE = (OperationalError, InterfaceError)
# With replicas, the primary's WAL position read with the version, in bytes (one query still): where
# its next record will go, past every record written, commits included. Not pg_current_wal_lsn(),
# the position written out so far: a commit made with synchronous_commit off (the import's) may not
# be written out yet when its transaction ends, and would lie past it.
WAL_POSITION = "(pg_current_wal_insert_lsn() - '0/0')::bigint"
# The database's own id: one recreated or restored under a cache that kept its entries (Redis)
# starts its versions again, and must not be served the entries of the old one.
DATABASE = "(SELECT oid FROM pg_database WHERE datname = current_database())"
# The statements Django writes rows with; the table is the first name after the verb.
_WRITE = re.compile(r'\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(?:ONLY\s+)?"?(\w+)"?', re.IGNORECASE)
_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "insert", "update", "delete")


class Version(NamedTuple):
    number: int
    read_at: float  # time.monotonic()
    database: int
    signalled: int  # the signal file's modification time when read (0: no file)
    wal: int = 0  # with replicas: the primary's WAL position (bytes) when read, past every change counted


# Replaced whole, shared by the process's threads.
_version: Version | None = None
_watched: frozenset[str] = frozenset()


def _signalled() -> int:
    try:
        return os.stat(settings.NEWSREADER_PAGE_CACHE_SIGNAL).st_mtime_ns
    except OSError:
        return 0


def _columns() -> str:
    return f"{DATABASE}, {WAL_POSITION}" if settings.NEWSREADER_REPLICAS else f"{DATABASE}, 0"


def current() -> Version:
    """The version and database, reread from the database at most every RECHECK seconds, and at
    once when a process on this machine has signalled a new version. While the database does not
    answer, the last version read (the error when there is none), so what is kept under it is
    still served."""
    global _version
    known, now, signalled = _version, time.monotonic(), _signalled()
    if known is not None and now - known.read_at < settings.NEWSREADER_PAGE_CACHE_RECHECK and signalled == known.signalled:
        return known
    if known is not None:  # meanwhile the other threads go on with it, unless signalled (they reread too)
        _version = known._replace(read_at=now)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT last_value, {_columns()} FROM {SEQUENCE}")
            number, database, wal = cursor.fetchone()
    except UNAVAILABLE:
        if known is None:
            raise
        _version = known._replace(read_at=now, signalled=signalled)  # tried again in RECHECK seconds
        return known
    known = _version = Version(number, now, database, signalled, wal)
    return known


def versioned_key(name: str) -> str:
    """A cache key that changes with the content version (and the database)."""
    known = current()
    return f"db{known.database}:v{known.number}:{name}"


def forget() -> None:
    """Make this process reread the version on its next use (tests start from a clean slate)."""
    global _version
    _version = None


def _bump() -> None:
    global _version
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT nextval(%s), {_columns()}", [SEQUENCE])
        number, database, wal = cursor.fetchone()
    try:  # every process on this machine rereads the version on its next request
        Path(settings.NEWSREADER_PAGE_CACHE_SIGNAL).write_text(str(number))
    except OSError:
        pass  # not writable here: other processes reread within RECHECK seconds all the same
    _version = Version(number, time.monotonic(), database, _signalled(), wal)


def changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Mark everything kept under the current version stale once the current transaction commits
    (at once outside one). Once per transaction, however many writes it makes."""
    pending = connections[using].run_on_commit
    if not any(callback is _bump for _, callback, _ in pending):
        transaction.on_commit(_bump, using=using)


def wrote(table: str, using: str = DEFAULT_DB_ALIAS) -> None:
    """Report a write Django's cursor did not see (COPY): stale on commit if the table is watched."""
    if table in _watched:
        changed(using)


def _notice_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if sql.lstrip().startswith(_WRITE_VERBS) and (match := _WRITE.match(sql)) and match[1] in _watched:
        changed(context["connection"].alias)
    return result


def _install(sender, connection, **kwargs) -> None:
    if _notice_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_notice_writes)


def watch(*tables: str) -> None:
    """Treat writes to these tables as changes readers can see, on every connection from now on."""
    global _watched
    _watched = _watched | frozenset(tables)
    connection_created.connect(_install, dispatch_uid="contentversion_install")
    for each in connections.all(initialized_only=True):
        _install(None, each)
