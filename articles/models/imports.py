from django.conf import settings
from django.db import models
from django.db.models import F


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
    def report_sections(self) -> list[tuple[str, str, list[dict], int]]:
        """(status, label, entries kept, count) for each outcome, for the report page."""
        verbs = ["Would be created", "Would be updated"] if self.dry_run else ["Created", "Updated"]
        labels = dict(zip(["created", "updated", "unchanged", "failed"], [*verbs, "Unchanged", "Failed"], strict=True))
        return [
            (status, label, self.report.get(status, []), getattr(self, f"{status}_count"))
            for status, label in labels.items()
        ]


class ImportUpload(models.Model):
    """A file uploaded to the admin import page and handed to the queue; deleted once imported."""

    run = models.ForeignKey(ImportRun, on_delete=models.CASCADE, related_name="uploads")
    name = models.CharField(max_length=500)
    data = models.BinaryField()

    def __str__(self):
        return self.name
