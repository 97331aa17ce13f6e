"""A member's desk: what they follow, their bookmarks, what they have read, their digests (see
articles/desk/ and docs/desk.md). Every row here is one reader's alone, and goes with their account."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from .articles import Article


def new_feed_token() -> str:
    return secrets.token_urlsafe(24)


class Digest(models.TextChoices):
    NONE = "none", "No digest"
    DAILY = "daily", "Daily"
    WEEKLY = "weekly", "Weekly"


DIGEST_VALUES = Digest.values


class Desk(models.Model):
    """One member's desk settings, made on their first follow, bookmark or visit."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk")
    visited_at = models.DateTimeField(null=True, blank=True, help_text="Their last visit to the desk: what is new is newer.")
    digest = models.CharField(max_length=10, choices=Digest, default=Digest.NONE)
    time_zone = models.CharField(max_length=64, default="UTC", help_text="Their digests' days start at midnight here.")
    reply_emails = models.BooleanField(default=True, help_text="Mail them replies to their comments.")
    feed_token = models.CharField(max_length=64, unique=True, help_text="The secret in their private feed's URL (new_feed_token).")
    alerted_at = models.DateTimeField(null=True, blank=True, help_text="When their last alert was mailed.")

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(digest__in=DIGEST_VALUES), name="desk_digest_valid")]
        indexes = [models.Index(fields=["digest"], name="desk_digest", condition=~Q(digest="none"))]

    def __str__(self):
        return f"{self.user}'s desk"


class Subject(models.TextChoices):
    COUNTRY = "country", "Country"
    PAIR = "pair", "Two countries"
    ACTOR = "actor", "Actor"
    STORY = "story", "Story"
    SEARCH = "search", "Search"
    THREAD = "thread", "Discussion"


SUBJECT_VALUES = Subject.values
ALERTING = [Subject.STORY.value, Subject.SEARCH.value]


class Follow(models.Model):
    """A subject a member follows: a country ("ke"), two ("cn/ru"), an actor (its slug), a story
    (its slug), a saved search (its canonical query string) or a discussion (the comment's id)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows", db_index=False)
    kind = models.CharField(max_length=10, choices=Subject)
    key = models.CharField(max_length=600)
    label = models.CharField(max_length=300)
    alert = models.BooleanField(default=False, help_text="Mail them its new articles as they come (stories, searches).")
    alerted_up_to = models.DateTimeField(null=True, blank=True, help_text="Articles stored up to this have been alerted.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "key"], name="follow_unique"),
            models.CheckConstraint(condition=Q(kind__in=SUBJECT_VALUES), name="follow_kind_valid"),
            models.CheckConstraint(condition=Q(alert=False) | Q(kind__in=ALERTING), name="follow_alert_kinds"),
        ]
        indexes = [models.Index(fields=["alert"], name="follow_alerting", condition=Q(alert=True))]

    def __str__(self):
        return f"{self.user} follows {self.kind} {self.key}"


class Bookmark(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks", db_index=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="bookmark_unique")]
        indexes = [models.Index("user", F("created_at").desc(), name="bookmark_newest")]

    def __str__(self):
        return f"{self.user} kept {self.article_id}"


class ReadMark(models.Model):
    """An article a member has opened: shown as read in lists."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="read_marks", db_index=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "article"], name="read_mark_unique")]
        indexes = [models.Index("user", F("read_at").desc(), name="read_mark_newest")]

    def __str__(self):
        return f"{self.user} read {self.article_id}"


class DigestSent(models.Model):
    """One digest of one period to one member: the unique key is what stops a second, whoever
    sends it (two workers, a retry after a crash). Claimed before the mail goes, marked sent after."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", db_index=False)
    period = models.CharField(max_length=10, choices=Digest)
    starts_on = models.DateField(help_text="The first day of the period, in the member's time zone.")
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    articles = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "period", "starts_on"], name="digest_once_per_period")]

    def __str__(self):
        return f"{self.period} digest of {self.starts_on} to {self.user}"
