"""Loading a site's export into a fresh site (`manage.py import_export`, docs/export.md).

Everything keeps its id, its slug and its dates, so that the new site's pages are the old one's: a
fresh site has none of those rows for them to collide with (`refuse_unless_fresh`). Members are the
exception: a site may have its first staff account before the load, so members are matched by
username, and one that is already there is an error. The whole load is one transaction, so a bad
line leaves the site as it was; PostgreSQL checks the references between rows (an article's
story, a comment's parent) at its commit, so records may refer to ones further down the file.

The file is read a line at a time and written a batch at a time (COPY for the large tables, which
keeps dates as they are where the ORM would stamp `auto_now`), so memory stays flat however large
the export.
"""

import json
from collections import Counter
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import DatabaseError, connection, transaction
from django.utils.dateparse import parse_datetime

from ..bulk import copy_rows
from ..importing.formats.site_export import header_of
from ..importing.parsed import ImportFailed
from ..models import (
    Actor,
    Article,
    ArticleActor,
    ArticleCountry,
    Comment,
    CommentBan,
    Country,
    FeedSource,
    Membership,
    Source,
    Story,
    StoryArticle,
)
from ..stories.grouping import ROW_COLUMNS, array_literal

BATCH = 1000
# Tables whose rows keep the ids they had: their sequences continue after the largest.
KEPT_IDS = [Source, FeedSource, Article, Story, Comment]
ARTICLE_COLUMNS = [
    "id", "slug", "source_id", "title", "dek", "excerpt", "author", "source_url", "guid", "access", "free_html",
    "members_html", "free_text", "members_text", "source_truncated", "stripped_chrome", "content_hash",
    "reading_minutes", "is_link", "text_from_page", "language", "language_detected", "published_at",
    "published_at_is_import_time", "comment_count", "created_at", "updated_at",
]
STORY_COLUMNS = [
    "id", "slug", "title", "title_locked", "headline_id", "article_count", "outlet_count", "country_count",
    "first_published_at", "last_published_at", "created_at", "updated_at",
]
COMMENT_COLUMNS = ["id", "article_id", "user_id", "parent_id", "body", "body_html", "created_at", "edited_at", "hidden"]


class LoadFailed(Exception):
    """The export cannot be loaded; the message says why, and where. Nothing was written."""


def when(text: str | None):
    return parse_datetime(text) if text else None


def refuse_unless_fresh() -> None:
    for model in (Article, Source, Story, Comment, FeedSource):
        if model.objects.exists():
            raise LoadFailed(
                f"this site already has {model._meta.verbose_name_plural}: import_export loads a whole site into a "
                "fresh one (to add an export's articles to this site, use import_articles)"
            )


class Loader:
    """Takes an export's records in order and writes them a batch at a time."""

    def __init__(self):
        self.batches: dict[str, list[dict]] = {}
        self.counts = Counter()
        self.member_ids: dict[str, int] = {}  # username → id on this site, for comments and bans
        self.bans: list[dict] = []  # written once every member is, for the moderator who banned

    def add(self, record: dict) -> None:
        kind = record["kind"]
        if kind not in WRITERS:
            raise LoadFailed(f"it has a record of an unknown kind, {kind!r}")
        if kind not in self.batches:
            self.flush_all()  # a new kind: what came before is written first (comments need their members)
        batch = self.batches.setdefault(kind, [])
        batch.append(record)
        self.counts[kind] += 1
        if len(batch) >= BATCH:
            self.flush(kind)

    def flush(self, kind: str) -> None:
        batch = self.batches.pop(kind, [])
        if batch:
            WRITERS[kind](self, batch)

    def flush_all(self) -> None:
        for kind in list(self.batches):
            self.flush(kind)

    def finish(self) -> None:
        self.flush_all()
        write_bans(self, self.bans)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), KEPT_IDS):
                cursor.execute(statement)


def write_countries(loader: Loader, records: list[dict]) -> None:
    Country.objects.bulk_create(
        [Country(code=r["code"], name=r["name"], region=r["region"]) for r in records],
        update_conflicts=True, unique_fields=["code"], update_fields=["name", "region"],
    )


def write_actors(loader: Loader, records: list[dict]) -> None:
    Actor.objects.bulk_create(
        [Actor(slug=r["slug"], name=r["name"], kind=r["type"]) for r in records],
        update_conflicts=True, unique_fields=["slug"], update_fields=["name", "kind"],
    )


def write_publishers(loader: Loader, records: list[dict]) -> None:
    Source.objects.bulk_create([
        Source(id=r["id"], name=r["name"], site_url=r["site_url"], country_id=r["country"], language=r["language"],
               description=r["description"])
        for r in records
    ])


def write_feeds(loader: Loader, records: list[dict]) -> None:
    FeedSource.objects.bulk_create([
        FeedSource(id=r["id"], url=r["url"], source_id=r["publisher"], default_access=r["default_access"],
                   active=r["active"], link_articles=r["link_articles"], title_untitled=r["title_untitled"],
                   fetch_full_text=r["fetch_full_text"])
        for r in records
    ])


def write_members(loader: Loader, records: list[dict]) -> None:
    User = get_user_model()
    names = [r["username"] for r in records]
    if taken := list(User.objects.filter(username__in=names).values_list("username", flat=True)[:5]):
        raise LoadFailed(f"members already on this site: {', '.join(taken)} (usernames must be new)")
    users = User.objects.bulk_create([
        User(username=r["username"], email=r["email"], first_name=r["first_name"], last_name=r["last_name"],
             is_active=r["is_active"], is_staff=r["is_staff"], is_superuser=r["is_superuser"],
             date_joined=when(r["date_joined"]), last_login=when(r["last_login"]),
             # Without credentials in the export, no password signs in: a member sets one by a reset.
             password=r.get("password") or make_password(None))
        for r in records
    ])
    loader.member_ids |= {user.username: user.pk for user in users}
    Membership.objects.bulk_create([
        Membership(user_id=loader.member_ids[r["username"]], plan=m["plan"], starts_at=when(m["starts_at"]),
                   ends_at=when(m["ends_at"]), reminded_at=when(m["reminded_at"]))
        for r in records if (m := r["membership"])
    ])
    loader.bans += [{"username": r["username"], **r["comment_ban"]} for r in records if r["comment_ban"]]


def write_bans(loader: Loader, bans: list[dict]) -> None:
    CommentBan.objects.bulk_create([
        CommentBan(user_id=loader.member_ids[ban["username"]], reason=ban["reason"], created_at=when(ban["created_at"]),
                   banned_by_id=loader.member_ids.get(ban["banned_by"]))
        for ban in bans
    ])


def write_stories(loader: Loader, records: list[dict]) -> None:
    copy_rows(Story, STORY_COLUMNS, [
        (r["id"], r["slug"], r["title"], r["title_locked"], r["headline"], r["article_count"], r["outlet_count"],
         r["country_count"], r["first_published_at"], r["last_published_at"], r["created_at"], r["updated_at"])
        for r in records
    ])


def write_articles(loader: Loader, records: list[dict]) -> None:
    copy_rows(Article, ARTICLE_COLUMNS, [
        (r["id"], r["slug"], r["publisher"], r["title"], r["dek"], r["excerpt"], r["author"], r["url"], r["guid"],
         r["access"], r["free_html"], r["members_html"], r["free_text"], r["members_text"], r["source_truncated"],
         r["stripped_chrome"], r["content_hash"], r["reading_minutes"], r["is_link"], r["text_from_page"],
         r["language"], r["language_detected"], r["published_at"], r["published_at_is_import_time"],
         r["comment_count"], r["created_at"], r["updated_at"])
        for r in records
    ])
    copy_rows(ArticleCountry, ["article_id", "country_id", "mentions", "origin", "published_at"], [
        (r["id"], tag["code"], tag["mentions"], tag["origin"], r["published_at"]) for r in records for tag in r["countries"]
    ])
    copy_rows(ArticleActor, ["article_id", "actor_id", "mentions", "origin"], [
        (r["id"], tag["slug"], tag["mentions"], tag["origin"]) for r in records for tag in r["actors"]
    ])
    rows = [  # in ROW_COLUMNS' order
        (r["id"], r["published_at"], r["publisher"], array_literal(story["features"]), story["id"], story["pinned"],
         story["duplicate_of"])
        for r in records if (story := r["story"]) is not None
    ]
    copy_rows(StoryArticle, ROW_COLUMNS, rows)


def write_comments(loader: Loader, records: list[dict]) -> None:
    missing = {r["author"] for r in records} - loader.member_ids.keys()
    if missing:
        raise LoadFailed(f"comments by members the export does not list: {', '.join(sorted(missing)[:5])}")
    copy_rows(Comment, COMMENT_COLUMNS, [
        (r["id"], r["article"], loader.member_ids[r["author"]], r["parent"], r["body"], r["body_html"], r["created_at"],
         r["edited_at"], r["hidden"])
        for r in records
    ])


def check_end(loader: Loader, end: dict) -> None:
    declared, read = end.get("counts") or {}, dict(loader.counts)
    if declared != read:
        raise LoadFailed(f"it declares {declared} records but holds {read}")


# Each kind of record and what writes a batch of it, in the order a file holds them.
WRITERS = {
    "country": write_countries, "actor": write_actors, "publisher": write_publishers, "feed": write_feeds,
    "member": write_members, "story": write_stories, "article": write_articles, "comment": write_comments,
}


def load_export(lines: Iterable[str]) -> Counter:
    """Load an export's lines into this (fresh) site, all or nothing; the count of each kind loaded.
    LoadFailed names the line and what is wrong with it."""
    lines = iter(lines)
    try:
        header_of(next(lines, ""))
    except ImportFailed as error:
        raise LoadFailed(f"line 1: {error}") from None
    loader, number, ended = Loader(), 1, False
    with transaction.atomic():
        refuse_unless_fresh()
        for number, line in enumerate(lines, start=2):
            try:
                record = json.loads(line)
                if ended:
                    raise LoadFailed("it goes on after its end line")
                if record.get("kind") == "end":
                    loader.finish()
                    check_end(loader, record)
                    ended = True
                else:
                    loader.add(record)
            except json.JSONDecodeError as error:
                raise LoadFailed(f"line {number}: it is not JSON ({error.msg})") from None
            except (KeyError, TypeError, AttributeError) as error:
                raise LoadFailed(f"line {number}: it lacks what an export's record has ({error!r})") from None
            except LoadFailed as error:
                raise LoadFailed(f"line {number}: {error}") from None
            except DatabaseError as error:
                raise LoadFailed(f"line {number}: the database refused the records up to here ({error})") from None
        if not ended:
            raise LoadFailed(f"it ends at line {number} without its end line: the export is incomplete")
        try:
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # references checked now, with a message
        except DatabaseError as error:
            raise LoadFailed(f"its records do not fit together: {error}") from None
    return loader.counts
