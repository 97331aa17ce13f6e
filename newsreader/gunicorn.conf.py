"""gunicorn settings for `make run` and `make bench`; override any of them with GUNICORN_CMD_ARGS.

One worker per core, two threads each (the gthread worker), chosen with `make bench`: more
processes did not serve more on two cores, and each one warms its own local-memory page cache
and holds its own database connections; a second thread per worker serves while the first
waits on the database. See docs/performance.md for the measurements.
"""

import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", "2"))
accesslog = "-"
timeout = 30
