from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsreader import backups, dumps


class Command(BaseCommand):
    help = "Write a verified backup of the database (pg_dump) and print its path, last. See docs/operations.md."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="the file to write (default: a new one in NEWSREADER_BACKUP_DIR)")

    def handle(self, *args, output, **options):
        try:
            path = backups.backup(output)
        except dumps.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(str(path))
