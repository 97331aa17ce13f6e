"""The app's models, one module per responsibility."""

from .articles import Article, Source
from .comments import Comment, PostingTooFast
from .geo import Actor, ArticleActor, ArticleCountry, Country, TagOrigin
from .imports import ImportRun
from .members import Membership
from .moderation import CommentBan
from .throttle import LoginFailure

__all__ = [
    "Actor",
    "Article",
    "ArticleActor",
    "ArticleCountry",
    "Comment",
    "CommentBan",
    "Country",
    "ImportRun",
    "LoginFailure",
    "Membership",
    "PostingTooFast",
    "Source",
    "TagOrigin",
]
