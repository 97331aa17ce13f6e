"""Restoring a backup (`manage.py restore PATH --yes`) while the site runs: docs/operations.md.

The backup is restored into a new database beside the site's, which is swapped in by name once it
is whole. Meanwhile the site's database refuses connections (ALLOW_CONNECTIONS false, its sessions
ended): that is the signal every node on every machine sees, at no cost per request (a node
learns it when it connects), and answers 503 "Back shortly" with Retry-After (newsreader/outage.py),
so that nothing is written to a database about to be replaced. Once swapped, nodes connect to the
restored database by the same name and are back by themselves. A backup that cannot be restored
leaves the site's database as it was, open again.

The restored database is a new one, with a new oid: the content version's cache keys include it
(articles/contentversion.py), so pages kept under the replaced database's versions, in a shared
Redis too, are never served again, though the version's number goes back with the backup. The
cache is cleared as well (with Redis, for every node): sessions kept there belong to the replaced
database.
"""

import subprocess
from pathlib import Path

import psycopg
from django.core.cache import cache
from django.db import connections
from psycopg import sql

from newsreader import dumps, embedded
from newsreader.backups import connection_params

# What the site holds, in words, for saying what a restore replaces.
SUMMARY = """
    SELECT (SELECT count(*) FROM articles_article), (SELECT count(*) FROM auth_user),
           (SELECT count(*) FROM articles_comment)
"""


def describe(path: Path) -> str:
    """What restoring `path` replaces, and with what."""
    params = connection_params()
    where = f"database {params['dbname']} on {params.get('host', 'localhost')}"
    try:
        with psycopg.connect(**params) as conn:
            articles, readers, comments = conn.execute(SUMMARY).fetchone()
        now = f"{articles} articles, {readers} readers, {comments} comments"
    except psycopg.Error as error:
        now = f"which cannot be read now ({str(error).strip()})"
    taken = dumps.created_at(path, embedded.programs())
    return f"This replaces everything in {where} ({now}) with the backup {path}, taken at {taken}."


def restore(path: Path) -> None:
    """Replace the site's database with the backup's content; see the module's docstring."""
    dumps.created_at(path, embedded.programs())  # a file pg_restore cannot read changes nothing
    params = connection_params()
    live = params["dbname"]
    fresh, replaced = f"{live}__restoring", f"{live}__replaced"
    connections.close_all()
    with psycopg.connect(**(params | {"dbname": _maintenance(params)}), autocommit=True) as admin:

        def run(statement: str, *names: str) -> None:
            admin.execute(sql.SQL(statement).format(*map(sql.Identifier, names)))

        run("DROP DATABASE IF EXISTS {}", fresh)  # left by a restore that was stopped
        run("CREATE DATABASE {} TEMPLATE template0", fresh)
        run("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false", live)
        try:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [live])
            _pg_restore(path, params | {"dbname": fresh})
        except BaseException:
            run("DROP DATABASE IF EXISTS {}", fresh)
            run("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true", live)
            raise
        run("DROP DATABASE IF EXISTS {}", replaced)
        run("ALTER DATABASE {} RENAME TO {}", live, replaced)
        run("ALTER DATABASE {} RENAME TO {}", fresh, live)
        run("DROP DATABASE {} WITH (FORCE)", replaced)
    # Every process's content-version refresher lost its connection with the old database, and
    # reads the new one's version (and oid) when it reconnects, within RECHECK seconds.
    cache.clear()


def _maintenance(params: dict) -> str:
    """A database to work from while the site's is replaced: `postgres`, which every server has."""
    return "postgres" if params["dbname"] != "postgres" else "template1"


def _pg_restore(path: Path, params: dict) -> None:
    conninfo, env = dumps.libpq_environment(params)
    result = subprocess.run(
        [
            str(embedded.programs() / "pg_restore"),
            "--exit-on-error",
            "--single-transaction",
            "--no-owner",
            "--no-acl",
            f"--dbname={conninfo}",
            str(path),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    if result.returncode:
        raise dumps.BackupError(f"pg_restore failed, the database is as it was: {result.stdout.strip()}")
