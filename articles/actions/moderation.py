"""Barring a member from commenting: from a comment on the page, or from the admin."""

from ..models import CommentBan


def ban_commenter(user, *, reason: str, by) -> CommentBan:
    """Ban them with this reason; a member already banned keeps one ban, with the newest reason."""
    ban, _ = CommentBan.objects.update_or_create(user=user, defaults={"reason": reason, "banned_by": by})
    return ban
