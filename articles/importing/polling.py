"""Polling feed sources: a conditional GET (ETag / Last-Modified, so an unchanged feed costs a
304), then the feed's new and changed entries through the import pipeline, recorded as a run.
A feed that fails records its error; the caller goes on with the others."""

from dataclasses import dataclass

from django.utils import timezone

from ..models import FeedSource, ImportRun
from . import runs
from .fetch import fetch
from .parsed import ImportFailed
from .pipeline import Defaults, Importer, Input

NOT_MODIFIED, IMPORTED, FAILED = "not modified", "imported", "failed"


@dataclass
class Polled:
    feed: FeedSource
    outcome: str  # NOT_MODIFIED, IMPORTED or FAILED
    run: ImportRun | None = None

    def __str__(self):
        if self.outcome == FAILED:
            return f"{self.feed.url}: failed: {self.feed.last_error}"
        if self.run is None:
            return f"{self.feed.url}: not modified"
        run = self.run
        return (
            f"{self.feed.url}: {run.created_count} created, {run.updated_count} updated, "
            f"{run.unchanged_count} unchanged, {run.failed_count} failed"
            + (f", {run.warning_count} warnings" if run.warning_count else "")
        )


def kept(validator: str, field: str) -> str:
    """A validator the server sent, or none when it is longer than its column: the next fetch is
    then unconditional, instead of the save failing and the poll with it."""
    return validator if len(validator) <= FeedSource._meta.get_field(field).max_length else ""


def poll(feed: FeedSource, *, worker: str = "") -> Polled:
    """Poll one feed; `worker` names the queue worker doing it, for the run's record."""
    feed.last_fetched_at = timezone.now()
    try:
        fetched = fetch(feed.url, etag=feed.etag, last_modified=feed.last_modified)
    except ImportFailed as error:
        feed.last_error = str(error)
        feed.save(update_fields=["last_fetched_at", "last_error"])
        return Polled(feed, FAILED)
    if fetched.status == 304:
        feed.last_error = ""
        feed.save(update_fields=["last_fetched_at", "last_error"])
        return Polled(feed, NOT_MODIFIED)

    run = runs.start(ImportRun.Channel.FEED, inputs=[feed.url], options={"feed": feed.pk, "worker": worker})
    defaults = Defaults(
        access=feed.default_access or None,
        source_name=feed.source.name if feed.source else "",
        override_source=feed.source is not None,
        link_articles=feed.link_articles,
        title_untitled=feed.title_untitled,
    )
    with runs.failing_on_error(run):
        report = Importer(defaults=defaults).run([Input(name=feed.url, read=lambda: fetched, url=fetched.url)])
    runs.finish(run, report)
    feed.last_run = run
    feed.last_error = "; ".join(entry["error"] for entry in report.failed[:3])
    if len(report.failed) > 3:
        feed.last_error += f"; and {len(report.failed) - 3} more (see the import run)"
    # Remember the validators only once every entry is in: a feed that failed, or was read only in
    # part (broken XML, bytes no encoding could read), is fetched whole next time.
    if report.ok and not report.partly_read:
        feed.etag, feed.last_modified = kept(fetched.etag, "etag"), kept(fetched.last_modified, "last_modified")
    feed.save(update_fields=["last_fetched_at", "last_error", "last_run", "etag", "last_modified"])
    return Polled(feed, FAILED if not report.ok else IMPORTED, run)
