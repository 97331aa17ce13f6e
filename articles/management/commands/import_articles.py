import json
import sys

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.importing import formats, runs
from articles.importing.parallel import step_aside
from articles.importing.pipeline import import_inputs
from articles.models import ImportRun, Outcome


class Command(BaseCommand):
    help = (
        "Import articles from files, folders (recursively), .zip archives or URLs. Exit status 1 when any "
        "input failed (warnings do not count). A real run is recorded as an ImportRun; a dry run writes nothing at all."
    )

    def add_arguments(self, parser):
        parser.add_argument("inputs", nargs="+", metavar="INPUT")
        parser.add_argument("--dry-run", action="store_true", help="report what would happen; write nothing")
        parser.add_argument("--format", default="auto", choices=["auto", *formats.FORMATS])
        parser.add_argument("--json", action="store_true", help="print one JSON report on standard output")

    def handle(self, *args, **options):
        step_aside()
        show_progress = not options["json"] and sys.stderr.isatty()
        run = None
        if not options["dry_run"]:
            run = runs.start(ImportRun.Channel.COMMAND, inputs=options["inputs"], options={"format": options["format"]})
        def progress(paths):
            shown = tqdm(paths, unit="file", disable=not show_progress, file=sys.stderr)
            return shown if run is None else runs.beating(run, shown)

        with runs.failing_on_error(run):
            report = import_inputs(
                options["inputs"],
                fmt=options["format"],
                dry_run=options["dry_run"],
                # Without --json only counts and failures are printed: keep no more than a run records.
                keep=None if options["json"] else settings.NEWSREADER_IMPORT_RUN_ENTRIES,
                progress=progress,
            )
        if run is not None:
            runs.finish(run, report)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            for entry in report.failed:
                self.stderr.write(f"failed: {entry['error']}")
            for entry in report.warnings:
                self.stderr.write(f"warning: {entry['warning']}")
            verb = "would be " if options["dry_run"] else ""
            counts = report.counts()
            self.stdout.write(
                f"{counts[Outcome.CREATED]} {verb}created, {counts[Outcome.UPDATED]} {verb}updated, "
                f"{counts[Outcome.UNCHANGED]} unchanged, {counts[Outcome.FAILED]} failed"
                + (f", {report.warning_count} warnings" if report.warning_count else "")
            )
        if not report.ok:
            sys.exit(1)
