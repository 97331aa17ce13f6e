"""The sitemap: the list pages, every article and every country with articles (Django's sitemap
framework splits it into pages of 50,000, its protocol's most per file)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Count
from django.urls import reverse

from .models import Article, Country


class ArticleSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Article.objects.only("slug", "updated_at").order_by("-published_at", "-id")

    def lastmod(self, article):
        return article.updated_at


class CountrySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Country.objects.annotate(article_count=Count("article_tags")).filter(article_count__gt=0).order_by("code")


class PageSitemap(Sitemap):
    changefreq = "hourly"

    def items(self):
        return ["article_list", "country_list"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {"pages": PageSitemap, "articles": ArticleSitemap, "countries": CountrySitemap}
