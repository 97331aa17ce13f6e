"""Who may read what: the one place that decides it.

Every channel that shows article text (pages, htmx partials, feeds, search snippets, meta tags,
structured data) asks this module, and gets only what the reader may see. Members-only text is
never handed to a reader without an active membership, not even to be hidden.
"""

import datetime as dt
import enum
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q
from django.utils import timezone

from . import readers
from .models import Article, Comment, Membership


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


def _period_is_active(starts_at, ends_at, now=None) -> bool:
    """A membership is active while its period contains now."""
    return starts_at <= (now or timezone.now()) < ends_at


def membership_is_active(membership: Membership, now=None) -> bool:
    return _period_is_active(membership.starts_at, membership.ends_at, now)


def active_memberships(now=None) -> Q:
    """The same rule as a filter on Membership, for lists (the admin's active/lapsed filter)."""
    now = now or timezone.now()
    return Q(starts_at__lte=now, ends_at__gt=now)


def _standing(user) -> tuple[MemberState, str | None]:
    """The reader's membership state, worked out now (so a membership ends on time), and their
    comment ban's reason."""
    standing = readers.standing(user)
    if standing.starts_at is None:
        state = MemberState.NON_MEMBER
    elif _period_is_active(standing.starts_at, standing.ends_at):
        state = MemberState.ACTIVE
    else:
        state = MemberState.LAPSED
    return state, standing.ban_reason


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
    metered: bool = False  # a non-member reads it in full under the metered paywall: count it


def public_reading(article: Article) -> Reading:
    """What anyone may read of an article: for channels with no reader (feeds, meta tags,
    structured data, the sitemap), whoever asks."""
    return reading(article, AnonymousUser())


def metering(state: MemberState) -> bool:
    """The metered paywall applies to this reader: it is on, and they are signed in without membership."""
    return bool(settings.NEWSREADER_METERED_ARTICLES) and state in (MemberState.NON_MEMBER, MemberState.LAPSED)


def _metered(article: Article, user, state: MemberState) -> bool:
    """Under the metered paywall, a signed-in non-member reads NEWSREADER_METERED_ARTICLES members'
    articles a month in full, and those again, counted on the server (readers.metered_reads)."""
    if not metering(state):
        return False
    reads = readers.metered_reads(user)
    return article.pk in reads or len(reads) < settings.NEWSREADER_METERED_ARTICLES


def reading(article: Article, user) -> Reading:
    state = member_state(user)
    metered = article.is_gated and state is not MemberState.ACTIVE
    if metered and not _metered(article, user, state):
        return Reading(html=article.free_html, text=article.free_text, withheld=True, state=state)
    return Reading(
        html=article.free_html + article.members_html,
        text="\n\n".join(filter(None, [article.free_text, article.members_text])),
        withheld=False,
        state=state,
        metered=metered,
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


def ban_reason(user) -> str | None:
    """Why a moderator has barred the reader from commenting, if one has."""
    return _standing(user)[1] if user.is_authenticated else None


def can_comment(user) -> bool:
    """Post and reply: an active member whom no moderator has banned."""
    return is_member(user) and ban_reason(user) is None


def commenting_refusal(user) -> str:
    """Why this reader may not comment, in the words they are shown ("" when they may)."""
    if can_comment(user):
        return ""
    if not user.is_authenticated:
        return "You are signed out. Sign in to take part in the discussion."
    if reason := ban_reason(user):
        return f"You can no longer comment here: {reason}"
    if member_state(user) is MemberState.LAPSED:
        return "Your membership has ended. Renew your membership to take part in the discussion."
    return "Join to take part in the discussion: only members can comment."


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
    if user.is_staff or ban_reason(user) is not None or metering(member_state(user)):
        return None  # under the metered paywall, what a non-member reads in full is theirs alone
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
