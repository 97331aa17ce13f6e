"""A member's own changes to their desk: follows, alerts, bookmarks, read marks, digest choice, the
private feed's secret, and forgetting it all. Nothing here is content other readers see, so no
page is invalidated: a page's follow and bookmark buttons are kept per state (pagecache `reader_part`)."""

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from .. import readers
from ..models import Article, Bookmark, Desk, Digest, Follow, ReadMark
from ..models.desk import ALERTING, new_feed_token


def desk_of(user) -> Desk:
    desk = Desk.objects.filter(user=user).first()
    if desk is None:
        desk, _ = Desk.objects.get_or_create(user=user, defaults={"feed_token": new_feed_token()})
    return desk


def follow(user, *, kind: str, key: str, label: str) -> Follow:
    """Follow a subject (following it again changes nothing)."""
    desk_of(user)
    found, _ = Follow.objects.get_or_create(user=user, kind=kind, key=key, defaults={"label": label[:300]})
    readers.follows_changed(user)
    return found


def unfollow(user, *, kind: str, key: str) -> None:
    Follow.objects.filter(user=user, kind=kind, key=key).delete()
    readers.follows_changed(user)


def set_alert(user, follow_id: int, *, alert: bool) -> None:
    """Mail the member a followed story's or search's new articles as they come (or stop)."""
    Follow.objects.filter(user=user, pk=follow_id, kind__in=ALERTING).update(alert=alert, alerted_up_to=timezone.now())


def bookmark(user, article: Article, *, keep: bool) -> None:
    if keep:
        Bookmark.objects.get_or_create(user=user, article=article)
    else:
        Bookmark.objects.filter(user=user, article=article).delete()
    cache.delete(_opened_key(user.pk, article.slug))


def mark_read(user, article_id: int) -> None:
    """The member opened this article (one statement; opening it again changes nothing)."""
    ReadMark.objects.bulk_create([ReadMark(user=user, article_id=article_id)], ignore_conflicts=True)


def open_article(user, slug: str) -> bool:
    """The member opens the article with this slug: it is marked read, and whether they have
    bookmarked it is returned, in one statement (every signed-in article page asks it, cached or not)."""
    article, mark, kept = Article._meta.db_table, ReadMark._meta.db_table, Bookmark._meta.db_table
    sql = (
        f"WITH opened AS (SELECT id FROM {article} WHERE slug = %s), "
        f"marked AS (INSERT INTO {mark} (user_id, article_id, read_at) SELECT %s, id, now() FROM opened "
        f"ON CONFLICT (user_id, article_id) DO NOTHING) "
        f"SELECT EXISTS (SELECT 1 FROM {kept} WHERE user_id = %s AND article_id = (SELECT id FROM opened))"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [slug, user.pk, user.pk])
        return cursor.fetchone()[0]


def _opened_key(user_id: int, slug: str) -> str:
    return f"opened:{user_id}:{slug}"


def opened(user, slug: str) -> bool:
    """`open_article`, once per NEWSREADER_READER_CACHE_SECONDS for one reader and article (as the
    reader's account is kept, readers.py): a reload marks nothing new, and a kept page then costs a
    member no statement. A bookmark changed through `bookmark` is forgotten at once in this process
    (and in every process with a shared cache: Redis); other processes see it within those seconds."""
    return cache.get_or_set(
        _opened_key(user.pk, slug), lambda: open_article(user, slug), settings.NEWSREADER_READER_CACHE_SECONDS
    )


# The previous visit read under a row lock, and the new one written, in one statement: two visits at
# once are taken one after the other, the second counting from the first.
VISIT = f"""WITH previous AS (SELECT id, visited_at FROM {Desk._meta.db_table} WHERE user_id = %s FOR UPDATE)
UPDATE {Desk._meta.db_table} AS desk SET visited_at = %s FROM previous WHERE desk.id = previous.id
RETURNING {", ".join(f"desk.{field.column}" for field in Desk._meta.concrete_fields if field.name != "visited_at")},
previous.visited_at"""


def visit_desk(user) -> Desk:
    """The member opens their desk: what is new is counted from their previous visit (the desk
    returned keeps it in `visited_at`), and from now on the next time."""
    row = _visit(user)
    if row is None:  # their first visit: the desk is made, then visited
        desk_of(user)
        row = _visit(user)
    names = [field.attname for field in Desk._meta.concrete_fields if field.name != "visited_at"] + ["visited_at"]
    return Desk(**dict(zip(names, row, strict=True)))


def _visit(user) -> tuple | None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:  # a write: on the primary, wherever reads go
        cursor.execute(VISIT, [user.pk, timezone.now()])
        return cursor.fetchone()


def set_digest(user, *, digest: str, time_zone: str | None = None, reply_emails: bool | None = None) -> Desk:
    desk = desk_of(user)
    desk.digest = digest
    if time_zone is not None:
        desk.time_zone = time_zone
    if reply_emails is not None:
        desk.reply_emails = reply_emails
    desk.save(update_fields=["digest", "time_zone", "reply_emails"])
    return desk


def reset_feed(user) -> Desk:
    """A new secret for the private feed: the old URL answers 404 from now on."""
    desk = desk_of(user)
    desk.feed_token = new_feed_token()
    desk.save(update_fields=["feed_token"])
    return desk


@transaction.atomic
def forget(user) -> None:
    """Delete everything the desk holds of the member: follows, bookmarks, reading history; their
    digests stop. (Deleting the account deletes all of it too, by cascade.)"""
    Follow.objects.filter(user=user).delete()
    readers.follows_changed(user)
    Bookmark.objects.filter(user=user).delete()
    ReadMark.objects.filter(user=user).delete()
    Desk.objects.filter(user=user).delete()


@transaction.atomic
def unsubscribe(user_id: int) -> bool:
    """Stop every mail of the member's desk (the one-click link in each): digests, alerts, replies;
    whether any was on."""
    changed = Desk.objects.filter(user_id=user_id).exclude(digest=Digest.NONE).update(digest=Digest.NONE)
    changed += Follow.objects.filter(user_id=user_id, alert=True).update(alert=False)
    changed += Desk.objects.filter(user_id=user_id, reply_emails=True).update(reply_emails=False)
    return bool(changed)
