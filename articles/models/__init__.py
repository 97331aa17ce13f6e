"""The app's models, one module per responsibility."""

from .articles import Article, Source
from .billing import Gift, MeteredRead, StripeEvent, Subscription
from .comments import Comment
from .desk import Bookmark, Desk, Digest, DigestSent, Follow, ReadMark, Subject
from .feeds import FeedSource
from .geo import Actor, ArticleActor, ArticleCountry, Country, TagOrigin
from .imports import ImportRun, ImportUpload, Outcome
from .lookups import AnyOf
from .members import Membership, Trial, email_key
from .moderation import CommentBan
from .stories import Story, StoryArticle
from .throttle import LoginFailure, MailRequest

__all__ = [
    "Actor",
    "Bookmark",
    "Desk",
    "Digest",
    "DigestSent",
    "Follow",
    "ReadMark",
    "Subject",
    "Article",
    "ArticleActor",
    "AnyOf",
    "ArticleCountry",
    "Comment",
    "CommentBan",
    "Country",
    "FeedSource",
    "Gift",
    "ImportRun",
    "ImportUpload",
    "LoginFailure",
    "Outcome",
    "MailRequest",
    "MeteredRead",
    "Membership",
    "Source",
    "Story",
    "StoryArticle",
    "StripeEvent",
    "Subscription",
    "TagOrigin",
    "Trial",
    "email_key",
]
