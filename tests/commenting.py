"""Small steps the comment tests share."""

from django.urls import reverse

from articles.models import Article

HTMX = {"HTTP_HX_REQUEST": "true"}


def comments_url(article):
    return reverse("comments", args=[article.slug])


def count(article):
    return Article.objects.get(pk=article.pk).comment_count


def page_of(client, article, **query):
    return client.get(article.get_absolute_url(), query).content.decode()
