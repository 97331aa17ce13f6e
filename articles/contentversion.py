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

Each process keeps its copy of the version up to date off the request path: a background thread
(`Refresher`) holds a connection of its own to the primary, LISTENs on a channel that every bump
NOTIFYs, and rereads the version when told, and every NEWSREADER_PAGE_CACHE_RECHECK seconds in
any case (a notification lost while its connection was down, or a pooler that does not pass them
on). A request only ever reads the version from the database once, the first in its process. So
a change made by any process on any machine shows everywhere within a few milliseconds, and
a database slow to answer slows the thread, never a reader. While the database does not answer,
a process goes on with the last version it read. With NEWSREADER_CONTENT_VERSION_REFRESHER off (the
test suite, whose transactions never commit) there is no thread, and a request rereads the version
when its copy is older than RECHECK seconds.

With read replicas (NEWSREADER_REPLICAS), the version is read with the primary's WAL position at
that moment (`wal`): every change the version stands for was committed before it, so a replica
that has replayed that far has them all (newsreader/replicas.py renders a page there only then).
The version itself is always read on the primary: a standby shows a sequence ahead of it.
"""

import os
import re
import threading
import time
from typing import NamedTuple

import psycopg
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connection, connections, transaction
from django.db.backends.signals import connection_created

SEQUENCE = "articles_content_version"
CHANNEL = "articles_content_version"
APPLICATION_NAME = "newsreader content version"  # the refreshers' connections, in pg_stat_activity
STOP_CHECK_SECONDS = 0.5  # how soon a refresher waiting for a notification notices it is stopped
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
    read_at: float  # time.monotonic() when its read began: a read begun earlier must not replace it
    database: int
    wal: int = 0  # with replicas: the primary's WAL position (bytes) when read, past every change counted


# Replaced whole, shared by the process's threads.
_version: Version | None = None
_watched: frozenset[str] = frozenset()
_refresher: "Refresher | None" = None
_starting = threading.Lock()
_bumps = threading.local()  # the version this thread's last change made (`made_here`)


def _columns() -> str:
    return f"{DATABASE}, {WAL_POSITION}" if settings.NEWSREADER_REPLICAS else f"{DATABASE}, 0"


def _read(cursor) -> Version:
    began = time.monotonic()
    cursor.execute(f"SELECT last_value, {_columns()} FROM {SEQUENCE}")
    number, database, wal = cursor.fetchone()
    return Version(number, began, database, wal)


def _keep(read: Version) -> Version:
    """Make `read` this process's version, unless a read or bump begun after it already is."""
    global _version
    known = _version
    if known is None or read.read_at >= known.read_at:
        _version = known = read
    return known


def current() -> Version:
    """The version and database. Kept up to date by the process's refresher; read here only the
    first time (or, without a refresher, when older than RECHECK seconds). While the database does
    not answer, the last version read (the error when there is none), so what is kept under it is
    still served."""
    known = _version
    if settings.NEWSREADER_CONTENT_VERSION_REFRESHER:
        if _refresher is None:
            _start_refresher()
        if known is not None:
            return known
    elif known is not None and time.monotonic() - known.read_at < settings.NEWSREADER_PAGE_CACHE_RECHECK:
        return known
    try:
        return _read_now()
    except UNAVAILABLE:
        if known is None:
            raise
        return known


def _read_now() -> Version:
    with connection.cursor() as cursor:
        return _keep(_read(cursor))


def catch_up(seen: int) -> None:
    """A reader has seen version `seen` (their own change, made through another process): read the
    version now if this process's refresher has not caught up with it yet."""
    if seen > current().number:
        try:
            _read_now()
        except UNAVAILABLE:
            pass  # as while the database is away: the last version read


def made_here() -> int:
    """The version this thread's last change made (0 when none)."""
    return getattr(_bumps, "number", 0)


def versioned_key(name: str) -> str:
    """A cache key that changes with the content version (and the database)."""
    known = current()
    return f"db{known.database}:v{known.number}:{name}"


def database_key(name: str) -> str:
    """A cache key that lasts across versions, not across databases (one restored starts again)."""
    return f"db{current().database}:{name}"


def unversioned(key: str) -> str:
    """The `database_key` of what a `versioned_key` names, whatever the version."""
    database, _, name = key.split(":", 2)
    return f"{database}:{name}"


def forget() -> None:
    """Make this process reread the version on its next use (tests start from a clean slate)."""
    global _version
    _version = None


class Refresher(threading.Thread):
    """Keeps the process's version: rereads it when a bump is notified, and every RECHECK seconds."""

    def __init__(self):
        super().__init__(name="content-version", daemon=True)
        self.stopping = threading.Event()

    def run(self) -> None:
        while not self.stopping.is_set():
            database = connections.create_connection(DEFAULT_DB_ALIAS)  # its own, outside any request
            try:
                with database.cursor() as cursor:
                    cursor.execute(f"SET application_name = '{APPLICATION_NAME}'; LISTEN {CHANNEL}")
                    while not self.stopping.is_set():
                        _keep(_read(cursor))
                        self.wait_for_change(database.connection)
            except (*UNAVAILABLE, psycopg.Error):
                self.stopping.wait(_recheck())  # the database is away: the last version stands meanwhile
            finally:
                try:
                    database.close()
                except (*UNAVAILABLE, psycopg.Error):
                    pass

    def wait_for_change(self, listening) -> None:
        """Until a bump is notified, RECHECK seconds pass, or the refresher is stopped."""
        due = time.monotonic() + _recheck()
        while not self.stopping.is_set() and (left := due - time.monotonic()) > 0:
            if any(True for _ in listening.notifies(timeout=min(left, STOP_CHECK_SECONDS), stop_after=1)):
                return

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)


def _recheck() -> float:
    return max(settings.NEWSREADER_PAGE_CACHE_RECHECK, 0.05)


def _start_refresher() -> None:
    global _refresher
    with _starting:
        if _refresher is None:
            _refresher = Refresher()
            _refresher.start()


def _forked() -> None:
    """A forked process (a gunicorn worker) has no thread of its parent's: it starts its own."""
    global _refresher, _starting
    _refresher, _starting = None, threading.Lock()


os.register_at_fork(after_in_child=_forked)


def stop_refresher() -> None:
    """Stop this process's refresher (a test that started one, before its database goes)."""
    global _refresher
    if _refresher is not None:
        _refresher.stop()
        _refresher = None


def _bump() -> None:
    with connection.cursor() as cursor:
        # The notification reaches every process's refresher once this (autocommit) statement ends.
        cursor.execute(f"SELECT nextval(%s), {_columns()}, pg_notify(%s, '')", [SEQUENCE, CHANNEL])
        number, database, wal, _ = cursor.fetchone()
    _keep(Version(number, time.monotonic(), database, wal))
    _bumps.number = number


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
