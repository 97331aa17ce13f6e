"""The app's models, one module per responsibility."""

from .articles import Article, Source
from .comments import Comment
from .members import Membership
from .throttle import LoginFailure

__all__ = ["Article", "Comment", "LoginFailure", "Membership", "Source"]
