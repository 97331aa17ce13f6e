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
import socket

from newsreader.env import env_int

workers = env_int("WEB_CONCURRENCY", multiprocessing.cpu_count(), minimum=1)
threads = env_int("GUNICORN_THREADS", 2, minimum=1)
reuse_port = True
accesslog = "-"
timeout = 30


def on_starting(server):
    """Refuse to start on a port another server holds (SO_REUSEPORT would let both listen)."""
    for address in server.cfg.address:
        if not isinstance(address, tuple):
            continue  # a Unix socket or a file descriptor: no sharing to fear
        family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(address)
            except OSError as error:
                if error.errno == errno.EADDRINUSE:
                    raise SystemExit(f"{address[0]}:{address[1]} is in use: is another server running?") from None
                raise
