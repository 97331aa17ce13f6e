"""`manage.py send_digests --period daily|weekly`: sends, now, that period's digest to every member
who chose it and has not had one for their current period (running it again sends nothing)."""

from django.core.management.base import BaseCommand

from articles.desk.digests import send_digests
from articles.models import Digest


class Command(BaseCommand):
    help = "Send the daily or weekly digest, now, to every member who chose it and has not had this period's."

    def add_arguments(self, parser):
        parser.add_argument("--period", required=True, choices=[Digest.DAILY.value, Digest.WEEKLY.value])

    def handle(self, *, period, **options):
        sent = send_digests(period)
        self.stdout.write(f"{sent} {period} digest{'' if sent == 1 else 's'} sent")
