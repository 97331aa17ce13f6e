from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from newsreader import dumps, pitr, restore


class Command(BaseCommand):
    help = (
        "Replace the database's content with a backup's (PATH), or replay the embedded server to a moment "
        "(--to). Without --yes, say what it would replace and change nothing. See docs/operations.md."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", type=Path, help="a backup written by manage.py backup")
        parser.add_argument("--to", help='a moment to bring the embedded server back to, "2026-12-01 10:15" (UTC unless it says)')
        parser.add_argument("--yes", action="store_true", help="do it")

    def handle(self, *args, path, to, yes, **options):
        if (path is None) == (to is None):
            raise CommandError("Give a backup's PATH, or --to a moment; not both.", returncode=2)
        try:
            if to:
                moment = self.moment(to)
                plan = (
                    f"This brings the embedded server's databases back to {moment:%Y-%m-%d %H:%M:%S %Z}: "
                    "every change made after it is undone."
                )
            else:
                plan = restore.describe(path)
        except dumps.BackupError as error:
            raise CommandError(str(error), returncode=2 if not yes else 1) from None
        if not yes:
            raise CommandError(f"{plan}\nNothing was changed: run again with --yes to do it.", returncode=2)
        self.stdout.write(plan)
        try:
            if to:
                replaced = pitr.restore_to(moment)
                self.stdout.write(f"Done. The data folder it replaced is kept in {replaced}.")
            else:
                restore.restore(path)
                self.stdout.write("Done.")
        except dumps.BackupError as error:
            raise CommandError(str(error)) from None

    def moment(self, text: str):
        moment = parse_datetime(text.strip())
        if moment is None:
            raise CommandError(
                f'--to {text!r} is not a moment: write it as "2026-12-01 10:15" (UTC) or with its offset.', returncode=2
            )
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        if moment >= timezone.now():
            raise CommandError(f"--to {text!r} is not in the past.", returncode=2)
        return moment
