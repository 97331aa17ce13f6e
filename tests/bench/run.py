"""`make bench`: import speed and memory, raw COPY for comparison, and HTTP load on every page
against a bare Django view, all in one run on this machine; prints a table and writes
bench-results.json (and bench/results.json, the same).

Everything runs on loopback against its own databases (newsreader_bench*), never the dev one.
Knobs (environment): BENCH_N (articles, default 100000), BENCH_SECONDS (per load run, 10),
BENCH_ROUNDS (alternating hello/page runs per page, 3), BENCH_CONNECTIONS (16), BENCH_PORT (8070);
BENCH_REUSE=1 loads the database the last run imported (its import figures are reported again),
BENCH_PAGES=list,member loads only the pages whose names contain one of those words,
BENCH_CORPUS=mixed makes half the corpus articles in eight other languages (tests/bench/languages.py).
"""

import datetime as dt
import http.cookies
import json
import os
import platform
import secrets
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from statistics import median

from . import corpus, languages
from .databases import PYTHON, ROOT, drop_database, env_for, log, manage
from .imports import database_size, measure_copy, measure_import, measure_reimport
from .load import run_wrk
from .targets import RECORD_ONLY, evaluate

WORK = ROOT / ".bench"
N = int(os.environ.get("BENCH_N", "100000"))
SMALL_N = min(corpus.PER_FOLDER, N // 10)
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PORT = int(os.environ.get("BENCH_PORT", "8070"))
# Each size its own databases and figures, so that a million and 100,000 can be compared side by side.
DB, SMALL_DB, UNGROUPED_DB = f"newsreader_bench_{N}", "newsreader_bench_small", "newsreader_bench_ungrouped"
DATA_FILE = WORK / f"data-{N}.json"
# The same corpus imported without grouping into stories, for what grouping costs (at 100,000; at a
# million it would double the run's longest part).
UNGROUPED = os.environ.get("BENCH_UNGROUPED", "1" if N <= 100_000 else "0") == "1"
# Importing the same files again (all unchanged), at 100,000 (at a million it would add a quarter hour).
REIMPORT = os.environ.get("BENCH_REIMPORT", "1" if N <= 100_000 else "0") == "1"
# Another size's results (bench/results-N.json) to hold each figure against: within 20%.
COMPARE_N = int(os.environ.get("BENCH_COMPARE_N", "100000" if N > 100_000 else "0"))
ONLY_PAGES = [name for name in os.environ.get("BENCH_PAGES", "").split(",") if name]
RESULT_PATHS = [ROOT / "bench-results.json", ROOT / "bench" / "results.json", ROOT / "bench" / f"results-{N}.json"]
MIXED = os.environ.get("BENCH_CORPUS") == "mixed"
CORPUS_NAME, TEXT, SUFFIX = (
    ("corpus-mixed", languages.article_text, ".txt") if MIXED else ("corpus-stories", corpus.story_text, ".md")
)

# (name, path, as the signed-in member); {slug} is the article seed.py picked.
PAGES = [
    ("list", "/", False),
    ("list page 500", "/?page=500", False),
    ("list page 5000", "/?page=5000", False),
    ("article (anonymous)", "/articles/{slug}/", False),
    ("article (member)", "/articles/{slug}/", True),
    ("search (common word)", f"/search/?q={corpus.COMMON_WORD}", False),
    ("search (rare word)", f"/search/?q={corpus.RARE_WORD}", False),
    # A member's search is kept per audience (every active member gets the same results).
    ("search (common word, member)", f"/search/?q={corpus.COMMON_WORD}", True),
    ("search (rare word, member)", f"/search/?q={corpus.RARE_WORD}", True),
    # What a search no one has made before costs a member: every request its own (report.lua).
    ("search (common word, member, each new)", f"/search/?q={corpus.COMMON_WORD}", True),
    ("search (phrase)", f"/search/?q=%22{corpus.COMMON_WORD}+in%22", False),
    ("search (filtered)", f"/search/?q={corpus.COMMON_WORD}&country=ru&since=2026-06-01&until=2026-09-30", False),
    ("country", "/countries/ru/", False),
    ("relation", "/countries/cn/ru/", False),
    ("stories", "/stories/", False),
    ("story", "/stories/{story_slug}/", False),
    ("desk (member)", "/desk/", True),
]


# --- servers and load ------------------------------------------------------------------------

def start_gunicorn(name: str, port: int, env: dict) -> subprocess.Popen:
    log_file = (WORK / f"gunicorn-{name}.log").open("w")
    process = subprocess.Popen(
        [str(Path(PYTHON).with_name("gunicorn")), "newsreader.wsgi", "--config", "newsreader/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=log_file, stderr=log_file,
    )
    for _ in range(300):
        if process.poll() is not None:
            raise SystemExit(f"gunicorn ({name}) exited; see {log_file.name}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            return process
        except urllib.error.HTTPError:
            return process  # it answers
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise SystemExit(f"gunicorn ({name}) did not answer on port {port}")


def probe(url: str, cookie: str) -> tuple[int, str]:
    """The page's status, and the cookies a browser would send from then on: `cookie` with what
    the page set added (the member's CSRF cookie, set on their first page)."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        response = urllib.request.urlopen(request, timeout=900)  # a first rendering, cold, at a million articles
    except urllib.error.HTTPError as error:
        return error.code, cookie
    jar = http.cookies.SimpleCookie()
    for header in response.headers.get_all("Set-Cookie") or []:
        jar.load(header)
    held = dict(part.split("=", 1) for part in cookie.split("; ") if part) | {k: v.value for k, v in jar.items()}
    return response.status, "; ".join(f"{name}={value}" for name, value in held.items())


def load_pages(seeded: dict, base: str, hello: str) -> list[dict]:
    rows = []
    for name, path, as_member in PAGES:
        if ONLY_PAGES and not any(only in name for only in ONLY_PAGES):
            continue
        url = base + path.format(slug=seeded["article_slug"], story_slug=seeded.get("story_slug", ""))
        cookie = seeded["member_cookie"] if as_member else ""
        fresh = name.endswith(RECORD_ONLY)  # every request a new search
        status, cookie = probe(url, cookie)
        if status == 404:
            rows.append({"page": name, "path": path, "status": "not yet available"})
            continue
        if status != 200:
            rows.append({"page": name, "path": path, "status": f"HTTP {status}"})
            continue
        log(f"loading {name}: {ROUNDS} round(s) of {SECONDS}s, alternating with hello")
        run_wrk(url, seconds=1, connections=CONNECTIONS, cookie=cookie, fresh=fresh)  # warm up
        pages, hellos = [], []
        for _ in range(ROUNDS):
            hellos.append(run_wrk(hello, seconds=SECONDS, connections=CONNECTIONS))
            pages.append(run_wrk(url, seconds=SECONDS, connections=CONNECTIONS, cookie=cookie, fresh=fresh))
        # Medians: a round now and then runs slow, hello and pages alike (it was mostly one gunicorn
        # worker holding every connection, before reuse_port); a median of three is not moved by one.
        rows.append({
            "page": name, "path": path, "status": "measured",
            "rps": round(median(r["rps"] for r in pages), 1),
            "p50_ms": round(median(r["p50_ms"] for r in pages), 2),
            "p99_ms": median(r["p99_ms"] for r in pages),
            "errors": sum(r["errors"] for r in pages),
            "hello_rps": round(median(r["rps"] for r in hellos), 1),
            "ratio_to_hello": round(median(page["rps"] / hello["rps"] for page, hello in zip(pages, hellos, strict=True)), 3),
            "runs": pages, "hello_runs": hellos,
        })
    return rows


# --- report ----------------------------------------------------------------------------------

def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gib": round(memory_kib / 2**20, 1),
            "python": platform.python_version(), "kernel": platform.release()}


def print_table(results: dict) -> None:
    imp, small, copy = results["import"], results["import_small"], results["copy"]
    host = results["machine"]
    print(f"\nnewsreader bench — {results['date']} — {host['cpu']} ({host['cores']} cores), "
          f"load average {results['load_average'][0]} before, {results['load_average'][1]} after")
    if ungrouped := results.get("import_ungrouped"):
        print(f"import without grouping into stories: {ungrouped['articles_per_s']:,.0f} articles/s, "
              f"peak RSS {ungrouped['peak_rss_mib']} MiB")
    print(f"import {imp['articles']:,}: {imp['articles_per_s']:,.0f} articles/s, peak RSS {imp['peak_rss_mib']} MiB "
          f"({small['articles']:,}: {small['peak_rss_mib']} MiB); raw COPY {copy['articles_per_s']:,.0f}/s, "
          f"import/COPY {results['import_to_copy']:.1%}")
    if reimport := results.get("reimport"):
        print(f"re-import of the same files (all unchanged): {reimport['articles_per_s']:,.0f} articles/s, "
              f"peak RSS {reimport['peak_rss_mib']} MiB")
    if size := results.get("database_size"):
        print(f"database: {size['gib']} GiB, {size['bytes_per_article']:,} bytes per article")
    print(f"\n{'page':<30} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'errors':>6} {'hello/s':>8} {'ratio':>6}")
    for row in results["pages"]:
        if row["status"] != "measured":
            print(f"{row['page']:<30} {row['status']}")
            continue
        print(f"{row['page']:<30} {row['rps']:>8.0f} {row['p50_ms']:>7.1f} {row['p99_ms']:>7.1f} {row['errors']:>6} "
              f"{row['hello_rps']:>8.0f} {row['ratio_to_hello']:>6.1%}")
    print(f"\n{'target':<66} {'measured':>12}  ")
    for target in results["targets"]:
        print(f"{target['target']:<66} {target['measured']:>12}  {target['verdict']}")


def prepare_data(secret_key: str) -> dict:
    """Corpus, imports, COPY, members, comments and follows; what they measured, kept in DATA_FILE."""
    log(f"corpus of {N:,} articles in {WORK / f'{CORPUS_NAME}-{N}'}")
    folder = corpus.generate(WORK / f"{CORPUS_NAME}-{N}", N, TEXT, SUFFIX)
    # The flat-memory check imports a tenth (at most the first folder of 10,000) on its own.
    small_folder = (
        folder / "000" if SMALL_N == corpus.PER_FOLDER
        else corpus.generate(WORK / f"{CORPUS_NAME}-{SMALL_N}", SMALL_N, TEXT, SUFFIX)
    )
    small = measure_import(SMALL_DB, small_folder, SMALL_N, WORK)
    drop_database(SMALL_DB)
    ungrouped = None
    if UNGROUPED:
        ungrouped = measure_import(UNGROUPED_DB, folder, N, WORK, NEWSREADER_GROUP_STORIES_AT_IMPORT="0")
        drop_database(UNGROUPED_DB)
    imported = measure_import(DB, folder, N, WORK)
    reimported = measure_reimport(DB, folder, N, WORK) if REIMPORT else None
    log("raw COPY of the same titles and bodies")
    copied = measure_copy(DB, folder, N, SUFFIX)
    log("members, comments and follows")
    seeded = json.loads(manage(DB, "shell", "--no-imports", "-c",
                               "import json; from tests.bench import seed; print(json.dumps(seed.main()))",
                               SECRET_KEY=secret_key))
    data = {"articles": N, "secret_key": secret_key, "import": imported, "import_small": small,
            "import_ungrouped": ungrouped, "reimport": reimported, "copy": copied, "seeded": seeded,
            "database_size": database_size(DB, N)}
    DATA_FILE.write_text(json.dumps(data))
    return data


def main() -> None:
    WORK.mkdir(exist_ok=True)
    started = dt.datetime.now(dt.UTC)
    load_before = round(os.getloadavg()[0], 2)
    if os.environ.get("BENCH_REUSE") == "1" and DATA_FILE.exists():
        data = json.loads(DATA_FILE.read_text())
        log(f"reusing the {data['articles']:,} articles imported by the last run (BENCH_REUSE=1)")
    else:
        data = prepare_data(secrets.token_urlsafe(50))
    server_env = env_for(DB, DEBUG="0", SECRET_KEY=data["secret_key"], NEWSREADER_HTTPS="0",
                         ALLOWED_HOSTS="127.0.0.1", DJANGO_SETTINGS_MODULE="newsreader.settings")
    project = start_gunicorn("project", PORT, server_env)
    hello = start_gunicorn("hello", PORT + 1, server_env | {"DJANGO_SETTINGS_MODULE": "tests.bench.hello"})
    try:
        pages = load_pages(data["seeded"], f"http://127.0.0.1:{PORT}", f"http://127.0.0.1:{PORT + 1}/")
    finally:
        for process in (project, hello):
            process.terminate()
            process.wait(timeout=30)
    imported, copied = data["import"], data["copy"]
    results = {
        "date": started.isoformat(timespec="seconds"), "machine": machine(), "articles": data["articles"],
        # Other work on the machine skews every figure: the 1-minute load average before and after.
        "load_average": [load_before, round(os.getloadavg()[0], 2)],
        "load": {"tool": "wrk", "connections": CONNECTIONS, "seconds": SECONDS, "rounds": ROUNDS},
        "gunicorn": {k: os.environ.get(k, "") for k in ("WEB_CONCURRENCY", "GUNICORN_THREADS")},
        "import": imported, "import_small": data["import_small"], "import_ungrouped": data.get("import_ungrouped"),
        "reimport": data.get("reimport"), "database_size": data.get("database_size"), "copy": copied,
        "import_to_copy": round(imported["articles_per_s"] / copied["articles_per_s"], 3), "mixed_languages": MIXED,
        "comments": data["seeded"]["comments"], "pages": pages,
    }
    compared = ROOT / "bench" / f"results-{COMPARE_N}.json"
    results["compared_with"] = str(compared.relative_to(ROOT)) if COMPARE_N and compared.exists() else None
    results["targets"] = evaluate(results, json.loads(compared.read_text()) if results["compared_with"] else None)
    for path in RESULT_PATHS:
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(results, indent=2) + "\n")
    print_table(results)
    log(f"wrote {', '.join(str(p.relative_to(ROOT)) for p in RESULT_PATHS)}")


if __name__ == "__main__":
    main()
