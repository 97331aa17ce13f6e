"""Preparing many files in worker processes while this process writes what they prepared.

Reading, parsing, sanitising and tagging a file costs more Python than writing it, so when an
import has many local files (a folder given to `import_articles`), chunks of them are prepared by
`NEWSREADER_IMPORT_WORKERS` forked processes, and their results are taken in input order: the
report is the one a serial run makes. Anything else (a URL, an upload, an archive's members, a
small import) is prepared in this process. Only a few chunks are ahead at any time, so memory
stays flat; the workers end with the import, and with this process if it is killed.
"""

import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from itertools import chain, islice
from pathlib import Path

from django.conf import settings
from django.db import connection

PARALLEL_FROM = 200  # inputs: a smaller import is prepared here (a pool costs a fork and a few ms)
CHUNK = 50  # files a worker prepares per task
AHEAD = 16  # chunks per worker handed out and not yet taken: more than a batch, so no worker waits on a write
PR_SET_PDEATHSIG = 1


def step_aside() -> None:
    """Lower this process's CPU priority to NEWSREADER_IMPORT_NICE (its preparing workers inherit
    it): a bulk import in a command or the task queue yields the cores to the web processes' readers
    when they need them, and takes them all when they do not. Never in a web process, whose readers it
    would slow."""
    lower_by = settings.NEWSREADER_IMPORT_NICE - os.nice(0)
    if lower_by > 0:
        os.nice(lower_by)
    lower_backend(connection)


def lower_backend(database) -> None:
    """The same priority for this connection's PostgreSQL backend, which writes what the import
    prepared, when the server runs on this machine and this user may lower it (the embedded
    server; a server of another user, or another machine's, is left alone: PostgreSQL itself has
    no priority per session)."""
    niceness = settings.NEWSREADER_IMPORT_NICE
    if niceness <= 0:
        return
    with database.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid(), coalesce(host(inet_server_addr()) IN ('127.0.0.1', '::1'), true)")
        pid, on_this_machine = cursor.fetchone()
    try:
        # The pid is this machine's only if the server is: a server in a container shows another.
        if on_this_machine and Path(f"/proc/{pid}/cmdline").read_bytes().startswith(b"postgres"):
            os.setpriority(os.PRIO_PROCESS, pid, max(niceness, os.getpriority(os.PRIO_PROCESS, pid)))
    except OSError:
        pass  # no /proc (not Linux), or another user's server


def in_order(inputs: Iterable, here: Callable[[object], Iterable], in_worker: Callable[[list], list],
             warm: Callable[[], object] = lambda: None) -> Iterator:
    """Every result of `here(item)` for each input, in order; with many inputs, local files go to
    worker processes a chunk at a time, where `in_worker(chunk)` (picklable) gives the same results.
    `warm()` loads what every process needs once, before they fork."""
    inputs = iter(inputs)
    head = list(islice(inputs, PARALLEL_FROM))
    workers = settings.NEWSREADER_IMPORT_WORKERS
    if len(head) < PARALLEL_FROM or workers < 1:
        for item in chain(head, inputs):
            yield from here(item)
        return
    import multiprocessing  # here, not at the top: web processes import the pipeline and never fork
    from concurrent.futures import ProcessPoolExecutor

    warm()
    context = multiprocessing.get_context("fork")  # workers inherit the settings and what is loaded
    with ProcessPoolExecutor(workers, mp_context=context, initializer=end_with_parent,
                             initargs=(os.getpid(),)) as pool:
        ahead = deque()  # futures of chunks, and inputs to prepare here, in input order
        try:
            for group in groups(chain(head, inputs)):
                ahead.append(pool.submit(in_worker, group) if group[0].local else group[0])
                while len(ahead) > AHEAD * workers:
                    yield from taken(ahead.popleft(), here)
            while ahead:
                yield from taken(ahead.popleft(), here)
        finally:
            pool.shutdown(cancel_futures=True)


def groups(inputs: Iterator) -> Iterator[list]:
    """Consecutive local files in chunks of CHUNK; any other input alone."""
    chunk = []
    for item in inputs:
        if not item.local:
            if chunk:
                yield chunk
                chunk = []
            yield [item]
        else:
            chunk.append(item)
            if len(chunk) == CHUNK:
                yield chunk
                chunk = []
    if chunk:
        yield chunk


def taken(slot, here: Callable[[object], Iterable]) -> Iterable:
    return slot.result() if isinstance(slot, Future) else here(slot)


def end_with_parent(parent: int) -> None:
    """Have the kernel end this worker when the importing process dies, however it dies."""
    if sys.platform == "linux":
        import ctypes

        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # it died before the line above took effect
        os._exit(1)
