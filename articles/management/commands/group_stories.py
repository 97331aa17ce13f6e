"""`manage.py group_stories [--batch-size N]`: groups the articles stored before stories existed."""

from django.core.management.base import BaseCommand

from articles.geo.tagging import Tags
from articles.models import Article
from articles.stories import grouping


def stored_tags(article: Article) -> Tags:
    return Tags(
        countries={tag.country_id: tag.mentions for tag in article.country_tags.all()},
        actors={tag.actor_id: tag.mentions for tag in article.actor_tags.all()},
    )


class Command(BaseCommand):
    help = "Group into stories every article not grouped yet (imported before stories existed), oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *, batch_size, **options):
        ids = list(
            Article.objects.filter(story_link__isnull=True).order_by("published_at", "id").values_list("id", flat=True)
        )
        seen = grouping.Seen()
        for start in range(0, len(ids), batch_size):
            batch = Article.objects.filter(id__in=ids[start:start + batch_size]).prefetch_related(
                "country_tags", "actor_tags"
            )
            grouping.group([grouping.item_of_article(article, stored_tags(article)) for article in batch], seen)
        self.stdout.write(f"Grouped {len(ids)} article{'s' if len(ids) != 1 else ''}.")
