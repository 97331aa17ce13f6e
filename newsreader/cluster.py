"""`make cluster`: the scaled-out shape on one machine (docs/scaling.md).

The checkout's embedded PostgreSQL as the primary; two streaming replicas of it, from the same
wheel (pg_basebackup); a Redis of its own on a Unix socket; three web nodes (gunicorn processes,
sharing nothing but the databases and Redis, as if on machines of their own); a task queue worker; haproxy in
front on 127.0.0.1:PORT. It migrates and seeds, serves, and on SIGINT or SIGTERM stops all of it.

    python -m newsreader.cluster [--nodes 3] [--replicas 2] [--replica-delay SECONDS]

`--replica-delay` holds the last replica that many seconds behind the primary (PostgreSQL's
recovery_min_apply_delay), so that a read that misses a write shows every time (the cluster tests).
NEWSREADER_CLUSTER_DIR (default `.cluster/` in the checkout) holds the replicas, sockets, logs,
and `cluster.json`, which says what runs where once the proxy answers.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

from newsreader import embedded

BASE_DIR = embedded.BASE_DIR
PY = sys.executable
SLOT = "newsreader_replica_{}"


def cluster_dir() -> Path:
    return Path(os.environ.get("NEWSREADER_CLUSTER_DIR", BASE_DIR / ".cluster")).resolve()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _primary(sql: str, *params) -> list:
    import psycopg

    with psycopg.connect(host=embedded.socket_dir(), user=embedded.USER, dbname="postgres", autocommit=True) as conn:
        return conn.execute(sql, params).fetchall()


def replica_dir(number: int) -> Path:
    return cluster_dir() / f"replica_{number}"


def replica_url(number: int) -> str:
    return f"postgresql://{embedded.USER}@{quote(str(replica_dir(number)), safe='')}/{embedded.DBNAME}"


def start_replica(number: int) -> None:
    """Start a replica already made (its socket in its own folder)."""
    data = replica_dir(number)
    embedded.run("pg_ctl", "-w", "-t", "60", "-D", str(data), "-l", str(data / "log"), "-o", f"-h '' -k {data}", "start")


def stop_replica(number: int, mode: str = "fast") -> None:
    data = replica_dir(number)
    if (data / "postmaster.pid").exists():
        embedded.run("pg_ctl", "-w", "-D", str(data), "-m", mode, "stop", check=False)


def make_replica(number: int, delay: float = 0) -> None:
    """A fresh streaming replica of the primary: a base backup with its own replication slot."""
    data, slot = replica_dir(number), SLOT.format(number)
    stop_replica(number, "immediate")  # one left by a cluster that was killed
    _primary("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = %s", slot)
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    server = embedded._server(start=False)
    if server.system_user:
        shutil.chown(data, server.system_user, server.system_user)
    data.chmod(0o700)
    embedded.run("pg_basebackup", "-h", embedded.socket_dir(), "-U", embedded.USER, "-D", str(data),
        "-R", "-X", "stream", "-c", "fast", "-C", "-S", slot)
    # The wheel keeps the primary's socket (and its lock file) in the data folder: the copy has them.
    for leftover in [*data.glob(".s.PGSQL.*"), data / "log", data / ".handle_pids.json"]:
        leftover.unlink(missing_ok=True)
    if delay:
        with (data / "postgresql.auto.conf").open("a") as conf:
            conf.write(f"recovery_min_apply_delay = '{int(delay * 1000)}ms'\n")
    start_replica(number)


def drop_replicas(count: int) -> None:
    """Stop the replicas and drop their slots, so that the primary keeps no WAL for them."""
    for number in range(1, count + 1):
        stop_replica(number)
    for number in range(1, count + 1):
        for attempt in range(50):  # a stopped replica's WAL sender lets go of its slot a moment later
            try:
                _primary("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = %s",
                         SLOT.format(number))
                break
            except Exception as error:
                if attempt == 49:  # the next cluster drops it before it makes its replica
                    print(f"cluster: replication slot {number} left: {error}", file=sys.stderr)
                time.sleep(0.1)


HAPROXY = """global
    maxconn 4096
defaults
    mode http
    timeout connect 2s
    timeout client 60s
    timeout server 60s
    option forwardfor
    # A node that is gone: the request goes to another (a GET or HEAD even when it was sent
    # and the node died before answering; a POST only when it never reached one).
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout
frontend web
    bind 127.0.0.1:{port}
    # One id for a request in every log it passes through (newsreader/observability.py); the
    # client's own is replaced, so no one outside writes ids into our logs.
    http-request set-header X-Request-ID %[uuid()]
    http-request disable-l7-retry unless METH_GET || METH_HEAD
    default_backend nodes
backend nodes
    balance roundrobin
    http-response set-header X-Served-By %[srv_name]
    option httpchk
    http-check send meth GET uri /healthz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    # A busy node answers its check late rather than not at all; a dead one refuses at once.
    timeout check 10s
    default-server inter 1s fall 3 rise 2
{servers}
"""


class Cluster:
    def __init__(self, *, nodes: int, replicas: int, delay: float, port: int):
        self.nodes, self.replicas, self.delay, self.port = nodes, replicas, delay, port
        self.dir = cluster_dir()
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def env(self, **more) -> dict:
        return os.environ | {
            "REDIS_URL": f"unix://{self.dir / 'redis.sock'}",
            "DATABASE_REPLICA_URLS": ",".join(replica_url(n) for n in range(1, self.replicas + 1)),
            "NEWSREADER_BEHIND_PROXY": "1",
            "NEWSREADER_HTTPS": os.environ.get("NEWSREADER_HTTPS", "0"),
            "WEB_CONCURRENCY": os.environ.get("WEB_CONCURRENCY", "1"),
        } | more

    def spawn(self, name: str, args: list, env: dict | None = None) -> subprocess.Popen:
        log = (self.dir / f"{name}.log").open("ab")
        process = subprocess.Popen(args, cwd=BASE_DIR, env=env or self.env(), stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True)
        self.processes.append((name, process))
        return process

    def manage(self, *args: str) -> None:
        subprocess.run([PY, "manage.py", *args], cwd=BASE_DIR, env=self.env(DATABASE_REPLICA_URLS=""), check=True)

    def start(self) -> dict:
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "cluster.json").unlink(missing_ok=True)
        started = time.monotonic()
        embedded.socket_dir()  # the primary: the checkout's embedded server
        self.manage("migrate", "--noinput", "--verbosity", "0")
        self.manage("import_articles", "seeds/")
        for number in range(1, self.replicas + 1):
            make_replica(number, self.delay if number == self.replicas else 0)
        redis = shutil.which("redis-server") or "/usr/bin/redis-server"
        (self.dir / "redis.sock").unlink(missing_ok=True)
        self.spawn("redis", [redis, "--port", "0", "--unixsocket", str(self.dir / "redis.sock"), "--unixsocketperm", "700",
                             "--save", "", "--appendonly", "no"])
        nodes = []
        for number in range(1, self.nodes + 1):
            name, port = f"web_{number}", free_port()
            # Each node's workers add up their metrics in a folder of the node's own (scraped at its port).
            metrics = self.dir / f"{name}.metrics"
            metrics.mkdir(exist_ok=True)
            process = self.spawn(name, [str(Path(PY).parent / "gunicorn"), "newsreader.wsgi", "--config",
                                        "newsreader/gunicorn.conf.py", "--bind", f"127.0.0.1:{port}"],
                                 self.env(PROMETHEUS_MULTIPROC_DIR=str(metrics)))
            nodes.append({"name": name, "port": port, "pid": process.pid})
        worker = self.spawn("worker", [PY, "manage.py", "procrastinate", "worker"], self.env())
        servers = "\n".join(f"    server {node['name']} 127.0.0.1:{node['port']} check" for node in nodes)
        (self.dir / "haproxy.cfg").write_text(HAPROXY.format(port=self.port, servers=servers))
        haproxy = shutil.which("haproxy") or "/usr/sbin/haproxy"
        self.spawn("haproxy", [haproxy, "-db", "-f", str(self.dir / "haproxy.cfg")])
        for node in nodes:
            self.wait_for(f"http://127.0.0.1:{node['port']}/healthz")
        self.wait_for(f"http://127.0.0.1:{self.port}/healthz")
        state = {
            "port": self.port, "nodes": nodes, "worker": worker.pid, "redis": str(self.dir / "redis.sock"),
            "replicas": [{"name": f"replica_{n}", "dir": str(replica_dir(n)), "url": replica_url(n),
                          "delay_seconds": self.delay if n == self.replicas else 0} for n in range(1, self.replicas + 1)],
            "started_in_seconds": round(time.monotonic() - started, 1),
        }
        (self.dir / "cluster.json").write_text(json.dumps(state, indent=2))
        return state

    def wait_for(self, url: str, seconds: float = 60) -> None:
        deadline = time.monotonic() + seconds
        while True:
            self.check_alive()
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"cluster: {url} did not answer in {seconds} s; logs in {self.dir}")
            time.sleep(0.2)

    def check_alive(self) -> None:
        for name, process in self.processes:
            if process.poll() is not None:
                raise SystemExit(f"cluster: {name} exited ({process.returncode}); see {self.dir / (name + '.log')}")

    def stop(self) -> None:
        for _, process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for name, process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                print(f"cluster: {name} did not stop in 15 s: killed", file=sys.stderr)
                process.kill()
                process.wait()
        drop_replicas(self.replicas)
        try:
            embedded.stop()
        except subprocess.SubprocessError as error:
            print(f"cluster: the primary did not stop: {error}; see {embedded.DATA_DIR / 'log'}", file=sys.stderr)
        (self.dir / "cluster.json").unlink(missing_ok=True)


def _stop_on_signal(number, frame):
    raise KeyboardInterrupt


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m newsreader.cluster", description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--replica-delay", type=float, default=0, metavar="SECONDS")
    options = parser.parse_args(argv)
    cluster = Cluster(nodes=options.nodes, replicas=options.replicas, delay=options.replica_delay,
                      port=int(os.environ.get("PORT", "8000")))
    signal.signal(signal.SIGTERM, _stop_on_signal)
    signal.signal(signal.SIGINT, _stop_on_signal)
    try:
        state = cluster.start()
        print(f"cluster: {len(state['nodes'])} web nodes, {len(state['replicas'])} replicas, Redis, a worker, "
              f"started in {state['started_in_seconds']} s; serving on http://127.0.0.1:{cluster.port} (Ctrl-C stops it; "
              f"logs in {cluster.dir})", flush=True)
        while True:  # a node may die (the tests kill one): the proxy serves from the others
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        cluster.stop()
        print("cluster: stopped", flush=True)


if __name__ == "__main__":
    main()
