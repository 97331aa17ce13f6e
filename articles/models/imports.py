from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.db.models import F


class Outcome(models.TextChoices):
    """What an import did with one input."""

    CREATED = "created", "Created"
    UPDATED = "updated", "Updated"
    UNCHANGED = "unchanged", "Unchanged"
    FAILED = "failed", "Failed"


class ReportSection(NamedTuple):
    """One outcome's part of a run's report page."""

    outcome: Outcome
    label: str
    entries: list[dict]  # those the run kept
    count: int

    @property
    def is_failure(self) -> bool:
        return self.outcome is Outcome.FAILED

    @property
    def is_creation(self) -> bool:
        return self.outcome is Outcome.CREATED


class ImportRun(models.Model):
    """One run of the import pipeline, from any channel: who, when, what, and what came of it."""

    class Channel(models.TextChoices):
        ADMIN = "admin", "Admin import page"
        COMMAND = "command", "import_articles command"
        FEED = "feed", "Feed polling"

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    channel = models.CharField(max_length=10, choices=Channel)
    status = models.CharField(max_length=10, choices=Status, default=Status.RUNNING)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="import_runs"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The process doing a running import, and when it last showed it was alive: a run whose
    # process is gone (a crash, a kill, a worker timeout) is ended as failed (runs.end_stale).
    host = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the run failed, when it did.")
    dry_run = models.BooleanField(default=False)
    inputs = models.JSONField(default=list, help_text="The files, folders, uploads and URLs named.")
    options = models.JSONField(default=dict, help_text="Format, and the access and source applied by default.")
    created_count = models.PositiveIntegerField("created", default=0)
    updated_count = models.PositiveIntegerField("updated", default=0)
    unchanged_count = models.PositiveIntegerField("unchanged", default=0)
    failed_count = models.PositiveIntegerField("failed", default=0)
    warning_count = models.PositiveIntegerField("warnings", default=0)
    # The report's entries, each list cut at NEWSREADER_IMPORT_RUN_ENTRIES (failures are all kept);
    # the counts above are whole.
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(F("started_at").desc(), F("id").desc(), name="importrun_newest_first"),
            models.Index(fields=["channel", "started_at"], name="importrun_channel_started"),
        ]

    def __str__(self):
        kind = "Dry run" if self.dry_run else "Import"
        return f"{kind} {self.pk} ({self.get_channel_display()}, {self.started_at:%Y-%m-%d %H:%M})"

    @property
    def shown_inputs(self) -> str:
        return ", ".join(self.inputs[:5]) + (f" and {len(self.inputs) - 5} more" if len(self.inputs) > 5 else "")

    @property
    def report_sections(self) -> list[ReportSection]:
        would = {Outcome.CREATED: "Would be created", Outcome.UPDATED: "Would be updated"} if self.dry_run else {}
        return [
            ReportSection(outcome, would.get(outcome, outcome.label), self.report.get(outcome, []), getattr(self, f"{outcome}_count"))
            for outcome in Outcome
        ]


class ImportUpload(models.Model):
    """A file uploaded to the admin import page and handed to the queue; deleted once imported."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="uploads")
    name = models.CharField(max_length=500)
    data = models.BinaryField()

    def __str__(self):
        return self.name
