import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from articles.importing.opml import OpmlError, export_opml, import_opml
from articles.models import FeedSource


class Command(BaseCommand):
    help = (
        "Feed sources as OPML: `opml import FILE` adds every feed the file lists (those already there are "
        "left as they are; exit status 1 when any was refused), `opml export [--output FILE]` writes them all."
    )

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        importing = actions.add_parser("import", help="add the feeds an OPML file lists")
        importing.add_argument("file", type=Path)
        importing.add_argument("--dry-run", action="store_true", help="report what would be added; add nothing")
        exporting = actions.add_parser("export", help="write every feed source as OPML")
        exporting.add_argument("--output", type=Path, help="a file to write (default: standard output)")

    def handle(self, *args, **options):
        if options["action"] == "export":
            data = export_opml(FeedSource.objects.select_related("source").order_by("url"), now=timezone.now())
            if options["output"]:
                options["output"].write_bytes(data)
            else:
                self.stdout.write(data.decode(), ending="")
            return
        try:
            outcome = import_opml(options["file"].read_bytes(), dry_run=options["dry_run"])
        except OSError as error:
            raise CommandError(f"{options['file']}: it cannot be read ({error.strerror or error})") from None
        except OpmlError as error:
            raise CommandError(f"{options['file']}: {error}") from None
        for url, reason in outcome.refused:
            self.stderr.write(f"refused: {url}: {reason}")
        self.stdout.write(("Dry run: " if options["dry_run"] else "") + str(outcome))
        if outcome.refused:
            sys.exit(1)
