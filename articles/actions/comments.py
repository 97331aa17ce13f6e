"""Posting, editing, hiding and removing comments, with the article's count kept exact."""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from .. import comment_text
from ..models import Article, Comment


class PostingTooFast(Exception):
    """The member has posted their allowance of comments for this minute."""


def post_comment(*, article: Article, user, body: str, parent: Comment | None = None) -> Comment:
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
        if Comment.objects.filter(user=user, created_at__gte=since).count() >= settings.NEWSREADER_COMMENTS_PER_MINUTE:
            raise PostingTooFast
        comment = Comment.objects.create(
            article=article, user=user, parent=parent, body=body, body_html=comment_text.render(body)
        )
        Article.objects.filter(pk=article.pk).update(comment_count=F("comment_count") + 1)
    return comment


def edit_comment(comment: Comment, *, body: str) -> None:
    """New words, marked edited: by its author on the page, or by a moderator in the admin."""
    comment.body, comment.body_html, comment.edited_at = body, comment_text.render(body), timezone.now()
    comment.save(update_fields=["body", "body_html", "edited_at"])


def hide_comment(comment: Comment, *, hidden: bool = True) -> None:
    """Hide or show again; the article's count follows in the same transaction."""
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        if locked.hidden != hidden:
            Comment.objects.filter(pk=comment.pk).update(hidden=hidden)
            change = -1 if hidden else 1
            Article.objects.filter(pk=comment.article_id).update(comment_count=F("comment_count") + change)
    comment.hidden = hidden


def remove_comment(comment: Comment) -> None:
    """Delete the comment and its replies, uncounting the visible ones in the same transaction.
    A comment already gone (with its deleted parent) is left alone."""
    with transaction.atomic():
        removed = list(Comment.objects.select_for_update().filter(models.Q(pk=comment.pk) | models.Q(parent=comment.pk)))
        visible = sum(not each.hidden for each in removed)
        Comment.objects.filter(pk__in=[each.pk for each in removed]).delete()
        if visible:
            Article.objects.filter(pk=comment.article_id).update(comment_count=F("comment_count") - visible)
