"""Recording import runs (`ImportRun`): every channel — admin page, command, feed polling —
starts one before it imports and finishes it with the report.

A running run records its process (host and pid) and beats while it reads inputs. One whose
process is gone — a crash, a kill, a worker timeout — would stay "running" forever; `end_stale`
ends it as failed, with the reason, whenever a run starts and whenever runs are listed: on this
host when its process no longer exists, on any host when it has not beaten for
NEWSREADER_IMPORT_STALE_SECONDS.
"""

import datetime as dt
import os
import socket
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..metrics import IMPORTED
from ..models import ImportRun, Outcome
from .prepare import storable
from .report import ImportReport

HEARTBEAT_SECONDS = 30  # at most this often a running import writes that it is alive


def this_process() -> dict:
    return {"host": socket.gethostname(), "pid": os.getpid(), "heartbeat_at": timezone.now()}


def start(channel: str, *, inputs: list[str], user=None, dry_run: bool = False, options: dict | None = None,
          status: str = ImportRun.Status.RUNNING) -> ImportRun:
    end_stale()
    return ImportRun.objects.create(
        channel=channel,
        started_by=user if user is not None and user.is_authenticated else None,
        dry_run=dry_run,
        inputs=[storable(name) for name in inputs],
        options=options or {},
        status=status,
        **(this_process() if status == ImportRun.Status.RUNNING else {}),
    )


def claim(run: ImportRun, **options) -> None:
    """A queued run taken up by this process (a worker)."""
    end_stale()
    for name, value in {"status": ImportRun.Status.RUNNING, **this_process()}.items():
        setattr(run, name, value)
    run.options.update(options)
    run.save(update_fields=["status", "host", "pid", "heartbeat_at", "options"])


def beating(run: ImportRun, inputs: Iterable) -> Iterator:
    """The inputs, the run's heartbeat written as they are taken (every HEARTBEAT_SECONDS at most)."""
    for item in inputs:
        now = timezone.now()
        if now - run.heartbeat_at >= dt.timedelta(seconds=HEARTBEAT_SECONDS):
            run.heartbeat_at = now
            ImportRun.objects.filter(pk=run.pk).update(heartbeat_at=now)
        yield item


def fail(run: ImportRun, reason: str) -> None:
    run.status, run.error, run.finished_at = ImportRun.Status.FAILED, reason, timezone.now()
    run.save(update_fields=["status", "error", "finished_at"])


@contextmanager
def failing_on_error(run: ImportRun | None):
    """Ends the run as failed, with the reason, when the import raises (then raises on)."""
    try:
        yield
    except BaseException as error:
        if run is not None:
            fail(run, f"it stopped: {type(error).__name__}: {error}".rstrip(": "))
        raise


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    return True


def end_stale() -> int:
    """End as failed every running run whose process is gone; how many there were."""
    here = socket.gethostname()
    silent_since = timezone.now() - dt.timedelta(seconds=settings.NEWSREADER_IMPORT_STALE_SECONDS)
    ended = 0
    for run in ImportRun.objects.filter(status=ImportRun.Status.RUNNING).order_by():
        process = f"process {run.pid} on {run.host}" if run.pid else "process"
        if run.host == here and run.pid and not process_exists(run.pid):
            reason = f"its {process} ended before it finished (a crash, a kill or a timeout)"
        elif run.heartbeat_at is None or run.heartbeat_at < silent_since:
            reason = (f"its {process} gave no sign of life for over {settings.NEWSREADER_IMPORT_STALE_SECONDS:g} s "
                      "(NEWSREADER_IMPORT_STALE_SECONDS)")
        else:
            continue
        # Only if it is still running: its process may have finished it meanwhile.
        ended += ImportRun.objects.filter(pk=run.pk, status=ImportRun.Status.RUNNING).update(
            status=ImportRun.Status.FAILED, error=reason, finished_at=timezone.now()
        )
    return ended


def finish(run: ImportRun, report: ImportReport) -> ImportRun:
    keep = settings.NEWSREADER_IMPORT_RUN_ENTRIES
    entries = report.as_dict()
    run.report = {outcome: items if outcome == Outcome.FAILED else items[:keep] for outcome, items in entries.items()}
    for status, count in report.counts().items():
        setattr(run, f"{status}_count", count)
        if not run.dry_run:
            IMPORTED.labels(run.channel, status).inc(count)
    run.warning_count = report.warning_count
    run.status = ImportRun.Status.DONE
    run.finished_at = timezone.now()
    run.save()
    return run


def add_warning(run_id: int, input_name: str, warning: str) -> None:
    """A warning found after the run was finished (a page fetched for one of its entries)."""
    with transaction.atomic():
        run = ImportRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None:
            return
        warnings = run.report.setdefault("warnings", [])
        if len(warnings) < settings.NEWSREADER_IMPORT_RUN_ENTRIES:
            warnings.append({"input": storable(input_name), "warning": storable(warning)})
        run.warning_count += 1
        run.save(update_fields=["report", "warning_count"])
