"""Editors add and remove country tags in the admin; an edit of the text tags it again."""

import pytest

from articles.models import ArticleCountry, TagOrigin

from .factories import make_article

pytestmark = pytest.mark.django_db


def change_form_data(article, *, country_rows, **changes):
    """The admin change form as a browser would post it, with these country tag rows."""
    data = {
        "title": article.title, "slug": article.slug, "dek": article.dek, "excerpt": article.excerpt,
        "author": article.author, "source": "", "source_url": article.source_url,
        "published_at_0": article.published_at.strftime("%Y-%m-%d"),
        "published_at_1": article.published_at.strftime("%H:%M:%S"),
        "access": article.access, "language": article.language, "free_html": article.free_html,
        "members_html": article.members_html,
        "free_text": article.free_text, "members_text": article.members_text,
        "country_tags-TOTAL_FORMS": str(len(country_rows)), "country_tags-INITIAL_FORMS": "0",
        "country_tags-MIN_NUM_FORMS": "0", "country_tags-MAX_NUM_FORMS": "1000",
        "actor_tags-TOTAL_FORMS": "0", "actor_tags-INITIAL_FORMS": "0",
        "actor_tags-MIN_NUM_FORMS": "0", "actor_tags-MAX_NUM_FORMS": "1000",
    }
    initial = 0
    for n, row in enumerate(country_rows):
        data[f"country_tags-{n}-country"] = row["country"]
        data[f"country_tags-{n}-article"] = str(article.pk)
        if "id" in row:
            initial += 1
            data[f"country_tags-{n}-id"] = str(row["id"])
        if row.get("delete"):
            data[f"country_tags-{n}-DELETE"] = "on"
    data["country_tags-INITIAL_FORMS"] = str(initial)
    return data | changes


def test_editor_adds_and_removes_country_tags(editor):
    article = make_article(title="Andes", paragraphs=["Peru and Chile."])
    rows = {t.country_id: t.pk for t in ArticleCountry.objects.filter(article=article)}
    data = change_form_data(article, country_rows=[
        {"id": rows["pe"], "country": "pe"}, {"id": rows["cl"], "country": "cl", "delete": True}, {"country": "bo"},
    ])
    response = editor.post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    tags = dict(ArticleCountry.objects.filter(article=article).values_list("country_id", "origin"))
    # Peru untouched by the editor stays the tagger's; Chile stays removed; Bolivia is the editor's.
    assert tags == {"pe": TagOrigin.TAGGER, "bo": TagOrigin.EDITOR}


def test_editing_the_text_in_the_admin_tags_it_again(editor):
    article = make_article(title="Andes", paragraphs=["Peru."])
    data = change_form_data(article, country_rows=[], free_text="Now Ecuador.", free_html="<p>Now Ecuador.</p>")
    assert editor.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    assert set(ArticleCountry.objects.filter(article=article).values_list("country_id", flat=True)) == {"ec"}
