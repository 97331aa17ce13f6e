"""The gunicorn settings `make run` serves with (newsreader/gunicorn.conf.py)."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gunicorn(port: int, log: Path) -> subprocess.Popen:
    # The bare "hello" project of the benchmarks: this is about the server, not the site.
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "tests.bench.hello", "SECRET_KEY": "s" * 50}
    return subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "newsreader.wsgi", "--config", "newsreader/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--access-logfile", os.devnull],
        cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_serving(server: subprocess.Popen, port: int, log: Path) -> None:
    for _ in range(100):
        try:
            assert urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read() == b"hello"
            return
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.1)
    raise AssertionError(log.read_text())


def test_a_second_server_on_a_taken_port_refuses_to_start(tmp_path):
    """Each worker has its own socket (SO_REUSEPORT), which would let a second server share the port."""
    port = free_port()
    first = second = gunicorn(port, tmp_path / "first.log")
    try:
        wait_until_serving(first, port, tmp_path / "first.log")
        second = gunicorn(port, tmp_path / "second.log")
        assert second.wait(timeout=30) != 0
        assert "is in use: is another server running?" in (tmp_path / "second.log").read_text()
    finally:
        for server in {first, second}:
            server.terminate()
            server.wait(timeout=30)


def test_a_server_that_served_starts_again_at_once(tmp_path):
    """A connection the server closed waits in TIME-WAIT for a minute after it stops: a restart (a
    supervisor's, after a crash) must not take that for another server on the port."""
    port = free_port()
    server = gunicorn(port, tmp_path / "first.log")
    try:
        wait_until_serving(server, port, tmp_path / "first.log")
        with socket.create_connection(("127.0.0.1", port), timeout=5) as kept:
            kept.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            while kept.recv(65536):  # until the server closes it: its side is the one left in TIME-WAIT
                pass
    finally:
        server.terminate()
        server.wait(timeout=30)
    again = gunicorn(port, tmp_path / "again.log")
    try:
        wait_until_serving(again, port, tmp_path / "again.log")
    finally:
        again.terminate()
        again.wait(timeout=30)
