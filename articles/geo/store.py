"""Writing tags: the vocabulary's countries and actors as rows, and each article's tag rows."""

from django.db import transaction
from django.db.models import OuterRef, Subquery

from ..models import Actor, Article, ArticleActor, ArticleCountry, Country, TagOrigin
from ..pagecache import content_changed
from .tagging import Tags, tag_article
from .vocabulary import vocabulary


def sync_vocabulary(using="default") -> None:
    """Insert or update a row for every country and actor the vocabulary knows."""
    vocab = vocabulary()
    Country.objects.using(using).bulk_create(
        [Country(code=c.code, name=c.name, region=c.region) for c in vocab.countries.values()],
        update_conflicts=True, unique_fields=["code"], update_fields=["name", "region"],
    )
    Actor.objects.using(using).bulk_create(
        [Actor(slug=a.slug, name=a.name, kind=a.kind) for a in vocab.actors.values()],
        update_conflicts=True, unique_fields=["slug"], update_fields=["name", "kind"],
    )


def tags_of(article: Article, given=()) -> Tags:
    return tag_article(
        title=article.title, dek=article.dek, free_text=article.free_text,
        members_text=article.members_text, given=given,
    )


def write_tags(tagged: list[tuple[Article, Tags]]) -> None:
    """Replace the tagger's rows of these articles with their new tags, in a few queries for the
    whole batch. Rows an editor added stay (their mention counts are refreshed)."""
    if not tagged:
        return
    ids = [article.pk for article, _ in tagged]
    vocab = vocabulary()
    with transaction.atomic():
        for model in (ArticleCountry, ArticleActor):
            model.objects.filter(article_id__in=ids, origin=TagOrigin.TAGGER).delete()
        # Editors' rows keep existing even where the text no longer mentions them.
        ArticleCountry.objects.filter(article_id__in=ids).update(
            mentions=0, published_at=Subquery(Article.objects.filter(pk=OuterRef("article_id")).values("published_at"))
        )
        ArticleActor.objects.filter(article_id__in=ids).update(mentions=0)
        country_rows, actor_rows = [], []
        for article, tags in tagged:
            given_countries = tags.given & vocab.countries.keys()
            given_actors = tags.given & vocab.actors.keys()
            for code in tags.countries.keys() | given_countries:
                country_rows.append(ArticleCountry(
                    article=article, country_id=code, mentions=tags.countries.get(code, 0),
                    origin=TagOrigin.EDITOR if code in given_countries else TagOrigin.TAGGER,
                    published_at=article.published_at,
                ))
            for slug in tags.actors.keys() | given_actors:
                actor_rows.append(ArticleActor(
                    article=article, actor_id=slug, mentions=tags.actors.get(slug, 0),
                    origin=TagOrigin.EDITOR if slug in given_actors else TagOrigin.TAGGER,
                ))
        ArticleCountry.objects.bulk_create(
            country_rows, update_conflicts=True, unique_fields=["article", "country"], update_fields=["mentions"]
        )
        ArticleActor.objects.bulk_create(
            actor_rows, update_conflicts=True, unique_fields=["article", "actor"], update_fields=["mentions"]
        )
        content_changed()  # tags show on lists, articles and country pages


def retag(articles) -> None:
    """Tag these articles again from their stored text (after an edit or a vocabulary change)."""
    write_tags([(article, tags_of(article)) for article in articles])
