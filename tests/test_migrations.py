"""Data migrations, run against articles as they were stored before them."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from articles.models import Article

from .factories import make_article

pytestmark = pytest.mark.django_db


def test_0018_detects_the_language_of_every_article_already_stored():
    make_article(title="Новое соглашение", paragraphs=["Москва и Пекин подписали соглашение о торговле."])
    make_article(title="中国与越南签署新的贸易协议", paragraphs=["双方同意降低农产品关税。"])
    Article.objects.update(language="en", language_detected=False)  # as the column's default filled them in
    migration = importlib.import_module("articles.migrations.0018_article_language")
    migration.detect_languages(apps, SimpleNamespace(connection=connection))
    assert sorted(Article.objects.values_list("language", "language_detected")) == [("ru", True), ("zh", True)]
