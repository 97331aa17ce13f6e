"""Who may read what: the one place that decides it.

Every channel that shows article text (pages, htmx partials, feeds, search snippets, meta tags,
structured data) asks this module, and gets only what the reader may see. Members-only text is
never handed to a reader without an active membership, not even to be hidden.
"""

import datetime as dt
import enum
import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import Article, Comment, CommentBan, Membership


class MemberState(enum.Enum):
    ANONYMOUS = "anonymous"
    NON_MEMBER = "non_member"  # signed in, never had a membership
    LAPSED = "lapsed"
    ACTIVE = "active"

    # For templates, which cannot name the members.
    @property
    def active(self) -> bool:
        return self is MemberState.ACTIVE

    @property
    def lapsed(self) -> bool:
        return self is MemberState.LAPSED


def membership_is_active(membership: Membership, now=None) -> bool:
    """A membership is active while its period contains now."""
    now = now or timezone.now()
    return membership.starts_at <= now < membership.ends_at


def active_memberships(now=None) -> Q:
    """The same rule as a filter on Membership, for lists (the admin's active/lapsed filter)."""
    now = now or timezone.now()
    return Q(starts_at__lte=now, ends_at__gt=now)


def _standing(user) -> tuple[MemberState, str | None]:
    """The reader's membership state and comment ban reason: read with the user by ReaderBackend,
    or with one query the first time it is asked for."""
    cached = getattr(user, "_newsreader_standing", None)
    if cached is None:
        cached = user._newsreader_standing = _standing_of(_reader_row(user.pk))
    return cached


def _standing_of(reader) -> tuple[MemberState, str | None]:
    """The standing of a user row read by _reader_row."""
    starts_at, ends_at = reader.standing_starts_at, reader.standing_ends_at
    if starts_at is None:
        state = MemberState.NON_MEMBER
    elif membership_is_active(Membership(starts_at=starts_at, ends_at=ends_at)):
        state = MemberState.ACTIVE
    else:
        state = MemberState.LAPSED
    return state, reader.standing_ban_reason


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
    that made it at once (`reader_changed`). Whether a membership is active is worked out anew
    on each request, so one ends on time."""

    def get_user(self, user_id):
        user = cache.get(key := _reader_key(user_id))
        if user is None:
            user = _reader_row(user_id)
            if user is None:
                return None
            cache.set(key, user, settings.NEWSREADER_READER_CACHE_SECONDS)
        if not self.user_can_authenticate(user):
            return None
        user._newsreader_standing = _standing_of(user)
        return user


def reader_changed(sender, instance, **kwargs) -> None:
    """A receiver for saves and deletes of users, memberships and bans: forget the kept row, now
    and once the change commits (a request between the two may have read the old one)."""
    key = _reader_key(instance.pk if sender is get_user_model() else instance.user_id)
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def member_state(user) -> MemberState:
    if not user.is_authenticated:
        return MemberState.ANONYMOUS
    return _standing(user)[0]


def is_member(user) -> bool:
    return member_state(user) is MemberState.ACTIVE


@dataclass(frozen=True)
class Reading:
    """What one reader gets of one article."""

    html: str
    text: str
    withheld: bool  # members-only text exists and this reader does not get it
    state: MemberState


def public_reading(article: Article) -> Reading:
    """What anyone may read of an article: for channels with no reader (feeds, meta tags,
    structured data, the sitemap), whoever asks."""
    return reading(article, AnonymousUser())


def reading(article: Article, user) -> Reading:
    state = member_state(user)
    if article.is_gated and state is not MemberState.ACTIVE:
        return Reading(html=article.free_html, text=article.free_text, withheld=True, state=state)
    return Reading(
        html=article.free_html + article.members_html,
        text="\n\n".join(filter(None, [article.free_text, article.members_text])),
        withheld=False,
        state=state,
    )


@dataclass(frozen=True)
class SearchScope:
    """What one reader's search may match (generated tsvector columns) and quote in snippets
    (text columns): the title, dek and free text for everyone, members' text for members only."""

    vectors: tuple[str, ...]
    texts: tuple[str, ...]


def search_scope(user) -> SearchScope:
    if is_member(user):
        return SearchScope(vectors=("search_public", "search_members"), texts=("free_text", "members_text"))
    return SearchScope(vectors=("search_public",), texts=("free_text",))


def comment_ban(user) -> str | None:
    """Why a moderator has banned the reader from commenting, if one has."""
    return _standing(user)[1] if user.is_authenticated else None


def can_comment(user) -> bool:
    """Post and reply: an active member whom no moderator has banned."""
    return is_member(user) and comment_ban(user) is None


def can_moderate(user) -> bool:
    """Hide, delete and ban: staff."""
    return user.is_authenticated and user.is_staff


def page_audience(user) -> str | None:
    """The readers who are shown the same pages as this one, named for the page cache; None when
    this reader's pages are theirs alone: staff see moderation controls, a banned member the reason
    for their ban. Within an audience, a page differs only where the reader wrote something on it
    (their comments' controls), which the page cache checks for itself."""
    if not user.is_authenticated:
        return MemberState.ANONYMOUS.value
    if user.is_staff or comment_ban(user) is not None:
        return None
    return member_state(user).value


def can_edit_comment(user, comment: Comment, now=None) -> bool:
    """Its author, while they may comment, within the edit window; never a hidden comment."""
    window = dt.timedelta(minutes=settings.NEWSREADER_COMMENT_EDIT_MINUTES)
    return (
        comment.user_id == user.pk
        and not comment.hidden
        and (now or timezone.now()) < comment.created_at + window
        and can_comment(user)
    )


def can_delete_comment(user, comment: Comment) -> bool:
    """Its author at any time, and moderators."""
    return user.is_authenticated and (comment.user_id == user.pk or can_moderate(user))
