import sys

from django.core.management.base import BaseCommand

from articles.importing.polling import FAILED
from articles.models import FeedSource
from articles.tasks import poll_now


class Command(BaseCommand):
    help = (
        "Fetch every active feed source (conditional GET) and import its new and changed entries. A feed "
        "that fails records its error and the others go on; exit status 1 when any failed. With --queue, "
        "hand each feed to the task queue instead (a worker polls it). Original pages of feeds that fetch "
        "them are always fetched by a worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--queue", action="store_true", help="defer one task per feed to the worker")

    def handle(self, *args, **options):
        if options["queue"]:
            from articles.tasks import defer_polls

            self.stdout.write(f"{defer_polls()} feeds queued for polling")
            return
        failed = 0
        for feed in FeedSource.objects.to_poll().select_related("source"):
            polled = poll_now(feed)
            failed += polled.outcome == FAILED
            (self.stderr if polled.outcome == FAILED else self.stdout).write(str(polled))
        if failed:
            sys.exit(1)
