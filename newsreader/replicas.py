"""Reads on PostgreSQL streaming replicas, only where they are safe (docs/scaling.md).

Configured by DATABASE_REPLICA_URLS (settings.py); without it none of this is installed and every
query goes to the primary, as on one machine.

- Outside a request (commands, the task queue's workers, the mail thread) everything is on the
  primary: the router sends reads to a replica only inside a request the middleware allowed.
- A request may read on a replica when it is a GET or HEAD, until it writes (from then on it reads
  the primary, where its write is), and never inside a transaction (reads that lock or count
  before a write, as the comment limit does), nor for sessions, throttle counters or the queue.
- The replica must have replayed the primary's WAL up to a position the request needs:
  the one read with the content version (articles/contentversion.py), so that no page is rendered
  from data older than the version it is kept under; and, for a reader who has just written
  (signed up, signed in, commented, imported), the primary's position after their write, which a
  signed, HttpOnly cookie carries for NEWSREADER_REPLICA_PIN_SECONDS. A replica that has not
  replayed that far is passed over; with none, the request reads the primary. So a reader never
  misses their own write, however far behind a replica is, and is not kept off replicas for
  longer than the replicas take to catch up.
- The replica is chosen once per request (one query there, which also checks it answers), and
  the request keeps it. One that does not answer is left out for NEWSREADER_REPLICA_RETRY_SECONDS;
  one more than NEWSREADER_REPLICA_MAX_LAG_SECONDS behind is left out until it catches up.
"""

import random
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.db.backends.signals import connection_created

from articles import contentversion

PIN_COOKIE = "newsreader_wal"
PIN_SALT = "newsreader.replicas.pin"
READ_FROM_HEADER = "X-Read-From"
# Models whose reads must see every write at once, from every node: always the primary.
PRIMARY_ONLY = frozenset({"sessions.session", "articles.loginfailure", "articles.mailrequest"})
PRIMARY_ONLY_APPS = frozenset({"procrastinate"})
# A statement that writes, or changes what the primary holds (the content version, the queue).
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "insert", "update", "delete")
WRITE_CALLS = ("nextval(", "procrastinate_defer")
REPLAY = (
    "SELECT (pg_last_wal_replay_lsn() - '0/0')::bigint, "
    "CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
    "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
)


class _Reads(threading.local):
    """This thread's request: whether it may read on a replica, from what WAL position, and where."""

    allowed = False
    wanted = 0
    alias: str | None = None
    wrote = False


_reads = _Reads()


@dataclass
class Replica:
    """What this process last saw of one replica."""

    alias: str
    state: str = "ok"  # "ok", or why it is left out of reads
    lag_seconds: float | None = None
    retry_at: float = 0.0  # when a replica that did not answer is tried again (time.monotonic())


_replicas: dict[str, Replica] = {}


def replicas() -> list[Replica]:
    for alias in settings.NEWSREADER_REPLICAS:
        _replicas.setdefault(alias, Replica(alias))
    return [_replicas[alias] for alias in settings.NEWSREADER_REPLICAS]


def probe(replica: Replica) -> int | None:
    """Ask a replica how far it has replayed (and record its lag); None when it does not answer or
    is not a standby."""
    connection = connections[replica.alias]
    # A connection kept from an earlier request may have been cut (the replica restarted): a new one
    # is tried before the replica is taken for down.
    attempts = 2 if connection.connection is not None else 1
    for attempt in range(attempts):
        try:
            with connection.cursor() as cursor:
                cursor.execute(REPLAY)
                replayed, lag = cursor.fetchone()
            break
        except DatabaseError as error:
            try:
                connection.close()
            except DatabaseError:
                pass
            if attempt + 1 < attempts:
                continue
            replica.state, replica.lag_seconds = f"down: {str(error).strip() or type(error).__name__}", None
            replica.retry_at = time.monotonic() + settings.NEWSREADER_REPLICA_RETRY_SECONDS
            return None
    if replayed is None:
        replica.state, replica.lag_seconds = "not a standby", None
        return None
    replica.lag_seconds = round(float(lag), 3)
    if replica.lag_seconds > settings.NEWSREADER_REPLICA_MAX_LAG_SECONDS:
        replica.state = f"behind: {replica.lag_seconds} s, more than {settings.NEWSREADER_REPLICA_MAX_LAG_SECONDS} s"
        return None
    replica.state = "ok"
    return replayed


def choose(wanted: int) -> str:
    """A replica that has replayed the primary's WAL up to `wanted`, else the primary."""
    now = time.monotonic()
    candidates = [replica for replica in replicas() if replica.retry_at <= now]
    random.shuffle(candidates)
    for replica in candidates:
        replayed = probe(replica)
        if replayed is not None and replayed >= wanted:
            return replica.alias
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if (
            not _reads.allowed
            or model._meta.label_lower in PRIMARY_ONLY
            or model._meta.app_label in PRIMARY_ONLY_APPS
            or connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return DEFAULT_DB_ALIAS
        if _reads.alias is None:
            _reads.alias = choose(_reads.wanted)
        return _reads.alias

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same rows, wherever they were read

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


def _notice_writes(execute, sql, params, many, context):
    """On the primary's connections: a request that writes reads the primary from then on, and
    leaves with a pin."""
    if sql.lstrip().startswith(WRITE_VERBS) or any(call in sql for call in WRITE_CALLS):
        _reads.wrote, _reads.allowed = True, False
    return execute(sql, params, many, context)


def _install(sender, connection, **kwargs) -> None:
    if connection.alias == DEFAULT_DB_ALIAS and _notice_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_notice_writes)


def primary_position() -> int:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(f"SELECT {contentversion.WAL_POSITION}")
        return cursor.fetchone()[0]


def _pinned(request) -> int:
    """The WAL position of this reader's last write, from their signed cookie (0: none, or not ours)."""
    value = request.get_signed_cookie(PIN_COOKIE, default="", salt=PIN_SALT, max_age=settings.NEWSREADER_REPLICA_PIN_SECONDS)
    return int(value) if value.isdigit() else 0


class ReplicaReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        connection_created.connect(_install, dispatch_uid="replicas_notice_writes")
        for each in connections.all(initialized_only=True):
            _install(None, each)

    def __call__(self, request):
        _reads.alias, _reads.wrote = None, False
        _reads.allowed = request.method in ("GET", "HEAD")
        if _reads.allowed:
            try:
                # The version the page cache keys this page by was read no later than this.
                _reads.wanted = max(contentversion.current().wal, _pinned(request))
            except contentversion.UNAVAILABLE:
                _reads.allowed = False
        try:
            response = self.get_response(request)
            # Where this page's reads went (kept with a page the page cache keeps): for the proxy's
            # logs, the benchmarks and the tests.
            response[READ_FROM_HEADER] = "primary" if _reads.alias in (None, DEFAULT_DB_ALIAS) else _reads.alias
            if _reads.wrote:
                response.set_signed_cookie(
                    PIN_COOKIE, str(primary_position()), salt=PIN_SALT, max_age=settings.NEWSREADER_REPLICA_PIN_SECONDS,
                    httponly=True, secure=settings.SESSION_COOKIE_SECURE, samesite="Lax",
                )
            return response
        finally:
            _reads.allowed, _reads.alias, _reads.wrote = False, None, False


def health() -> list[dict]:
    """Each replica as /healthz?detail=1 reports it, asked now."""
    for replica in replicas():
        probe(replica)
    return [{"name": each.alias, "state": each.state, "lag_seconds": each.lag_seconds} for each in replicas()]
