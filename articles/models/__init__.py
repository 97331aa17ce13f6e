"""The app's models, one module per responsibility."""

from .articles import Article, Source
from .comments import Comment
from .members import Membership

__all__ = ["Article", "Comment", "Membership", "Source"]
