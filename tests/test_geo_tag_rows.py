"""Tag rows: written at import, kept current on retagging, editors' rows kept."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.geo.tag_rows import retag
from articles.models import Article, ArticleActor, ArticleCountry, Country, TagOrigin

from .factories import make_article

pytestmark = pytest.mark.django_db


def country_tags(article):
    return dict(ArticleCountry.objects.filter(article=article).values_list("country_id", "mentions"))


def test_every_iso_country_has_a_row_after_migrate():
    assert Country.objects.count() == 249
    assert Country.objects.get(code="tr").name == "Türkiye"
    assert Country.objects.get(code="ng").region == "Africa"


def test_import_tags_countries_and_actors_with_weighted_counts():
    article = make_article(
        title="Kenya and Uganda Talk Trade",
        paragraphs=["Nairobi hosted the talks.", "The African Union sent observers.", "Kenyan officials spoke."],
    )
    assert country_tags(article) == {"ke": 3 + 1 + 1, "ug": 3}
    assert set(ArticleActor.objects.filter(article=article).values_list("actor_id", flat=True)) == {"au"}
    row = ArticleCountry.objects.get(article=article, country="ke")
    assert row.origin == TagOrigin.TAGGER and row.published_at == article.published_at


def test_members_text_is_tagged_too():
    article = make_article(paragraphs=["Free about Peru.", "Free again.", "Members about Chile."], free_blocks=2)
    assert country_tags(article) == {"pe": 1, "cl": 1}


def test_input_tags_are_editor_tags_and_survive_retagging():
    article = make_article(paragraphs=["Nothing about anywhere."], tags=["ua", "xx"])
    assert country_tags(article) == {"ua": 0}
    retag([article])
    assert ArticleCountry.objects.get(article=article).origin == TagOrigin.EDITOR


def test_retag_replaces_the_taggers_rows_and_follows_the_date():
    article = make_article(paragraphs=["Peru and Chile."])
    ArticleCountry.objects.create(article=article, country_id="bo", origin=TagOrigin.EDITOR)
    new_date = timezone.now() - dt.timedelta(days=400)
    Article.objects.filter(pk=article.pk).update(free_text="Ecuador only.", published_at=new_date)
    retag([Article.objects.get(pk=article.pk)])
    assert country_tags(article) == {"ec": 1, "bo": 0}
    assert set(ArticleCountry.objects.filter(article=article).values_list("published_at", flat=True)) == {new_date}


def test_retag_articles_command_retags_everything_in_batches():
    articles = [make_article(paragraphs=[f"Story {n} about Peru."]) for n in range(5)]
    Article.objects.update(free_text="Now about Mali.")
    out = io.StringIO()
    call_command("retag_articles", "--batch-size", "2", stdout=out)
    assert "5 articles tagged" in out.getvalue()
    for article in articles:
        assert country_tags(article) == {"ml": 1}


def test_reimporting_an_unchanged_article_keeps_its_tags():
    first = make_article(title="Same", source_name="Wire", paragraphs=["Peru."])
    second = make_article(title="Same", source_name="Wire", paragraphs=["Peru."])
    assert first.pk == second.pk and country_tags(first) == {"pe": 1}


def test_a_batched_import_tags_every_article_and_keeps_the_inputs_own_tags():
    from articles.importing.pipeline import import_inputs

    report = import_inputs(["seeds/samples"])
    assert len(report.created) == 12
    sahel = Article.objects.get(title__startswith="Abuja and Niamey")
    tags = dict(ArticleCountry.objects.filter(article=sahel).values_list("country_id", "origin"))
    # The front matter says [ng, ne, td]; the text adds the neighbours it mentions.
    assert {code for code, origin in tags.items() if origin == TagOrigin.EDITOR} == {"ng", "ne", "td"}
    assert {"cm", "bf"} <= tags.keys()
    assert ArticleCountry.objects.values("article").distinct().count() == 12
    # Importing the same files again writes nothing and keeps the tags.
    before = ArticleCountry.objects.count()
    assert len(import_inputs(["seeds/samples"]).unchanged) == 12
    assert ArticleCountry.objects.count() == before
