"""`make bench BENCH_MODE=cluster`: the scaled-out shape (newsreader/cluster.py) under load, through
haproxy, three web nodes against one; the share of database transactions the replicas served; the
replicas' lag meanwhile. Prints a table and writes bench/cluster-results.json.

The cluster runs on a database of its own (.bench/cluster/), seeded with BENCH_CLUSTER_N articles
(default 2000) of the bench corpus. Each web node is one gunicorn process (WEB_CONCURRENCY=1, two
threads), so "one node" is one process and "three nodes" three, on this machine's cores.
Knobs: BENCH_SECONDS (per run, 10), BENCH_CONNECTIONS (16), BENCH_CLUSTER_N, BENCH_PORT (8070).
"""

import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import psycopg

from newsreader.cluster import free_port

from . import corpus
from .load import run_wrk
from .run import PYTHON, ROOT, WORK, log, machine, probe

N = int(os.environ.get("BENCH_CLUSTER_N", "2000"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
PORT = int(os.environ.get("BENCH_PORT", "8070"))
DIR = WORK / "cluster"
RESULT_PATH = ROOT / "bench" / "cluster-results.json"
PAGES = [  # (name, path, as the member, every request a search no one made before)
    ("article (anonymous)", "/articles/{slug}/", False, False),
    ("list (anonymous)", "/", False, False),
    ("article (member)", "/articles/{slug}/", True, False),
    ("search (member, each new)", f"/search/?q={corpus.COMMON_WORD}", True, True),
]
TRANSACTIONS = "SELECT xact_commit FROM pg_stat_database WHERE datname = 'newsreader'"
ONE_NODE = """global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
frontend web
    bind 127.0.0.1:{port}
    default_backend node
backend node
    server web_1 127.0.0.1:{node}
"""


def start_cluster(env: dict) -> tuple[subprocess.Popen, dict]:
    process = subprocess.Popen([PYTHON, "-m", "newsreader.cluster"], cwd=ROOT, env=env,
                               stdout=(DIR / "cluster.out").open("w"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 900
    while not (DIR / "cluster.json").exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=120)
            raise SystemExit(f"the cluster did not start; see {DIR / 'cluster.out'}")
        time.sleep(0.5)
    return process, json.loads((DIR / "cluster.json").read_text())


def transactions(state: dict) -> dict:
    """Committed transactions so far on the primary and on each replica (PostgreSQL's own counters,
    which a backend reports within about 10 s of going idle)."""
    socket_dir = (Path(os.environ.get("NEWSREADER_PGDATA", DIR / "pgdata")) / "postmaster.pid").read_text().splitlines()[4]
    counts = {}
    for name, host in [("primary", socket_dir), *((r["name"], r["dir"]) for r in state["replicas"])]:
        with psycopg.connect(host=host, user="postgres", dbname="newsreader", autocommit=True) as conn:
            counts[name] = conn.execute(TRANSACTIONS).fetchone()[0]
    return counts


def watch_lag(url: str, stop: threading.Event, seen: dict) -> None:
    while not stop.wait(0.5):
        try:
            with urllib.request.urlopen(f"{url}/healthz?detail=1", timeout=5) as response:
                for replica in json.load(response)["replicas"]:
                    if replica["lag_seconds"] is not None:
                        seen.setdefault(replica["name"], []).append(replica["lag_seconds"])
        except OSError:
            pass


def measure(base: str, slug: str, cookie: str, state: dict | None) -> list[dict]:
    rows = []
    for name, path, as_member, fresh in PAGES:
        url = base + path.format(slug=slug)
        status, held = probe(url, cookie if as_member else "")
        if status != 200:
            raise SystemExit(f"{url} answered {status}")
        run_wrk(url, seconds=1, connections=CONNECTIONS, cookie=held if as_member else "", fresh=fresh)
        before = transactions(state) if state else None
        lags, stop = {}, threading.Event()
        watcher = threading.Thread(target=watch_lag, args=(base, stop, lags))
        watcher.start()
        result = run_wrk(url, seconds=SECONDS, connections=CONNECTIONS, cookie=held if as_member else "", fresh=fresh)
        stop.set()
        watcher.join()
        row = {"page": name, "path": path} | result
        if state:
            time.sleep(11)  # every backend has reported its counts
            after = transactions(state)
            spent = {place: after[place] - before[place] for place in after}
            row["transactions"] = spent
            row["replica_share"] = round(sum(v for k, v in spent.items() if k != "primary") / max(sum(spent.values()), 1), 3)
            row["replica_lag_max_s"] = {name: max(values) for name, values in lags.items()}
        log(f"{base} {name}: {result['rps']} req/s, p99 {result['p99_ms']} ms, errors {result['errors']}")
        rows.append(row)
    return rows


def main() -> None:
    DIR.mkdir(parents=True, exist_ok=True)
    for leftover in ["cluster.json"]:
        (DIR / leftover).unlink(missing_ok=True)
    env = os.environ | {
        "NEWSREADER_PGDATA": str(DIR / "pgdata"), "NEWSREADER_CLUSTER_DIR": str(DIR), "PORT": str(PORT),
        "DEBUG": "0", "NEWSREADER_HTTPS": "0", "ALLOWED_HOSTS": "127.0.0.1", "WEB_CONCURRENCY": "1",
        "NEWSREADER_LOGIN_FAILURES_PER_ADDRESS": "1000",
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    folder = corpus.generate(WORK / f"corpus-stories-{N}", N)
    load_before = round(os.getloadavg()[0], 2)
    process, state = start_cluster(env)
    one_node = None
    try:
        log(f"importing {N:,} articles into the cluster's primary")
        subprocess.run([PYTHON, "manage.py", "import_articles", str(folder)], cwd=ROOT, check=True,
                       env=env | {"DATABASE_REPLICA_URLS": ""}, capture_output=True)
        base = f"http://127.0.0.1:{PORT}"
        cookie = member_cookie(base)
        with urllib.request.urlopen(f"{base}/") as response:
            slug = response.read().decode().split('href="/articles/', 1)[1].split("/", 1)[0]
        three = measure(base, slug, cookie, state)
        one_port = free_port()
        (DIR / "one-node.cfg").write_text(ONE_NODE.format(port=one_port, node=state["nodes"][0]["port"]))
        one_node = subprocess.Popen(["haproxy", "-db", "-f", str(DIR / "one-node.cfg")], stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        one = measure(f"http://127.0.0.1:{one_port}", slug, cookie, None)
    finally:
        if one_node:
            one_node.terminate()
            one_node.wait()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=120)
    results = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "machine": machine(), "articles": N,
        "load_average": [load_before, round(os.getloadavg()[0], 2)],
        "note": "a shared 2-core machine: other work ran meanwhile; three nodes share the cores one node has",
        "load": {"tool": "wrk", "connections": CONNECTIONS, "seconds": SECONDS},
        "three_nodes": three, "one_node": one,
    }
    RESULT_PATH.parent.mkdir(exist_ok=True)
    RESULT_PATH.write_text(json.dumps(results, indent=2) + "\n")
    print(f"\n{'page':<28} {'3 nodes req/s':>13} {'p99 ms':>7} {'err':>4} {'1 node req/s':>12} {'p99 ms':>7} {'err':>4}"
          f" {'replica share':>13} {'max lag s':>10}")
    for row3, row1 in zip(three, one, strict=True):
        lag = max(row3["replica_lag_max_s"].values(), default=0)
        print(f"{row3['page']:<28} {row3['rps']:>13.0f} {row3['p99_ms']:>7.1f} {row3['errors']:>4} {row1['rps']:>12.0f} "
              f"{row1['p99_ms']:>7.1f} {row1['errors']:>4} {row3['replica_share']:>13.0%} {lag:>10.3f}")
    log(f"wrote {RESULT_PATH.relative_to(ROOT)}")


def member_cookie(base: str) -> str:
    """A member signed up through the proxy: their session and CSRF cookies."""
    import requests

    session = requests.Session()
    session.get(f"{base}/accounts/signup/")
    password = "a-bench-member-password"
    session.post(f"{base}/accounts/signup/", data={
        "username": f"bench-{int(time.time())}", "email": f"bench-{int(time.time())}@example.org",
        "password1": password, "password2": password, "csrfmiddlewaretoken": session.cookies["csrftoken"]})
    assert "sessionid" in session.cookies, "the bench member was not signed in"
    return "; ".join(f"{name}={value}" for name, value in session.cookies.items())


if __name__ == "__main__":
    sys.exit(main())
