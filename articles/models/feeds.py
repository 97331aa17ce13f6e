from django.db import models
from django.db.models import Q

from .articles import Article, Source
from .imports import ImportRun


class FeedSourceQuerySet(models.QuerySet):
    def to_poll(self):
        return self.filter(active=True).order_by("id")


class FeedSource(models.Model):
    """A feed polled for new and changed entries (manage.py poll_feeds, and the worker's schedule)."""

    url = models.URLField("feed URL", max_length=1000, unique=True)
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="feeds",
        help_text="The publisher its articles are filed under; empty: the feed's own title.",
    )
    default_access = models.CharField(
        max_length=10, blank=True, choices=Article.Access,
        help_text="Access of its articles; empty: the site default (NEWSREADER_DEFAULT_ACCESS).",
    )
    active = models.BooleanField(default=True, help_text="Only active feeds are polled.")
    link_articles = models.BooleanField(
        "headline-only entries as link articles", default=True,
        help_text="An entry with a headline and a link but no text becomes a link article; off: it is refused.",
    )
    title_untitled = models.BooleanField(
        "title untitled entries", default=True,
        help_text="An entry without a title (microblog style) is titled by its first words; off: it is refused.",
    )
    fetch_full_text = models.BooleanField(
        "fetch the original page", default=False,
        help_text="For feeds that carry only summaries: a worker fetches each new or changed entry's page and "
        "takes its text from there (one page at a time per site, NEWSREADER_PAGE_FETCH_DELAY apart).",
    )
    last_fetched_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    # What the server sent last time, for a conditional GET (an unchanged feed answers 304).
    etag = models.CharField("ETag", max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_run = models.ForeignKey(ImportRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FeedSourceQuerySet.as_manager()

    class Meta:
        ordering = ["url"]
        indexes = [models.Index(fields=["id"], condition=Q(active=True), name="feedsource_active")]

    def __str__(self):
        return self.url
