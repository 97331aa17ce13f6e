"""The import's figures for `make bench`: a fresh import's rate and peak memory, a re-import of
the same (unchanged) files, a raw COPY of the same text for comparison, and the database's size."""

import os
import subprocess
import time
from pathlib import Path

import psycopg

from . import corpus
from .databases import PYTHON, ROOT, database_url, env_for, fresh_database, log, manage


def run_import(db: str, folder: Path, count: int, log_file: Path, **env) -> dict:
    """import_articles over `folder` into `db` as it stands: its rate and peak RSS."""
    with log_file.open("w") as out:
        started = time.perf_counter()
        process = subprocess.Popen(
            [PYTHON, "manage.py", "import_articles", str(folder)], cwd=ROOT, env=env_for(db, **env), stdout=out, stderr=out
        )
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"import_articles failed ({os.waitstatus_to_exitcode(status)}); see {log_file}")
    summary = log_file.read_text().strip().splitlines()[-1:]
    return {
        "articles": count,
        "seconds": round(seconds, 2),
        "articles_per_s": round(count / seconds, 1),
        "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),  # Linux reports KiB
        "summary": summary[0] if summary else "",
    }


def measure_import(db: str, folder: Path, count: int, work: Path, **env) -> dict:
    """Import `folder` into a fresh database."""
    fresh_database(db)
    manage(db, "migrate", "--noinput")
    log(f"importing {count:,} articles into {db} {' '.join(f'{k}={v}' for k, v in env.items())}")
    return run_import(db, folder, count, work / f"import-{db}.log", **env)


def measure_reimport(db: str, folder: Path, count: int, work: Path) -> dict:
    """Import the same files again: every one is unchanged."""
    log(f"re-importing the same {count:,} files into {db}")
    return run_import(db, folder, count, work / f"reimport-{db}.log")


def measure_copy(db: str, folder: Path, count: int, suffix: str) -> dict:
    """A raw COPY of the same titles and bodies (read from the same files) into a scratch table."""
    with psycopg.connect(database_url(db)) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_copy")
        conn.execute("CREATE TABLE bench_copy (title text, body text)")
        conn.commit()
        started = time.perf_counter()
        with conn.cursor().copy("COPY bench_copy (title, body) FROM STDIN") as copy:
            for path in sorted(folder.rglob(f"*{suffix}")):
                copy.write_row(corpus.title_and_body(path))
        conn.commit()
        seconds = time.perf_counter() - started
        conn.execute("DROP TABLE bench_copy")
        conn.commit()
    return {"articles": count, "seconds": round(seconds, 2), "articles_per_s": round(count / seconds, 1)}


def database_size(db: str, count: int) -> dict:
    """The database's size on disk (tables, indexes, TOAST), in all and per article."""
    with psycopg.connect(database_url(db), autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    return {"bytes": size, "bytes_per_article": round(size / count), "gib": round(size / 2**30, 2)}
