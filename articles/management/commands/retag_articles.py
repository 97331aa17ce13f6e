import sys

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.geo.tag_rows import retag, sync_vocabulary
from articles.models import Article


class Command(BaseCommand):
    help = "Tag every article again with the current vocabulary (after it changed). Editors' tags stay."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="articles tagged and written per transaction")

    def handle(self, *args, batch_size, **options):
        sync_vocabulary()
        articles = Article.objects.only("title", "dek", "free_text", "members_text", "published_at", "language").order_by("pk")
        total = articles.count()
        with tqdm(total=total, unit="article", disable=not sys.stderr.isatty(), file=sys.stderr) as progress:
            last_pk = 0
            while batch := list(articles.filter(pk__gt=last_pk)[:batch_size]):
                retag(batch)
                last_pk = batch[-1].pk
                progress.update(len(batch))
        self.stdout.write(f"{total} articles tagged")
