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


def test_a_second_server_on_a_taken_port_refuses_to_start(tmp_path):
    """Each worker has its own socket (SO_REUSEPORT), which would let a second server share the port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    first = second = gunicorn(port, tmp_path / "first.log")
    try:
        for _ in range(100):
            try:
                assert urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read() == b"hello"
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise AssertionError((tmp_path / "first.log").read_text())
        second = gunicorn(port, tmp_path / "second.log")
        assert second.wait(timeout=30) != 0
        assert "is in use: is another server running?" in (tmp_path / "second.log").read_text()
    finally:
        for server in {first, second}:
            server.terminate()
            server.wait(timeout=30)
