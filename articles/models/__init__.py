"""The app's models, one module per responsibility."""

from .articles import Article, Source
from .comments import Comment, PostingTooFast
from .members import Membership
from .moderation import CommentBan
from .throttle import LoginFailure

__all__ = ["Article", "Comment", "CommentBan", "LoginFailure", "Membership", "PostingTooFast", "Source"]
