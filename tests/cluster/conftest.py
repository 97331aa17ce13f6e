"""A cluster started as `make cluster` starts it (newsreader/cluster.py), on a database of its own,
with its last replica held 2 s behind the primary, so that a read that misses a write shows every
time. The tests talk to it through its proxy, as readers do, and look at its primary directly."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
import pytest
import requests

from newsreader.cluster import free_port

ROOT = Path(__file__).resolve().parent.parent.parent
REPLICA_DELAY = 2
# What this cluster is run with: limits the tests hold it to, and a small inline import.
SETTINGS = {
    "NEWSREADER_COMMENTS_PER_MINUTE": "5",
    "NEWSREADER_LOGIN_FAILURES_PER_USER": "5",
    "NEWSREADER_LOGIN_FAILURES_PER_ADDRESS": "50",
    "NEWSREADER_IMPORT_INLINE_BYTES": "20000",
    "NEWSREADER_PAGE_CACHE_RECHECK": "1",
    "DEBUG": "1",  # static files from the finders, without collectstatic
    "NEWSREADER_HTTPS": "0",
    "LOG_LEVEL": "WARNING",
}
PASSWORD = "a-cluster-test-password"


def pytest_collection_modifyitems(items):
    """Tests that break part of the cluster (a node killed) run last."""
    items.sort(key=lambda item: item.get_closest_marker("breaks_cluster") is not None)


def pytest_configure(config):
    config.addinivalue_line("markers", "breaks_cluster: leaves the cluster with less than it started with")


class Cluster:
    def __init__(self, directory: Path, env: dict):
        self.dir, self.env = directory, env
        self.state = json.loads((directory / "cluster.json").read_text())
        self.url = f"http://127.0.0.1:{self.state['port']}"
        self.node_urls = [f"http://127.0.0.1:{node['port']}" for node in self.state["nodes"]]

    def primary(self, sql: str, *params):
        """Rows from the primary (the test's own look, never a reader's)."""
        from newsreader import embedded

        with psycopg.connect(host=embedded_socket(self.env), user=embedded.USER, dbname=embedded.DBNAME, autocommit=True) as conn:
            return conn.execute(sql, params).fetchall()

    def replica(self, number: int, sql: str):
        with psycopg.connect(host=self.state["replicas"][number - 1]["dir"], user="postgres", dbname="newsreader",
                             autocommit=True) as conn:
            return conn.execute(sql).fetchall()

    def manage(self, *args: str) -> str:
        """manage.py against the cluster's primary, as `.venv/bin/python manage.py` is while it runs."""
        env = self.env | {"DATABASE_REPLICA_URLS": ""}
        return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                              capture_output=True, text=True).stdout

    def reader(self, base: str | None = None) -> "Reader":
        return Reader(base or self.url)


def embedded_socket(env: dict) -> str:
    """The primary's socket folder, as the cluster's processes find it."""
    pid_file = Path(env["NEWSREADER_PGDATA"]) / "postmaster.pid"
    return pid_file.read_text().splitlines()[4]


class Reader:
    """One browser: its own cookies, the CSRF token sent with each form."""

    def __init__(self, base: str):
        self.base, self.http = base, requests.Session()

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.http.get(self.base + path, timeout=60, **kwargs)

    def post(self, path: str, data: dict, **kwargs) -> requests.Response:
        if "csrftoken" not in self.http.cookies:
            self.get("/accounts/login/")
        data = data | {"csrfmiddlewaretoken": self.http.cookies["csrftoken"]}
        return self.http.post(self.base + path, data=data, timeout=60, **kwargs)

    def sign_up(self, username: str | None = None) -> str:
        username = username or f"reader-{uuid.uuid4().hex[:10]}"
        response = self.post("/accounts/signup/", {"username": username, "email": f"{username}@example.org",
                                                   "password1": PASSWORD, "password2": PASSWORD})
        assert response.status_code == 200, response.status_code
        return username

    def sign_in(self, username: str, password: str = PASSWORD) -> requests.Response:
        return self.post("/accounts/login/", {"username": username, "password": password})


def signed_in(page: str) -> bool:
    return "Sign out</button>" in page


def read_from(reader: Reader, count: int) -> set[str]:
    """Where the reads of `count` pages went: searches no one asked for before (so rendered, and
    reading the database), each shown whole (signed in, when the reader is)."""
    places = set()
    for _ in range(count):
        response = reader.get(f"/search/?q=trade+{uuid.uuid4().hex[:6]}")
        assert response.status_code == 200
        assert signed_in(response.text) or "sessionid" not in reader.http.cookies
        places.add(response.headers["X-Read-From"])
    return places


def article_slugs(page: str) -> list[str]:
    return list(dict.fromkeys(re.findall(r'href="/articles/([\w-]+)/"', page)))


@pytest.fixture(scope="session")
def cluster():
    # Not under pytest's folder, which the database's own user may not enter.
    directory = Path(tempfile.mkdtemp(prefix="newsreader-cluster-"))
    directory.chmod(0o755)
    env = os.environ | SETTINGS | {
        "NEWSREADER_PGDATA": str(directory / "pgdata"),
        "NEWSREADER_CLUSTER_DIR": str(directory),
        "PORT": str(free_port()),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    process = subprocess.Popen([sys.executable, "-m", "newsreader.cluster", "--replica-delay", str(REPLICA_DELAY)],
                               cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 600
        while not (directory / "cluster.json").exists():
            assert process.poll() is None, f"the cluster did not start: {process.stdout.read()}"
            assert time.monotonic() < deadline, "the cluster did not start in 600 s"
            time.sleep(0.2)
        yield Cluster(directory, env)
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
        assert "cluster: stopped" in output, output
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def admin(cluster) -> Reader:
    """A superuser, created by manage.py on the primary, signed in through the proxy."""
    cluster.manage("shell", "-c", (
        "from django.contrib.auth.models import User; "
        f"User.objects.filter(username='chief').exists() or User.objects.create_superuser('chief', 'chief@example.org', {PASSWORD!r})"
    ))
    reader = cluster.reader()
    assert signed_in(reader.sign_in("chief").text)
    return reader
