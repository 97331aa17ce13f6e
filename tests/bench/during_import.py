"""`make bench BENCH_MODE=import`: readers during an import. While a back catalogue of
BENCH_IMPORT_N articles (100,000; older than the archive) imports into a copy of the BENCH_N
archive that `make bench` prepared, anonymous and member pages are loaded one after another, as
long as the import lasts; and a new article imported meanwhile (dated now) must show on the list
to anonymous readers within BENCH_NEW_BOUND seconds (5) of its import command's end. Then the
same while an admin's upload (a .zip of BENCH_ADMIN_IMPORT_N more, 20,000) is imported by the
task queue's worker.

Each load run is held to p99 < 100 ms and no errors; the import's rate is reported beside the
rate of the same import on a quiet machine (the `import` figure of results-N.json's run).
Writes bench/import-load-N.json and prints a table.
"""

import datetime as dt
import http.cookiejar
import json
import os
import re
import subprocess
import time
import urllib.request
import uuid
import zipfile
from collections.abc import Callable
from pathlib import Path

import psycopg

from . import corpus
from .databases import PYTHON, ROOT, database_url, drop_database, env_for, log, manage
from .imports import run_import
from .load import run_wrk
from .run import CONNECTIONS, DATA_FILE, DB, PORT, WORK, N, machine, probe, start_gunicorn

IMPORT_N = int(os.environ.get("BENCH_IMPORT_N", "100000"))
ADMIN_IMPORT_N = int(os.environ.get("BENCH_ADMIN_IMPORT_N", "20000"))
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


def load_while(importing: Callable[[], bool], base: str, seeded: dict, channel: str) -> list[dict]:
    """Load each page in turn, SECONDS at a time, as long as `importing()`."""
    runs, cookies = [], {}
    for name, path, as_member in PAGES:
        _, cookies[name] = probe(base + path.format(slug=seeded["article_slug"]),
                                 seeded["member_cookie"] if as_member else "")
    while importing():
        for name, path, _ in PAGES:
            if not importing():
                break
            url = base + path.format(slug=seeded["article_slug"])
            run = run_wrk(url, seconds=SECONDS, connections=CONNECTIONS, cookie=cookies[name])
            runs.append({"page": name, "import": channel} | run)
            log(f"{channel}: {name}: p99 {run['p99_ms']} ms, {run['rps']} req/s, {run['errors']} errors")
    return runs


STAFF = """
from django.contrib.auth import get_user_model
from django.conf import settings
from django.test import Client
admin = get_user_model().objects.create_superuser("bench-admin", "admin@example.org", None)
client = Client()
client.force_login(admin)
print(f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}")
"""


def upload_as_admin(base: str, session: str, archive: Path) -> None:  # session: "name=value"
    """The admin import page's form, as a browser posts it: a .zip too large to import while the page waits."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.addheaders = [("Cookie", session)]
    page = opener.open(f"{base}/admin/articles/article/import/", timeout=60).read().decode()
    if 'name="files"' not in page:
        raise SystemExit("the admin import page did not open for the bench's admin")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]
    csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n{token}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{archive.name}"\r\n'
            f"Content-Type: application/zip\r\n\r\n").encode() + archive.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(f"{base}/admin/articles/article/import/", data=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Cookie": f"{session}; csrftoken={csrf}",
        "Referer": f"{base}/admin/articles/article/import/"})
    with urllib.request.urlopen(request, timeout=300) as response:
        answer = response.read().decode()
    if "errorlist" in answer:
        raise SystemExit(f"the admin import page refused the upload: {re.findall(r'<ul class=.errorlist.*?</ul>', answer)}")


def run_status() -> str:
    with psycopg.connect(database_url(COPY)) as conn:
        row = conn.execute("SELECT status FROM articles_importrun WHERE channel = 'admin' ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else "none"


def admin_phase(base: str, data: dict) -> tuple[list[dict], float]:
    """An admin's .zip, imported by the task queue's worker while readers load pages."""
    folder = corpus.generate(WORK / f"back-catalogue-{N + IMPORT_N}-{ADMIN_IMPORT_N}", ADMIN_IMPORT_N,
                             corpus.back_catalogue(N + IMPORT_N))
    archive = WORK / f"back-catalogue-{ADMIN_IMPORT_N}.zip"
    if not archive.exists():
        with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as written:
            for path in sorted(folder.rglob("*.md")):
                written.write(path, path.relative_to(folder))
    session = manage(COPY, "shell", "--no-imports", "-c", STAFF, SECRET_KEY=data["secret_key"]).strip().splitlines()[-1]
    worker = subprocess.Popen([PYTHON, "manage.py", "procrastinate", "worker"], cwd=ROOT, env=env_for(COPY),
                              stdout=subprocess.DEVNULL, stderr=(WORK / "import-load-worker.log").open("w"))
    try:
        started = time.perf_counter()
        upload_as_admin(base, session, archive)
        log(f"an admin uploaded {ADMIN_IMPORT_N:,} articles ({archive.stat().st_size / 2**20:.0f} MiB zipped)")
        runs = load_while(lambda: run_status() in ("queued", "running"), base, data["seeded"], "admin upload, worker")
        while run_status() in ("queued", "running"):
            time.sleep(0.5)
        seconds = time.perf_counter() - started
        if run_status() != "done":
            raise SystemExit(f"the admin's import ended {run_status()}; see {WORK / 'import-load-worker.log'}")
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    return runs, seconds


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
        runs = load_while(lambda: importing.poll() is None, base, data["seeded"], "command")
        import_seconds = time.perf_counter() - import_started
        if importing.wait() != 0:
            raise SystemExit(f"the back catalogue's import failed; see {import_log}")
        admin_runs, admin_seconds = admin_phase(base, data)
        runs += admin_runs
    finally:
        server.terminate()
        server.wait(timeout=30)
        drop_database(COPY)
    quiet = data["import"]
    results = {
        "date": started.isoformat(timespec="seconds"), "machine": machine(), "archive": N, "imported": IMPORT_N,
        "import_seconds": round(import_seconds, 1), "import_per_s": round(IMPORT_N / import_seconds, 1),
        "quiet_import_per_s": quiet["articles_per_s"], "new_article_listed_after_s": listed_after,
        "admin_imported": ADMIN_IMPORT_N, "admin_import_per_s": round(ADMIN_IMPORT_N / admin_seconds, 1),
        "new_article_bound_s": NEW_BOUND, "runs": runs,
    }
    out = ROOT / "bench" / f"import-load-{N}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\nreaders during an import of {IMPORT_N:,} articles into {N:,}: the import ran at "
          f"{results['import_per_s']:,.0f}/s (quiet: {quiet['articles_per_s']:,.0f}/s); an admin's upload of "
          f"{ADMIN_IMPORT_N:,} through the worker at {results['admin_import_per_s']:,.0f}/s")
    print(f"{'import':<22} {'page':<24} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6}")
    for run in runs:
        print(f"{run['import']:<22} {run['page']:<24} {run['rps']:>8.0f} {run['p50_ms']:>7.1f} {run['p99_ms']:>7.1f} "
              f"{run['errors']:>6}")
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
