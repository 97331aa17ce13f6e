import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.exports.writer import write_export


class Command(BaseCommand):
    help = (
        "Write the whole site to PATH as a portable export (JSON Lines, docs/export.md): publishers, feeds, "
        "countries, actors, members, stories, articles (free and members' text apart) and comments. "
        "`-` writes to standard output. Members' password hashes only with --with-credentials."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", metavar="PATH")
        parser.add_argument(
            "--with-credentials", action="store_true",
            help="include members' password hashes, so that they sign in on the new site with their passwords",
        )

    def handle(self, *args, path, with_credentials, **options):
        if path == "-":
            counts = write_export(sys.stdout, with_credentials=with_credentials)
        else:
            target = Path(path)
            partial = target.with_name(f".{target.name}.partial")
            try:
                # Written beside it and renamed when whole: PATH is never a half-written export.
                with partial.open("w", encoding="utf-8") as out:
                    counts = write_export(out, with_credentials=with_credentials)
                    if with_credentials:
                        partial.chmod(0o600)  # password hashes: for the operator's eyes only
                partial.replace(target)
            except OSError as error:
                partial.unlink(missing_ok=True)
                raise CommandError(f"cannot write {path}: {error.strerror or error}") from None
        summary = ", ".join(f"{kind} {count}" for kind, count in counts.items()) or "nothing"
        self.stderr.write(f"exported {summary}" + (" (with password hashes)" if with_credentials else ""))
