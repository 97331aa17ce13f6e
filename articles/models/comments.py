import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from ..pagecache import content_changed
from .articles import Article


class PostingTooFast(Exception):
    """The member has posted their allowance of comments for this minute."""


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False)

    def post(self, *, article: Article, user, body: str, body_html: str, parent=None) -> "Comment":
        """Store a comment and count it on its article in one transaction.

        Replies are one level deep: a reply to a reply joins its top-level comment's thread.
        The member's own row is locked while their recent posts are counted, so the per-minute
        limit holds however many requests (and workers) they send at once.
        """
        if parent is not None and parent.parent_id is not None:
            parent = parent.parent
        with transaction.atomic():
            list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
            since = timezone.now() - dt.timedelta(minutes=1)
            if self.filter(user=user, created_at__gte=since).count() >= settings.NEWSREADER_COMMENTS_PER_MINUTE:
                raise PostingTooFast
            comment = self.create(article=article, user=user, parent=parent, body=body, body_html=body_html)
            Article.objects.filter(pk=article.pk).update(comment_count=F("comment_count") + 1)
        return comment

    def thread(self, article: Article, *, newest_first: bool, include_hidden: bool) -> list["Comment"]:
        """The article's top-level comments in order, each with `.thread_replies` (oldest first).

        One query. A hidden comment that has visible replies stays as a placeholder so that its
        replies keep their place; other hidden comments are left out unless asked for (staff).
        """
        comments = list(self.filter(article=article).select_related("user", "user__comment_ban").order_by("created_at", "id"))
        replies = {}
        for comment in comments:
            if comment.parent_id is not None and (include_hidden or not comment.hidden):
                replies.setdefault(comment.parent_id, []).append(comment)
        top_level = []
        for comment in comments:
            if comment.parent_id is None:
                comment.thread_replies = replies.get(comment.pk, [])
                if include_hidden or not comment.hidden or comment.thread_replies:
                    top_level.append(comment)
        return top_level[::-1] if newest_first else top_level


class Comment(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")
    body = models.TextField()
    body_html = models.TextField(help_text="The body, escaped and auto-linked once when saved.")
    created_at = models.DateTimeField(default=timezone.now)
    edited_at = models.DateTimeField(null=True, blank=True)
    hidden = models.BooleanField(default=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["article", "created_at"], name="comment_article_created"),
            models.Index(fields=["user", "created_at"], name="comment_user_created"),
        ]

    def __str__(self):
        return f"{self.user} on {self.article}"

    def edit(self, *, body: str, body_html: str) -> None:
        self.body, self.body_html, self.edited_at = body, body_html, timezone.now()
        self.save(update_fields=["body", "body_html", "edited_at"])

    def set_hidden(self, hidden: bool) -> None:
        """Hide or show again; the article's count follows in the same transaction."""
        with transaction.atomic():
            locked = Comment.objects.select_for_update().get(pk=self.pk)
            if locked.hidden != hidden:
                Comment.objects.filter(pk=self.pk).update(hidden=hidden)
                change = -1 if hidden else 1
                Article.objects.filter(pk=self.article_id).update(comment_count=F("comment_count") + change)
                content_changed()  # an update() sends no post_save
        self.hidden = hidden

    def remove(self) -> None:
        """Delete the comment and its replies, uncounting the visible ones in the same transaction."""
        with transaction.atomic():
            removed = list(Comment.objects.select_for_update().filter(models.Q(pk=self.pk) | models.Q(parent=self.pk)))
            visible = sum(not comment.hidden for comment in removed)
            Comment.objects.filter(pk__in=[comment.pk for comment in removed]).delete()
            if visible:
                Article.objects.filter(pk=self.article_id).update(comment_count=F("comment_count") - visible)

