"""Writing tags: the vocabulary's countries and actors as rows, and each article's tag rows."""

import datetime as dt

from django.db import transaction
from django.db.models import OuterRef, Subquery

from ..bulk import copy_rows
from ..languages import primary
from ..models import Actor, Article, ArticleActor, ArticleCountry, Country, TagOrigin
from .tagging import TAGGED_FIELDS, Tags, tag_article
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
    fields = {name: getattr(article, name) for name in TAGGED_FIELDS}
    return tag_article(fields, given=given, language=primary(article.language))


def tag_rows(tags: Tags) -> tuple[list[tuple], list[tuple]]:
    """An article's (country code, mentions, origin) and (actor slug, mentions, origin) rows: what
    the text mentions is the tagger's, what the input itself tags it with is an editor's."""
    vocab = vocabulary()
    given_countries = tags.given & vocab.countries.keys()
    given_actors = tags.given & vocab.actors.keys()
    countries = [
        (code, tags.countries.get(code, 0), TagOrigin.EDITOR if code in given_countries else TagOrigin.TAGGER)
        for code in tags.countries.keys() | given_countries
    ]
    actors = [
        (slug, tags.actors.get(slug, 0), TagOrigin.EDITOR if slug in given_actors else TagOrigin.TAGGER)
        for slug in tags.actors.keys() | given_actors
    ]
    return countries, actors


def write_tags(tagged: list[tuple[Article, Tags]]) -> None:
    """Replace the tagger's rows of these articles with their new tags, in a few queries for the
    whole batch. Rows an editor added stay (their mention counts are refreshed)."""
    if not tagged:
        return
    ids = [article.pk for article, _ in tagged]
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
            countries, actors = tag_rows(tags)
            country_rows += [
                ArticleCountry(article=article, country_id=code, mentions=mentions, origin=origin,
                               published_at=article.published_at)
                for code, mentions, origin in countries
            ]
            actor_rows += [
                ArticleActor(article=article, actor_id=slug, mentions=mentions, origin=origin)
                for slug, mentions, origin in actors
            ]
        ArticleCountry.objects.bulk_create(
            country_rows, update_conflicts=True, unique_fields=["article", "country"], update_fields=["mentions"]
        )
        ArticleActor.objects.bulk_create(
            actor_rows, update_conflicts=True, unique_fields=["article", "actor"], update_fields=["mentions"]
        )


def insert_tags(tagged: list[tuple[int, dt.datetime, Tags]]) -> None:
    """The tag rows of articles just created, by id and date: they have none yet, so every row is
    COPYed in (no delete, no conflict to resolve)."""
    country_rows, actor_rows = [], []
    for article_id, published_at, tags in tagged:
        countries, actors = tag_rows(tags)
        country_rows += [(article_id, code, mentions, origin, published_at) for code, mentions, origin in countries]
        actor_rows += [(article_id, slug, mentions, origin) for slug, mentions, origin in actors]
    copy_rows(ArticleCountry, ["article_id", "country_id", "mentions", "origin", "published_at"], country_rows)
    copy_rows(ArticleActor, ["article_id", "actor_id", "mentions", "origin"], actor_rows)


def retag(articles) -> None:
    """Tag these articles again from their stored text (after an edit or a vocabulary change)."""
    write_tags([(article, tags_of(article)) for article in articles])
