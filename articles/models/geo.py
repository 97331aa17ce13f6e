"""Countries and actors, and which articles mention them (see articles/geo/ and docs/tagging.md)."""

from django.db import models
from django.db.models import F
from django.urls import reverse

from .articles import Article


class Country(models.Model):
    """An ISO 3166 country; rows are kept in step with the vocabulary after every migrate."""

    code = models.CharField(primary_key=True, max_length=2, help_text="ISO 3166 alpha-2, lower case.")
    name = models.CharField(max_length=100)
    region = models.CharField(max_length=30)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "countries"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("country_detail", args=[self.code])


class Actor(models.Model):
    """An international organisation or a named official."""

    class Kind(models.TextChoices):
        ORGANISATION = "organisation", "Organisation"
        OFFICIAL = "official", "Official"

    slug = models.SlugField(primary_key=True, max_length=40)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=Kind)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TagOrigin(models.TextChoices):
    TAGGER = "tagger", "Tagger"  # replaced whenever the article is tagged again
    EDITOR = "editor", "Editor"  # added by an editor (admin or the input's tags); kept on retagging


class ArticleCountry(models.Model):
    # Both covered by the indexes below (the unique pair, the country page's index).
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="country_tags", db_index=False)
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="article_tags", db_index=False)
    mentions = models.PositiveIntegerField(default=0, help_text="Weighted: title ×3, dek ×2, text ×1.")
    origin = models.CharField(max_length=10, choices=TagOrigin, default=TagOrigin.EDITOR)
    # The article's date, copied here so that a country's page is one index range scan.
    published_at = models.DateTimeField()

    class Meta:
        ordering = ["-mentions", "country_id"]
        verbose_name = "country tag"
        constraints = [models.UniqueConstraint(fields=["article", "country"], name="article_country_unique")]
        indexes = [
            models.Index(
                "country", F("published_at").desc(), F("article").desc(), name="article_country_newest"
            ),
        ]

    def __str__(self):
        return f"{self.article_id} → {self.country_id}"

    def save(self, *args, **kwargs):
        self.published_at = self.article.published_at
        super().save(*args, **kwargs)


class ArticleActor(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="actor_tags", db_index=False)
    actor = models.ForeignKey(Actor, on_delete=models.PROTECT, related_name="article_tags", db_index=False)
    mentions = models.PositiveIntegerField(default=0, help_text="Weighted: title ×3, dek ×2, text ×1.")
    origin = models.CharField(max_length=10, choices=TagOrigin, default=TagOrigin.EDITOR)

    class Meta:
        ordering = ["-mentions", "actor_id"]
        verbose_name = "actor tag"
        constraints = [models.UniqueConstraint(fields=["article", "actor"], name="article_actor_unique")]
        indexes = [models.Index(fields=["actor", "article"], name="article_actor_by_actor")]

    def __str__(self):
        return f"{self.article_id} → {self.actor_id}"
