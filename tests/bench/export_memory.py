"""Time and peak memory of `import_export` and `export` as a site grows (docs/export.md): a
synthetic export of N articles (with publishers, members and a comment on every tenth article) is
loaded into a fresh database on the embedded server, and that site exported again.

    .venv/bin/python -m tests.bench.export_memory 2000 20000

Peak memory is /usr/bin/time's maximum resident size of each command.
"""

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

from newsreader import embedded

ROOT = Path(__file__).resolve().parent.parent.parent
WORDS = "the talks on the border went on late into the night while ministers weighed the grain corridor".split()


def paragraph(number: int, length: int = 60) -> str:
    return " ".join(WORDS[(number + i) % len(WORDS)] for i in range(length)).capitalize() + "."


def synthetic_export(path: Path, articles: int) -> None:
    with path.open("w") as out:
        def line(record):
            out.write(json.dumps(record, separators=(",", ":")) + "\n")

        counts = {"publisher": 10, "member": articles // 100 + 1, "article": articles, "comment": articles // 10}
        line({"format": "newsreader-export", "version": 1, "exported_at": "2026-12-01T00:00:00+00:00", "with_credentials": False})
        for n in range(1, 11):
            line({"kind": "publisher", "id": n, "name": f"Publisher {n}", "site_url": "", "country": None, "language": "en",
                  "description": ""})
        for n in range(counts["member"]):
            line({"kind": "member", "id": n + 1, "username": f"member{n}", "email": f"member{n}@example.org",
                  "first_name": "", "last_name": "", "is_active": True, "is_staff": False, "is_superuser": False,
                  "date_joined": "2026-01-01T00:00:00+00:00", "last_login": None, "comment_ban": None,
                  "membership": {"plan": "trial", "starts_at": "2026-01-01T00:00:00+00:00",
                                 "ends_at": "2027-01-01T00:00:00+00:00", "reminded_at": None}})
        for n in range(1, articles + 1):
            free = [paragraph(n + i) for i in range(2)]
            members = [paragraph(n + i) for i in range(2, 8)]
            day = f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T{n % 24:02d}:00:00+00:00"
            line({"kind": "article", "id": n, "title": f"Article {n}", "slug": f"article-{n}", "dek": "", "excerpt": free[0][:200],
                  "author": "", "guid": "", "access": "members", "language": "en",
                  "free_html": "\n".join(f"<p>{p}</p>" for p in free), "members_html": "\n".join(f"<p>{p}</p>" for p in members),
                  "free_text": "\n\n".join(free), "members_text": "\n\n".join(members), "stripped_chrome": "",
                  "content_hash": f"{n:064x}", "url": f"https://example.org/{n}", "publisher": 1 + n % 10,
                  "published_at": day, "published_at_is_import_time": False, "language_detected": False,
                  "source_truncated": False, "is_link": False, "text_from_page": False, "reading_minutes": 2,
                  "comment_count": int(n % 10 == 0), "created_at": day, "updated_at": day,
                  "countries": [{"code": "fr", "mentions": 1, "origin": "tagger"}], "actors": [],
                  "story": {"id": None, "pinned": False, "features": ["c:fr"], "duplicate_of": None}})
        for n in range(1, counts["comment"] + 1):
            line({"kind": "comment", "id": n, "article": n * 10, "author": f"member{n % counts['member']}", "parent": None,
                  "body": "A comment.", "body_html": "A comment.", "created_at": "2026-12-01T00:00:00+00:00",
                  "edited_at": None, "hidden": False})
        line({"kind": "end", "counts": counts})


def measured(args: list[str], env: dict) -> tuple[float, int]:
    started = time.monotonic()
    result = subprocess.run(["/usr/bin/time", "-v", sys.executable, "manage.py", *args], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    peak_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr)[1])
    return time.monotonic() - started, peak_kb // 1024


def main() -> None:
    socket = embedded.socket_dir()
    for articles in map(int, sys.argv[1:] or ["2000", "20000"]):
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder) / "in.jsonl"
            synthetic_export(source, articles)
            with psycopg.connect(host=socket, user=embedded.USER, dbname="postgres", autocommit=True) as conn:
                conn.execute("DROP DATABASE IF EXISTS bench_export WITH (FORCE)")
                conn.execute("CREATE DATABASE bench_export")
            env = os.environ | {"DATABASE_URL": f"postgres://{embedded.USER}@/bench_export?host={socket}"}
            subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
            load_time, load_mb = measured(["import_export", str(source)], env)
            export_time, export_mb = measured(["export", str(Path(folder) / "out.jsonl")], env)
            size = (Path(folder) / "out.jsonl").stat().st_size // 2**20
            print(f"{articles:,} articles, {size} MB: import_export {load_time:.0f} s, {load_mb} MB; "
                  f"export {export_time:.0f} s, {export_mb} MB", flush=True)
            with psycopg.connect(host=socket, user=embedded.USER, dbname="postgres", autocommit=True) as conn:
                conn.execute("DROP DATABASE bench_export WITH (FORCE)")


if __name__ == "__main__":
    main()
