"""Recording import runs (`ImportRun`): every channel — admin page, command, feed polling —
starts one before it imports and finishes it with the report."""

from django.conf import settings
from django.utils import timezone

from ..models import ImportRun
from .pipeline import ImportReport
from .prepare import storable


def start(channel: str, *, inputs: list[str], user=None, dry_run: bool = False, options: dict | None = None,
          status: str = ImportRun.Status.RUNNING) -> ImportRun:
    return ImportRun.objects.create(
        channel=channel,
        started_by=user if user is not None and user.is_authenticated else None,
        dry_run=dry_run,
        inputs=[storable(name) for name in inputs],
        options=options or {},
        status=status,
    )


def finish(run: ImportRun, report: ImportReport) -> ImportRun:
    keep = settings.NEWSREADER_IMPORT_RUN_ENTRIES
    entries = report.as_dict()
    run.report = {status: items if status == "failed" else items[:keep] for status, items in entries.items()}
    for status, count in report.counts().items():
        setattr(run, f"{status}_count", count)
    run.status = ImportRun.Status.DONE
    run.finished_at = timezone.now()
    run.save()
    return run
