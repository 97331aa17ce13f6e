"""Editing an article's language and slug in the admin: a tag an editor gives is read as imports
read one (and kept on re-import); left empty, the language is detected and the slug made from the
title; a saved article's slug does not change."""

import pytest
from django.utils import timezone

from articles.models import Article, ArticleCountry

from .factories import make_article
from .test_admin_tags import change_form_data

pytestmark = pytest.mark.django_db


def add_form_data(**fields):
    article = Article(
        title="", dek="", excerpt="", author="", source_url="", access="free", free_html="", members_html="",
        free_text="", members_text="", published_at=timezone.now(),
    )
    return change_form_data(article, country_rows=[]) | {"slug": "", "language": ""} | fields


def test_an_editor_sets_the_language_and_the_article_is_tagged_in_it(editor):
    article = make_article(title="Un accord", paragraphs=["Le gouvernement algérien a signé."], language="en")
    assert not ArticleCountry.objects.filter(article=article).exists()  # "algérien" is French
    data = change_form_data(article, country_rows=[], language="FR")
    assert editor.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    article.refresh_from_db()
    assert (article.language, article.language_detected) == ("fr", False)
    assert list(ArticleCountry.objects.filter(article=article).values_list("country_id", flat=True)) == ["dz"]


def test_a_tag_that_names_no_language_is_refused_with_a_reason(editor):
    article = make_article(title="Notes", paragraphs=["Some text."], language="en")
    data = change_form_data(article, country_rows=[], language="French")
    page = editor.post(f"/admin/articles/article/{article.pk}/change/", data).content.decode()
    assert "is not a language tag this site knows" in page
    article.refresh_from_db()
    assert article.language == "en"


def test_an_article_added_without_a_language_or_slug_gets_them_from_its_text(editor):
    text = "Москва и Пекин подписали соглашение о поставках зерна."
    data = add_form_data(title="Новое соглашение", free_text=text, free_html=f"<p>{text}</p>")
    response = editor.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get()
    assert (article.slug, article.language, article.language_detected) == ("novoe-soglashenie", "ru", True)


def test_a_saved_articles_slug_cannot_be_edited(editor):
    article = make_article(title="Соглашение", paragraphs=["Текст соглашения."])
    page = editor.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'name="slug"' not in page and "soglashenie" in page
    data = change_form_data(article, country_rows=[], title="Другой заголовок", slug="another")
    assert editor.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    article.refresh_from_db()
    assert (article.title, article.slug) == ("Другой заголовок", "soglashenie")
