"""Point-in-time recovery of the embedded server (docs/operations.md).

With NEWSREADER_WAL_ARCHIVE set, the server copies every finished WAL segment there
(newsreader/embedded.py), and each backup also takes a base backup into `<archive>/base/`
(pg_basebackup, compressed tar, each file checked against the SHA-256 its manifest gives; the
wheel's pg_verifybackup 18 crashes at start, and 16's cannot read 18's manifests); the archive
keeps the WAL the kept base backups need and no older.

`restore_to(moment)` brings the whole server back to that moment: the newest base backup finished
before it, and the archived WAL replayed up to it (PostgreSQL's recovery_target_time). While it
runs, every node answers 503: the database first refuses connections, then the server is down.
The data folder it replaces is kept beside it, `<folder>.replaced-<time>`.
"""

import hashlib
import json
import shlex
import shutil
import subprocess
import tarfile
import time
from datetime import UTC, datetime
from pathlib import Path

import psycopg
from django.core.cache import cache
from psycopg import sql

from articles.contentversion import SEQUENCE
from newsreader import dumps, embedded

RECOVERY = ("restore_command", "recovery_target_time", "recovery_target_action", "hot_standby")


def base_folder() -> Path:
    return embedded.WAL_ARCHIVE / "base"


def _admin() -> psycopg.Connection:
    return psycopg.connect(host=embedded.socket_dir(), user=embedded.USER, dbname="postgres", autocommit=True)


def base_backup(*, keep: int) -> Path:
    """A base backup named by the time it finished; then all but the newest `keep`, and the WAL
    only they needed, are deleted."""
    folder = base_folder()
    folder.mkdir(parents=True, exist_ok=True)
    embedded.give_to_server(folder)
    partial = folder / f"{dumps.stamp()}.partial"
    try:
        embedded.run(
            "pg_basebackup",
            "-h",
            embedded.socket_dir(),
            "-U",
            embedded.USER,
            "-D",
            str(partial),
            "--format=tar",
            "--gzip",
            "--wal-method=fetch",
            "--checkpoint=fast",
            "--manifest-checksums=SHA256",
        )
        _verify(partial)
    except subprocess.CalledProcessError as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise dumps.BackupError(f"pg_basebackup failed: {error.stdout.strip()}") from None
    except dumps.BackupError:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    done = partial.rename(folder / dumps.stamp())
    kept = base_backups()[-keep:]
    for old in base_backups()[:-keep]:
        shutil.rmtree(old)
    embedded.run("pg_archivecleanup", str(embedded.WAL_ARCHIVE), _first_segment(kept[0]))
    return done


def _verify(base: Path) -> None:
    """Every file the manifest lists is in the backup, whole: its size and SHA-256."""
    listed = {entry["Path"]: entry for entry in json.loads((base / "backup_manifest").read_text())["Files"]}
    with tarfile.open(base / "base.tar.gz") as archive:
        for member in archive:
            entry = listed.pop(member.name, None)
            if entry is None or not member.isfile():
                continue
            digest = hashlib.file_digest(archive.extractfile(member), "sha256").hexdigest()
            if member.size != entry["Size"] or digest != entry["Checksum"]:
                raise dumps.BackupError(f"base backup {base}: {member.name} does not match its manifest")
    if listed:
        raise dumps.BackupError(f"base backup {base} lacks {len(listed)} files, {sorted(listed)[0]} first")


def base_backups() -> list[Path]:
    folder = base_folder()
    return (
        sorted(path for path in folder.iterdir() if path.is_dir() and not path.name.endswith(".partial"))
        if folder.is_dir()
        else []
    )


def _first_segment(base: Path) -> str:
    """The name of the first WAL segment a base backup needs (from its manifest)."""
    start = json.loads((base / "backup_manifest").read_text())["WAL-Ranges"][0]
    high, low = (int(part, 16) for part in start["Start-LSN"].split("/"))
    with _admin() as conn:
        size = int(conn.execute("SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'").fetchone()[0])
    segment, per_id = ((high << 32) + low) // size, 0x100000000 // size
    return f"{start['Timeline']:08X}{segment // per_id:08X}{segment % per_id:08X}"


def finished_at(base: Path) -> datetime:
    return datetime.strptime(base.name, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)


def restore_to(moment: datetime) -> Path:
    """Replay the server to `moment` (aware); returns the folder of the data it replaced."""
    if not embedded.WAL_ARCHIVE:
        raise dumps.BackupError("point-in-time recovery needs WAL archiving: set NEWSREADER_WAL_ARCHIVE")
    before = [base for base in base_backups() if finished_at(base) < moment]
    if not before:
        raise dumps.BackupError(f"no base backup in {base_folder()} finished before {moment:%Y-%m-%d %H:%M:%S %Z}")
    version = _close_and_archive()
    when = dumps.stamp()
    replaced = embedded.DATA_DIR.with_name(f"{embedded.DATA_DIR.name}.replaced-{when}")
    failed = embedded.DATA_DIR.with_name(f"{embedded.DATA_DIR.name}.failed-{when}")
    with embedded.server_lock():  # no other process starts the server meanwhile
        embedded.run("pg_ctl", "-w", "-D", str(embedded.DATA_DIR), "-m", "fast", "stop")
        recovering = _unpack(before[-1], moment)
        embedded.DATA_DIR.rename(replaced)
        recovering.rename(embedded.DATA_DIR)
        try:
            embedded.start_for_recovery()
            conn = _promoted()
        except (subprocess.CalledProcessError, dumps.BackupError):
            embedded.run("pg_ctl", "-w", "-D", str(embedded.DATA_DIR), "-m", "immediate", "stop", check=False)
            embedded.DATA_DIR.rename(failed)
            replaced.rename(embedded.DATA_DIR)
            embedded.start_for_recovery()
            with _admin() as conn:
                conn.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS true").format(sql.Identifier(embedded.DBNAME)))
            log = (failed / "log").read_text()[-2000:]
            raise dumps.BackupError(f"recovery failed, the data is as it was (the attempt is in {failed}):\n{log}") from None
    with conn:
        for name in RECOVERY:
            conn.execute(sql.SQL("ALTER SYSTEM RESET {}").format(sql.Identifier(name)))
        conn.execute("SELECT pg_reload_conf()")
    _move_version_past(version)
    cache.clear()  # sessions and pages of the present that was undone (a shared Redis)
    return replaced


def _promoted() -> psycopg.Connection:
    """A connection once the server has replayed to the moment and ended its recovery (pg_ctl
    returns when the server has started, before that); an error if it stopped instead."""
    while (embedded.DATA_DIR / "postmaster.pid").exists():
        try:
            conn = _admin()
        except psycopg.OperationalError:
            time.sleep(0.1)
            continue
        if not conn.execute("SELECT pg_is_in_recovery()").fetchone()[0]:
            return conn
        conn.close()
        time.sleep(0.1)
    raise dumps.BackupError("the server stopped during its recovery")


def _close_and_archive() -> int:
    """Refuse connections to the site's database (every node answers 503 from now), and see the WAL
    up to now archived. Returns the content version then, the highest it has been."""
    name = sql.Identifier(embedded.DBNAME)
    with _admin() as conn, psycopg.connect(host=embedded.socket_dir(), user=embedded.USER, dbname=embedded.DBNAME) as site:
        own = site.execute("SELECT pg_backend_pid()").fetchone()[0]
        conn.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS false").format(name))
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s", [embedded.DBNAME, own]
        )
        version = site.execute(sql.SQL("SELECT last_value FROM {}").format(sql.Identifier(SEQUENCE))).fetchone()[0]
        segment = conn.execute("SELECT pg_walfile_name(pg_switch_wal())").fetchone()[0]
    for _ in range(600):
        if (embedded.WAL_ARCHIVE / segment).exists():
            return version
        time.sleep(0.1)
    raise dumps.BackupError(f"WAL segment {segment} was not archived within a minute: see the server's log")


def _unpack(base: Path, moment: datetime) -> Path:
    """The base backup unpacked beside the data folder, set to replay the archive up to `moment`."""
    folder = embedded.DATA_DIR.with_name(f"{embedded.DATA_DIR.name}.recovering")
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(mode=0o700)
    for archive in sorted(base.glob("*.tar.gz")):  # base.tar.gz holds pg_wal (fetched); tablespaces none
        shutil.unpack_archive(archive, folder, filter="tar")
    for stale in [*folder.glob(".s.PGSQL.*"), folder / ".handle_pids.json"]:  # the wheel's, of the running server
        stale.unlink(missing_ok=True)
    archive = embedded.WAL_ARCHIVE
    settings = {
        "restore_command": f"cp {shlex.quote(str(archive))}/%f %p",
        "recovery_target_time": moment.isoformat(),
        "recovery_target_action": "promote",
        "hot_standby": "off",  # no connection before the end: a node that connects sees the moment, or nothing
    }
    with (folder / "postgresql.auto.conf").open("a") as conf:
        for setting, value in settings.items():
            quoted = value.replace("'", "''")
            conf.write(f"{setting} = '{quoted}'\n")
    (folder / "recovery.signal").touch()
    embedded.give_to_server(folder)
    return folder


def _move_version_past(version: int) -> None:
    """The content version after the undone present's highest: pages a shared cache kept under the
    versions of that present (same database, same numbers) are never served again."""
    with psycopg.connect(host=embedded.socket_dir(), user=embedded.USER, dbname=embedded.DBNAME, autocommit=True) as site:
        site.execute("SELECT setval(%s, %s)", [SEQUENCE, version + 1])
