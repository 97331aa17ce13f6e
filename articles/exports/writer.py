"""Writing a site's export: JSON Lines, one record a line, every table read in id order through a
server-side cursor, so that a site of any size is written in constant memory (docs/export.md).

The records come in the order a loader needs them: the header; countries, actors, publishers,
feeds, members; stories; articles (each with its tags and its place among stories); comments; and
an `end` line with the count of each kind, which tells a whole file from one cut short.
"""

import datetime as dt
import json
from collections import Counter
from typing import TextIO

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone

from ..importing.formats.site_export import FORMAT, VERSION
from ..models import Actor, Article, ArticleActor, ArticleCountry, Comment, Country, FeedSource, Source, Story

CHUNK = 500  # rows a server-side cursor fetches at a time


def iso(moment: dt.datetime | None) -> str | None:
    """ISO 8601 with microseconds and the offset: a date compares equal once read back."""
    return moment.isoformat() if moment is not None else None


def country_record(country: Country) -> dict:
    return {"code": country.code, "name": country.name, "region": country.region}


def actor_record(actor: Actor) -> dict:
    return {"slug": actor.slug, "name": actor.name, "type": actor.kind}


def publisher_record(source: Source) -> dict:
    return {
        "id": source.pk, "name": source.name, "site_url": source.site_url, "country": source.country_id,
        "language": source.language, "description": source.description,
    }


def feed_record(feed: FeedSource) -> dict:
    return {
        "id": feed.pk, "url": feed.url, "publisher": feed.source_id, "default_access": feed.default_access,
        "active": feed.active, "link_articles": feed.link_articles, "title_untitled": feed.title_untitled,
        "fetch_full_text": feed.fetch_full_text, "created_at": iso(feed.created_at),
    }


def member_record(user, *, with_credentials: bool) -> dict:
    membership = getattr(user, "membership", None)
    ban = getattr(user, "comment_ban", None)
    record = {
        "id": user.pk, "username": user.username, "email": user.email, "first_name": user.first_name,
        "last_name": user.last_name, "is_active": user.is_active, "is_staff": user.is_staff,
        "is_superuser": user.is_superuser, "date_joined": iso(user.date_joined), "last_login": iso(user.last_login),
        "membership": membership and {
            "plan": membership.plan, "starts_at": iso(membership.starts_at), "ends_at": iso(membership.ends_at),
            "reminded_at": iso(membership.reminded_at),
        },
        "comment_ban": ban and {
            "reason": ban.reason, "created_at": iso(ban.created_at),
            "banned_by": ban.banned_by.username if ban.banned_by else None,
        },
    }
    if with_credentials:
        record["password"] = user.password
    return record


def story_record(story: Story) -> dict:
    return {
        "id": story.pk, "slug": story.slug, "title": story.title, "title_locked": story.title_locked,
        "headline": story.headline_id, "article_count": story.article_count, "outlet_count": story.outlet_count,
        "country_count": story.country_count, "first_published_at": iso(story.first_published_at),
        "last_published_at": iso(story.last_published_at), "created_at": iso(story.created_at),
        "updated_at": iso(story.updated_at),
    }


ARTICLE_TEXTS = [
    "title", "slug", "dek", "excerpt", "author", "guid", "access", "language", "free_html", "members_html",
    "free_text", "members_text", "stripped_chrome", "content_hash",
]
ARTICLE_FLAGS = [
    "published_at_is_import_time", "language_detected", "source_truncated", "is_link", "text_from_page",
    "reading_minutes", "comment_count",
]


def article_record(article: Article) -> dict:
    placed = getattr(article, "story_link", None)
    return {
        "id": article.pk,
        **{name: getattr(article, name) for name in ARTICLE_TEXTS},
        "url": article.source_url,
        "publisher": article.source_id,
        "published_at": iso(article.published_at),
        **{name: getattr(article, name) for name in ARTICLE_FLAGS},
        "created_at": iso(article.created_at),
        "updated_at": iso(article.updated_at),
        "countries": [{"code": tag.country_id, "mentions": tag.mentions, "origin": tag.origin}
                      for tag in article.country_tags.all()],
        "actors": [{"slug": tag.actor_id, "mentions": tag.mentions, "origin": tag.origin}
                   for tag in article.actor_tags.all()],
        "story": placed and {
            "id": placed.story_id, "pinned": placed.pinned, "features": placed.features,
            "duplicate_of": placed.duplicate_of_id,
        },
    }


def comment_record(comment: Comment) -> dict:
    return {
        "id": comment.pk, "article": comment.article_id, "author": comment.user.username, "parent": comment.parent_id,
        "body": comment.body, "body_html": comment.body_html, "created_at": iso(comment.created_at),
        "edited_at": iso(comment.edited_at), "hidden": comment.hidden,
    }


def tables(*, with_credentials: bool):
    """(kind, rows, record) for each kind of record, in the order they are written."""
    users = get_user_model().objects.select_related("membership", "comment_ban__banned_by").order_by("pk")
    articles = Article.objects.select_related("story_link").order_by("pk").prefetch_related(
        Prefetch("country_tags", ArticleCountry.objects.order_by("country_id")),
        Prefetch("actor_tags", ArticleActor.objects.order_by("actor_id")),
    )
    return [
        ("country", Country.objects.order_by("code"), country_record),
        ("actor", Actor.objects.order_by("slug"), actor_record),
        ("publisher", Source.objects.order_by("pk"), publisher_record),
        ("feed", FeedSource.objects.order_by("pk"), feed_record),
        ("member", users, lambda user: member_record(user, with_credentials=with_credentials)),
        ("story", Story.objects.order_by("pk"), story_record),
        ("article", articles, article_record),
        ("comment", Comment.objects.select_related("user").order_by("pk"), comment_record),
    ]


def write_export(out: TextIO, *, with_credentials: bool = False) -> Counter:
    """Write the whole site to `out`; the count of each kind of record written."""
    counts = Counter()

    def line(record: dict) -> None:
        out.write(json.dumps(record, ensure_ascii=False, separators=(",", ":")))
        out.write("\n")

    line({"format": FORMAT, "version": VERSION, "exported_at": iso(timezone.now()), "with_credentials": with_credentials})
    for kind, rows, record in tables(with_credentials=with_credentials):
        for row in rows.iterator(chunk_size=CHUNK):
            line({"kind": kind, **record(row)})
            counts[kind] += 1
    line({"kind": "end", "counts": dict(counts)})
    return counts
