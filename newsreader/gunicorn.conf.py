"""gunicorn settings for `make run` and `make bench`; override any of them with GUNICORN_CMD_ARGS.

One worker per core, two threads each (the gthread worker), chosen with `make bench`: more
processes did not serve more on two cores, and each one warms its own local-memory page cache
and holds its own database connections; a second thread per worker serves while the first
waits on the database. See docs/performance.md for the measurements.

Each worker listens on its own socket (SO_REUSEPORT) and the kernel spreads new connections over
them. With one shared socket a gthread worker accepts every connection it can, so kept-alive
connections often all landed on one worker while the other idled: half the throughput, in about
one load run in three. Since a second server could then share the port unnoticed (a stale one
still running), starting fails when the port is taken.
"""

import errno
import multiprocessing
import os
import socket
from pathlib import Path

from newsreader.env import env_int

workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count(), minimum=1)
threads = env_int("GUNICORN_THREADS", 2, minimum=1)
reuse_port = True
accesslog = "-"
# The access log names each request by the id its response carries (newsreader/observability.py).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
timeout = 30


def on_starting(server):
    """Refuse to start on a port another server holds (SO_REUSEPORT would let both listen)."""
    for address in server.cfg.address:
        if not isinstance(address, tuple):
            continue  # a Unix socket or a file descriptor: no sharing to fear
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            # As gunicorn binds: connections a stopped server closed wait in TIME-WAIT for a minute,
            # and would read as a server on the port; a listening socket still refuses the bind.
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    raise SystemExit(f"{address[0]}:{address[1]} is in use: is another server running?") from None
                raise


# With PROMETHEUS_MULTIPROC_DIR set, each worker writes its metrics to files there and /metrics adds
# up every worker's (docs/observability.md): a folder emptied at each start, a dead worker's gauges dropped.
def when_ready(server):
    if folder := os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        for stale in Path(folder).glob("*.db"):
            stale.unlink()


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
