"""Stories: the articles of several publishers that report one event (see articles/stories/ and
docs/stories.md)."""

import datetime as dt

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import F
from django.urls import reverse

from .articles import Article, Source

RECENT_DAYS = 7


class StoryQuerySet(models.QuerySet):
    def shown(self):
        """Stories a reader is shown: two articles or more."""
        return self.filter(article_count__gte=2)

    def most_covered(self):
        return self.shown().order_by("-outlet_count", "-country_count", "-last_published_at", "-id")

    def recent(self, days=RECENT_DAYS):
        """The stories of the last days: whose latest article is at most `days` older than the
        newest story's (so that a site fed late, or an archive, still shows its latest stories)."""
        newest = Story.objects.shown().order_by("-last_published_at").values("last_published_at")[:1]
        since = models.ExpressionWrapper(
            models.Subquery(newest) - models.Value(dt.timedelta(days=days)), output_field=models.DateTimeField()
        )
        return self.filter(last_published_at__gte=since)

    def mentioning(self, *codes):
        """Stories with an article tagged with each of these countries."""
        stories = self
        for code in codes:
            stories = stories.filter(
                models.Exists(
                    StoryArticle.objects.filter(
                        story_id=models.OuterRef("pk"), article__country_tags__country_id=code
                    )
                )
            )
        return stories


class Story(models.Model):
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=200, unique=True)
    title_locked = models.BooleanField(
        default=False, help_text="Renamed by staff: grouping keeps this title (else, its first article's)."
    )
    headline = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The article that stands for the story in lists: its first report.",
    )
    # Kept by grouping after every change to the story's articles, for the lists' order.
    article_count = models.PositiveIntegerField(default=0)
    outlet_count = models.PositiveIntegerField(default=0)
    country_count = models.PositiveIntegerField(default=0, help_text="Countries of its outlets.")
    first_published_at = models.DateTimeField(null=True, blank=True)
    last_published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-last_published_at", "-id"]
        indexes = [models.Index(F("last_published_at").desc(), name="story_latest")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("story_detail", args=[self.slug])


class StoryArticleQuerySet(models.QuerySet):
    def copies(self):
        """The rows of articles that are another outlet's copy of an earlier one."""
        return self.filter(duplicate_of__isnull=False)


class StoryArticle(models.Model):
    """An article's place among stories: which story (none while it stands alone), and what
    grouping compares it by. Every article stored has one."""

    article = models.OneToOneField(Article, primary_key=True, on_delete=models.CASCADE, related_name="story_link")
    story = models.ForeignKey(Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="links")
    pinned = models.BooleanField(
        default=False, help_text="Placed by staff (a merge or a split): grouping never moves it."
    )
    # Copied from the article, so that finding candidates is one index range scan.
    published_at = models.DateTimeField()
    source = models.ForeignKey(Source, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    features = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    duplicate_of = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="The first copy of the same wire text another outlet published.",
    )

    objects = StoryArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "story article"
        indexes = [
            models.Index(F("published_at").desc(), name="story_article_date"),
            models.Index(fields=["story", "published_at"], name="story_article_by_story"),
            # Lists leave copies out: a small index of them alone.
            models.Index(fields=["article"], condition=models.Q(duplicate_of__isnull=False), name="story_article_copies"),
        ]

    def __str__(self):
        return f"{self.article_id} → {self.story_id}"
