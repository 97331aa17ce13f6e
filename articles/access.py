"""Who may read what: the one place that decides it.

Every channel that shows article text (pages, htmx partials, feeds, search snippets, meta tags,
structured data) asks this module, and gets only what the reader may see. Members-only text is
never handed to a reader without an active membership, not even to be hidden.
"""

import enum
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from .models import Article, Membership


class MemberState(enum.Enum):
    ANONYMOUS = "anonymous"
    NON_MEMBER = "non_member"  # signed in, never had a membership
    LAPSED = "lapsed"
    ACTIVE = "active"


def membership_is_active(membership: Membership, now=None) -> bool:
    """A membership is active while its period contains now."""
    now = now or timezone.now()
    return membership.starts_at <= now < membership.ends_at


def active_memberships(now=None) -> Q:
    """The same rule as a filter on Membership, for lists (the admin's active/lapsed filter)."""
    now = now or timezone.now()
    return Q(starts_at__lte=now, ends_at__gt=now)


def member_state(user) -> MemberState:
    """The reader's membership state, looked up once per request (cached on the user object)."""
    if not user.is_authenticated:
        return MemberState.ANONYMOUS
    cached = getattr(user, "_newsreader_member_state", None)
    if cached is None:
        membership = Membership.objects.filter(user=user).only("starts_at", "ends_at").first()
        if membership is None:
            cached = MemberState.NON_MEMBER
        elif membership_is_active(membership):
            cached = MemberState.ACTIVE
        else:
            cached = MemberState.LAPSED
        user._newsreader_member_state = cached
    return cached


def is_member(user) -> bool:
    return member_state(user) is MemberState.ACTIVE


@dataclass(frozen=True)
class Reading:
    """What one reader gets of one article."""

    html: str
    text: str
    withheld: bool  # members-only text exists and this reader does not get it
    state: MemberState


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


def can_comment(user) -> bool:
    return is_member(user)
