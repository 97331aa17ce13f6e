import sys

from django.core.management.base import BaseCommand, CommandError

from articles.exports.loader import LoadFailed, load_export


class Command(BaseCommand):
    help = (
        "Load a site's export (manage.py export, docs/export.md) into this fresh site: publishers, feeds, members, "
        "stories, articles and comments with their ids, slugs and dates. All or nothing: on any error nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH", help="the export file; - reads standard input")

    def handle(self, *args, path, **options):
        try:
            with (sys.stdin if path == "-" else open(path, encoding="utf-8")) as lines:
                counts = load_export(lines)
        except OSError as error:
            raise CommandError(f"cannot read {path}: {error.strerror or error}") from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is not UTF-8 text: is it an export?") from None
        except LoadFailed as error:
            raise CommandError(f"{path}: nothing was imported: {error}") from None
        summary = ", ".join(f"{kind} {count}" for kind, count in counts.items()) or "nothing"
        self.stdout.write(f"imported {summary}")
