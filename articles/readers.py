"""Who is reading: the signed-in reader's user row and standing (membership period, comment ban),
read in one query and kept for a few seconds per process. What the standing allows is
access.py's to decide.

The standing travels on the user object for the rest of the request (`standing(user)`), as
Django's own backend keeps permissions on it: only this module sets it.
"""

import datetime as dt
import functools
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from .models import CommentBan, Follow, Membership, MeteredRead, Subject

_ATTRIBUTE = "_reader_standing"
_METERED = "_reader_metered_reads"
_FOLLOWS = "_reader_follows"
# Set on a reader who has just changed what they follow: a process that kept the old set reads it
# again for them (the value: when the change was made, in ns).
FOLLOWS_COOKIE = "newsreader_followed"


@dataclass(frozen=True)
class Standing:
    starts_at: dt.datetime | None  # the membership's period; None: never had one
    ends_at: dt.datetime | None
    ban_reason: str | None  # why a moderator barred them from commenting, if one did


def standing(user) -> Standing:
    """The signed-in reader's standing: read with their user row by ReaderBackend, or with one
    query the first time it is asked for."""
    known = getattr(user, _ATTRIBUTE, None)
    if known is None:
        known = _standing_of(_reader_row(user.pk))
        setattr(user, _ATTRIBUTE, known)
    return known


def _standing_of(reader) -> Standing:
    return Standing(reader.standing_starts_at, reader.standing_ends_at, reader.standing_ban_reason)


def _reader_row(user_id):
    """The user with their membership's period and any comment ban's reason, in one query."""
    return next(iter(get_user_model()._default_manager.raw(_reader_sql(), [user_id])), None)


@functools.cache
def _reader_sql() -> str:
    """_reader_row's statement, written out because it runs on every signed-in request, where
    building it through the ORM costs about twice the CPU (figures in docs/performance.md)."""
    user, membership, ban = get_user_model()._meta, Membership._meta, CommentBan._meta
    return (
        f'SELECT u.*, m.starts_at AS standing_starts_at, m.ends_at AS standing_ends_at, b.reason AS standing_ban_reason '
        f'FROM "{user.db_table}" u LEFT JOIN "{membership.db_table}" m ON m.user_id = u.{user.pk.column} '
        f'LEFT JOIN "{ban.db_table}" b ON b.user_id = u.{user.pk.column} WHERE u.{user.pk.column} = %s'
    )


def _reader_key(user_id) -> str:
    return f"newsreader:reader:{user_id}"


class ReaderBackend(ModelBackend):
    """Django's model backend, reading the signed-in reader's standing in the same query as their
    user row (every page a reader asks for needs both), and keeping the row in the cache for
    NEWSREADER_READER_CACHE_SECONDS: a change to a reader made in another process (an ended
    membership, a ban, a new password) reaches every process within that time, and the process
    that made it at once (`reader_changed`)."""

    def get_user(self, user_id):
        user = cache.get(key := _reader_key(user_id))
        if user is None:
            user = _reader_row(user_id)
            if user is None:
                return None
            cache.set(key, user, settings.NEWSREADER_READER_CACHE_SECONDS)
        if not self.user_can_authenticate(user):
            return None
        setattr(user, _ATTRIBUTE, _standing_of(user))
        return user


def reader_changed(sender, instance, **kwargs) -> None:
    """A receiver for saves and deletes of users, memberships and bans: forget the kept row, now
    and once the change commits (a request between the two may have read the old one)."""
    key = _reader_key(instance.pk if sender is get_user_model() else instance.user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def metering_month() -> dt.date:
    """The month the metered paywall counts in: its first day, in UTC."""
    return timezone.now().date().replace(day=1)


def metered_reads(user) -> frozenset[int]:
    """The members' articles the signed-in reader has read in full this month under the metered
    paywall (one query, the first time a request asks)."""
    known = getattr(user, _METERED, None)
    if known is None:
        known = frozenset(MeteredRead.objects.filter(user=user.pk, month=metering_month()).values_list("article_id", flat=True))
        setattr(user, _METERED, known)
    return known


def _follows_key(user_id) -> str:
    return f"newsreader:follows:{user_id}"


def followed(request) -> frozenset[tuple[str, str]]:
    """The subjects the signed-in reader follows, (kind, key), discussions aside: read in one query
    and kept for NEWSREADER_READER_CACHE_SECONDS, like their account, so that a follow button on a
    page they ask for again and again costs no query. A change reaches the process that made it at
    once (`follows_changed`), every process sharing Redis at once, and any other within that time;
    the reader who made it carries FOLLOWS_COOKIE, so that their own next page shows it wherever it
    is served."""
    user = request.user
    known = getattr(user, _FOLLOWS, None)
    if known is None:
        kept = cache.get(key := _follows_key(user.pk))
        changed_at = request.COOKIES.get(FOLLOWS_COOKIE, "")
        if kept is None or (changed_at.isdigit() and int(changed_at) >= kept[0]):
            read_at = time.time_ns()  # before the query: a change committed after it is newer
            known = frozenset(Follow.objects.filter(user=user.pk).exclude(kind=Subject.THREAD).values_list("kind", "key"))
            cache.set(key, (read_at, known), settings.NEWSREADER_READER_CACHE_SECONDS)
        else:
            known = kept[1]
        setattr(user, _FOLLOWS, known)
    return known


def follows_changed(user) -> None:
    """Forget what the reader follows, now and once the change commits."""
    key = _follows_key(user.pk)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))
    user.__dict__.pop(_FOLLOWS, None)


def mark_follows_changed(response) -> None:
    """Mark the reader who has just changed what they follow (after it committed), for a minute."""
    response.set_cookie(FOLLOWS_COOKIE, str(time.time_ns()), max_age=60, httponly=True, samesite="Lax",
                        secure=settings.SESSION_COOKIE_SECURE)
