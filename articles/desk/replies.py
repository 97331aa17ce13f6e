"""Replies a member is told of: to their own comments, and in the discussions they follow; on their
desk, and by email unless they turned it off (`Desk.reply_emails`)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q

from ..models import Comment, Desk, Follow, Subject

SHOWN = 10


def _followed_threads(user) -> list[int]:
    keys = Follow.objects.filter(user=user, kind=Subject.THREAD).values_list("key", flat=True)
    return [int(key.rsplit("/", 1)[1]) for key in keys]


def replies_for(user, *, count: int = SHOWN) -> list[Comment]:
    """The newest replies to the member's comments and in the discussions they follow, not their
    own, not hidden (two queries)."""
    threads = _followed_threads(user)
    return list(
        Comment.objects.filter(Q(parent__user=user) | Q(parent_id__in=threads), hidden=False)
        .exclude(user=user)
        .select_related("user", "article")
        .only("body", "created_at", "parent_id", "user__username", "article__slug", "article__title")
        .order_by("-created_at", "-id")[:count]
    )


def readers_to_tell(reply: Comment) -> list:
    """Who hears of a new reply by email: the author of the comment it answers and those who follow
    its discussion, unless they turned reply emails off; never its own author."""
    if reply.parent_id is None:
        return []
    parent = Comment.objects.select_related("user", "article").get(pk=reply.parent_id)
    followers = Follow.objects.filter(kind=Subject.THREAD, key=f"{parent.article.slug}/{parent.pk}").values("user_id")
    off = Desk.objects.filter(reply_emails=False).values("user_id")
    return list(
        get_user_model().objects.filter(Q(pk=parent.user_id) | Q(pk__in=followers))
        .exclude(pk=reply.user_id).exclude(pk__in=off).exclude(email="")
    )


def tell_of_reply(reply_id: int, site: str) -> int:
    """Mail the readers a reply concerns (after the response: articles/mail.py); how many."""
    reply = Comment.objects.select_related("user", "article").filter(pk=reply_id, hidden=False).first()
    if reply is None:
        return 0
    readers = readers_to_tell(reply)
    link = f"{site}{reply.article.get_absolute_url()}#comment-{reply.pk}"
    for reader in readers:
        send_mail(
            f"{reply.user.get_username()} replied on “{reply.article.title}”",
            f"{reply.user.get_username()} replied in a discussion you take part in:\n\n{reply.body}\n\n"
            f"Read it and answer: {link}\n\nTurn these emails off on your desk: {site}/desk/\n",
            settings.DEFAULT_FROM_EMAIL, [reader.email],
        )
    return len(readers)
