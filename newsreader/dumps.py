"""A database saved to one file with pg_dump, and proven complete before it is called a backup.

The dump is PostgreSQL's custom format (compressed, read back by pg_restore). It is consistent: it
reads one snapshot, which we export from a transaction of our own that first counts every table's
rows in that same snapshot. Verifying reads the whole file back through pg_restore (every block
decompressed) and counts the rows it holds for each table: a file cut short, corrupt, or missing
a table's rows fails, and is not kept.

This module knows only libpq connection parameters and a folder of PostgreSQL programs, so that
the embedded server (upgrading a data folder) and the backup command both use it.
"""

import os
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

# Every table of ours (and the task queue's), counted in the dump's snapshot.
TABLES = """
    SELECT format('%I.%I', schemaname, tablename) FROM pg_tables
    WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1
"""
_COPY = re.compile(r"COPY (\S+) \(")


class BackupError(Exception):
    """A dump or a restore that did not do what it must; nothing was kept or changed."""


def stamp() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%S%fZ}"


def libpq_environment(params: dict) -> tuple[str, dict]:
    """A conninfo for the programs' `--dbname`, and an environment carrying the password (not
    shown to other users in the process list, as an argument would be)."""
    env = os.environ | {"PGPASSWORD": str(params["password"])} if params.get("password") else dict(os.environ)
    return make_conninfo(**{key: value for key, value in params.items() if key != "password"}), env


def dump(params: dict, path: Path, programs: Path) -> dict[str, int]:
    """Write the database that `params` name to `path` (through `<path>.partial`, so that a file
    at `path` is always whole), verify it, and return its tables' row counts."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    conninfo, env = libpq_environment(params)
    try:
        with psycopg.connect(**params) as conn:
            conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
            counts = _counts(conn)
            # pg_dump reads the snapshot this transaction holds open: the rows just counted.
            result = subprocess.run(
                [
                    str(programs / "pg_dump"),
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={partial}",
                    f"--dbname={conninfo}",
                ],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
        if result.returncode:
            raise BackupError(f"pg_dump failed: {result.stdout.strip()}")
        found = rows_in(partial, programs)
        if found != {table: count for table, count in counts.items() if count}:
            raise BackupError(f"the dump does not hold the rows counted: {_difference(counts, found)}")
        partial.rename(path)
    finally:
        partial.unlink(missing_ok=True)
    return counts


def _counts(conn) -> dict[str, int]:
    tables = [name for (name,) in conn.execute(TABLES)]
    if not tables:
        return {}
    query = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT {}, count(*) FROM {}").format(sql.Literal(name), sql.SQL(name)) for name in tables
    )
    return dict(conn.execute(query).fetchall())


def rows_in(path: Path, programs: Path) -> dict[str, int]:
    """The rows a dump holds, per table (tables without any are left out): its data read back whole."""
    reading = subprocess.Popen(
        [str(programs / "pg_restore"), "--data-only", "--file=-", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    counts, table = {}, None
    for line in reading.stdout:  # COPY text: one line per row, "\." after the last
        if table is None:
            if line.startswith(b"COPY ") and (match := _COPY.match(line.decode())):
                table = match[1]
                counts[table] = 0
        elif line == b"\\.\n":
            table = None
        else:
            counts[table] += 1
    if reading.wait():
        raise BackupError(f"pg_restore cannot read {path}: {reading.stderr.read().decode().strip()}")
    return {name: count for name, count in counts.items() if count}


def _difference(counted: dict, found: dict) -> str:
    names = sorted(set(counted) | set(found))
    return ", ".join(
        f"{name}: {counted.get(name, 0)} counted, {found.get(name, 0)} in the dump"
        for name in names
        if counted.get(name, 0) != found.get(name, 0)
    )


def created_at(path: Path, programs: Path) -> str:
    """When the dump was taken, as pg_restore reads its header; a file that is not a dump fails."""
    result = subprocess.run([str(programs / "pg_restore"), "--list", str(path)], capture_output=True, text=True)
    if result.returncode:
        raise BackupError(f"{path} is not a backup pg_restore can read: {result.stderr.strip()}")
    match = re.search(r"Archive created at (.+)", result.stdout)
    return match[1].strip() if match else "an unknown time"
