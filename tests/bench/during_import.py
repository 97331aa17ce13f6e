"""`make bench BENCH_MODE=import`: readers during an import. While a back catalogue of
BENCH_IMPORT_N articles (100,000; older than the archive) imports into a copy of the BENCH_N
archive that `make bench` prepared, anonymous and member pages are loaded one after another, as
long as the import lasts; and a new article imported meanwhile (dated now) must show on the list
to anonymous readers within BENCH_NEW_BOUND seconds (5) of its import command's end.

Each load run is held to p99 < 100 ms and no errors; the import's rate is reported beside the
rate of the same import on a quiet machine (the `import` figure of results-N.json's run).
Writes bench/import-load-N.json and prints a table.
"""

import datetime as dt
import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import psycopg

from . import corpus
from .databases import PYTHON, ROOT, database_url, drop_database, env_for, log
from .imports import run_import
from .load import run_wrk
from .run import CONNECTIONS, DATA_FILE, DB, PORT, WORK, N, machine, probe, start_gunicorn

IMPORT_N = int(os.environ.get("BENCH_IMPORT_N", "100000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
NEW_BOUND = float(os.environ.get("BENCH_NEW_BOUND", "5"))
P99_LIMIT_MS = 100
COPY = f"{DB}_import_load"
PAGES = [("list", "/", False), ("article (member)", "/articles/{slug}/", True),
         ("search (common word)", f"/search/?q={corpus.COMMON_WORD}", False), ("country", "/countries/ru/", False)]


def copy_archive() -> None:
    """The archive as `make bench` left it, copied (the import must not change the one compared)."""
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{COPY}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{COPY}" TEMPLATE "{DB}"')


def new_article(folder: Path) -> tuple[Path, str]:
    title = f"Harbour accord signed while the archive loads {int(time.time())}"
    now = dt.datetime.now(dt.UTC).isoformat(timespec="minutes")
    path = folder / "new-article.md"
    path.write_text(f'---\ntitle: "{title}"\nsource: The Dispatch\npublished: {now}\naccess: free\n---\n\n'
                    "Envoys signed the harbour accord. The government said so.\n")
    return path, title


def seconds_until_listed(base: str, title: str, started: float) -> float | None:
    """Poll the list as an anonymous reader until the title shows; seconds since `started`."""
    while time.monotonic() - started < 60:
        with urllib.request.urlopen(f"{base}/", timeout=30) as response:
            if title in response.read().decode():
                return round(time.monotonic() - started, 2)
        time.sleep(0.05)
    return None


def load_while(importing: subprocess.Popen, base: str, seeded: dict) -> list[dict]:
    """Load each page in turn, SECONDS at a time, until the import has ended."""
    runs, cookies = [], {}
    for name, path, as_member in PAGES:
        _, cookies[name] = probe(base + path.format(slug=seeded["article_slug"]),
                                 seeded["member_cookie"] if as_member else "")
    while importing.poll() is None:
        for name, path, _ in PAGES:
            if importing.poll() is not None:
                break
            url = base + path.format(slug=seeded["article_slug"])
            runs.append({"page": name} | run_wrk(url, seconds=SECONDS, connections=CONNECTIONS, cookie=cookies[name]))
            log(f"{name}: p99 {runs[-1]['p99_ms']} ms, {runs[-1]['rps']} req/s, {runs[-1]['errors']} errors")
    return runs


def main() -> None:
    if not DATA_FILE.exists():
        raise SystemExit(f"no archive of {N:,} articles: run `make bench BENCH_N={N}` first")
    data = json.loads(DATA_FILE.read_text())
    folder = corpus.generate(WORK / f"back-catalogue-{N}-{IMPORT_N}", IMPORT_N, corpus.back_catalogue(N))
    log(f"copying the archive of {N:,} articles")
    copy_archive()
    env = env_for(COPY, DEBUG="0", SECRET_KEY=data["secret_key"], NEWSREADER_HTTPS="0", ALLOWED_HOSTS="127.0.0.1",
                  DJANGO_SETTINGS_MODULE="newsreader.settings")
    server = start_gunicorn("import-load", PORT, env)
    base = f"http://127.0.0.1:{PORT}"
    started = dt.datetime.now(dt.UTC)
    try:
        log(f"importing a back catalogue of {IMPORT_N:,} articles while readers load pages")
        import_log = WORK / f"import-load-{N}.log"
        import_started = time.perf_counter()
        with import_log.open("w") as out:
            importing = subprocess.Popen([PYTHON, "manage.py", "import_articles", str(folder)], cwd=ROOT,
                                         env=env_for(COPY), stdout=out, stderr=out)
        time.sleep(SECONDS)  # well into the import
        path, title = new_article(WORK)
        run_import(COPY, path, 1, WORK / "import-load-new.log")
        listed_after = seconds_until_listed(base, title, time.monotonic())
        log(f"the new article was on the list {listed_after} s after its import command ended")
        runs = load_while(importing, base, data["seeded"])
        import_seconds = time.perf_counter() - import_started
        if importing.wait() != 0:
            raise SystemExit(f"the back catalogue's import failed; see {import_log}")
    finally:
        server.terminate()
        server.wait(timeout=30)
        drop_database(COPY)
    quiet = data["import"]
    results = {
        "date": started.isoformat(timespec="seconds"), "machine": machine(), "archive": N, "imported": IMPORT_N,
        "import_seconds": round(import_seconds, 1), "import_per_s": round(IMPORT_N / import_seconds, 1),
        "quiet_import_per_s": quiet["articles_per_s"], "new_article_listed_after_s": listed_after,
        "new_article_bound_s": NEW_BOUND, "runs": runs,
    }
    out = ROOT / "bench" / f"import-load-{N}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nreaders during an import of {IMPORT_N:,} articles into {N:,}: the import ran at "
          f"{results['import_per_s']:,.0f}/s (quiet: {quiet['articles_per_s']:,.0f}/s)")
    print(f"{'page':<24} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for run in runs:
        print(f"{run['page']:<24} {run['rps']:>8.0f} {run['p50_ms']:>7.1f} {run['p99_ms']:>7.1f} {run['errors']:>6}")
    worst = max((run["p99_ms"] for run in runs), default=None)
    errors = sum(run["errors"] for run in runs)
    listed = "not seen within 60 s" if listed_after is None else f"{listed_after} s"
    print(f"\nworst p99 {worst} ms (target < {P99_LIMIT_MS}), errors {errors} (target 0): "
          f"{'met' if worst is not None and worst < P99_LIMIT_MS and errors == 0 else 'MISSED'}")
    print(f"a new article on the list after {listed} (bound {NEW_BOUND} s): "
          f"{'met' if listed_after is not None and listed_after <= NEW_BOUND else 'MISSED'}")
    log(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
