
from django.conf import settings
from django.db import models
from django.utils import timezone

from .articles import Article


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(hidden=False)

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
