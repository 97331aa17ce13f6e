"""Keyword-only factories that build rows the way the application does."""

import datetime as dt
import itertools

from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.actions.comments import post_comment
from articles.importing.parsed import ParsedArticle
from articles.importing.prepare import prepare
from articles.importing.sanitize import paragraph
from articles.importing.store import store
from articles.models import Comment, Membership

_numbers = itertools.count(1)


def make_article(
    *,
    title=None,
    paragraphs=None,
    access=None,
    free_blocks=None,
    published_at=None,
    author="",
    source_name="",
    source_url="",
    dek="",
    source_truncated=False,
    tags=(),
    language="",
):
    number = next(_numbers)
    parsed = ParsedArticle(
        title=title or f"Article number {number}",
        blocks=[paragraph(p) for p in (paragraphs or [f"Paragraph {i} of article {number}." for i in range(1, 5)])],
        free_blocks=free_blocks,
        access=access,
        author=author,
        dek=dek,
        published_at=published_at,
        source_name=source_name,
        source_url=source_url,
        source_truncated=source_truncated,
        tags=list(tags),
        language=language,
    )
    return store(prepare(parsed))[1]


def make_user(*, username=None, password="a-long-test-password", **fields):
    username = username or f"reader{next(_numbers)}"
    return get_user_model().objects.create_user(
        username=username, password=password, email=fields.pop("email", f"{username}@example.org"), **fields
    )


def make_member(*, username=None, days=30, **fields):
    user = make_user(username=username, **fields)
    Membership.objects.create(user=user, ends_at=timezone.now() + dt.timedelta(days=days))
    return user


def make_lapsed_member(*, username=None, **fields):
    user = make_user(username=username, **fields)
    now = timezone.now()
    Membership.objects.create(user=user, starts_at=now - dt.timedelta(days=60), ends_at=now - dt.timedelta(days=1))
    return user


def make_comment(*, article, user=None, body=None, parent=None, created_at=None):
    """A comment posted the way the page posts it (counted on its article); by a new member unless given."""
    body = body or f"Comment number {next(_numbers)}."
    comment = post_comment(article=article, user=user or make_member(), body=body, parent=parent)
    if created_at is not None:
        Comment.objects.filter(pk=comment.pk).update(created_at=created_at)
        comment.created_at = created_at
    return comment
