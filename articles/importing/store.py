"""Turning a parsed article into a stored one: sanitise, split the free preview, and save it,
idempotently (the same input twice is `unchanged`, a changed one `updated`).

An article is the same article when it has the same feed guid or source URL, or, with neither,
the same source and title. `BatchStore` writes articles a few hundred at a time (a handful of
queries and one transaction per batch); when a batch is refused, its articles are stored one by
one, each in its own transaction, so that a bad one fails alone and the rest still land.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import Truncator, slugify

from ..geo.store import write_tags
from ..geo.tagging import Tags, tag_article
from ..models import Article, Source
from ..pagecache import content_changed
from ..readingtime import reading_minutes
from .parsed import ImportFailed, ParsedArticle
from .sanitize import clean_html, html_to_text

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
EXCERPT_WORDS = 40
SLUG_LENGTH = 80
BATCH_SIZE = 500


@dataclass
class Prepared:
    """The article's stored fields, as they would be saved."""

    fields: dict
    source_name: str
    tags: list[str]  # the input's own categories or keywords, for the tagging step

    @cached_property
    def mentions(self) -> Tags:
        """The countries and actors it mentions, and those of `tags` the vocabulary knows.

        Worked out when first asked for, which is only when the article is written: an input found
        unchanged (every one of a re-import) is never tagged.
        """
        fields = self.fields
        return tag_article(
            title=fields["title"], dek=fields["dek"], free_text=fields["free_text"],
            members_text=fields["members_text"], given=self.tags,
        )

    def identity(self) -> list[tuple]:
        """The keys that make two inputs the same article."""
        if self.fields["guid"] or self.fields["source_url"]:
            return [("guid", self.fields["guid"]), ("url", self.fields["source_url"])]
        return [("title", self.source_name, self.fields["title"])]


def shows_something(block: str, text: str) -> bool:
    """A cleaned block with text, an image or a rule (not the `<p></p>` left where a script stood)."""
    return bool(text) or "<img" in block or "<hr" in block


def prepare(parsed: ParsedArticle) -> Prepared:
    title = " ".join(parsed.title.split())
    if not title:
        raise ImportFailed("it has no title")
    if len(title) > Article._meta.get_field("title").max_length:
        raise ImportFailed(f"its title is longer than {Article._meta.get_field('title').max_length} characters")
    blocks, texts, free_blocks = [], [], None
    for index, block in enumerate(parsed.blocks):
        if index == parsed.free_blocks:
            free_blocks = len(blocks)  # the break, counted in the blocks that are kept
        cleaned = clean_html(block).strip()
        text = html_to_text(cleaned) if cleaned else ""
        if shows_something(cleaned, text):
            blocks.append(cleaned)
            texts.append(text)
    if parsed.free_blocks is not None and free_blocks is None:
        free_blocks = len(blocks)
    if not blocks:
        raise ImportFailed(f"“{title}” has no text")

    access = parsed.access or (Article.Access.MEMBERS if parsed.free_blocks is not None else settings.NEWSREADER_DEFAULT_ACCESS)
    if access not in Article.Access.values:
        raise ImportFailed(f"its access {access!r} is neither “free” nor “members”")
    split_at = len(blocks) if access == Article.Access.FREE else (
        free_blocks if free_blocks is not None else settings.NEWSREADER_FREE_PARAGRAPHS
    )
    free, members = blocks[:split_at], blocks[split_at:]
    free_text = "\n\n".join(filter(None, texts[:split_at]))
    dek = html_to_text(parsed.dek)
    fields = {
        "title": title,
        "dek": dek,
        "excerpt": Truncator(" ".join((dek or free_text).split())).words(EXCERPT_WORDS),
        "author": " ".join(parsed.author.split()),
        "source_url": parsed.source_url.strip(),
        "guid": parsed.guid.strip(),
        "access": access,
        "free_html": "\n".join(free),
        "members_html": "\n".join(members),
        "free_text": free_text,
        "members_text": "\n\n".join(filter(None, texts[split_at:])),
        "source_truncated": parsed.source_truncated,
        "stripped_chrome": parsed.stripped_chrome,
    }
    if parsed.published_at:
        fields["published_at"] = parsed.published_at.astimezone(dt.UTC)
    for name, value in fields.items():
        limit = getattr(Article._meta.get_field(name), "max_length", None)
        if limit and isinstance(value, str) and len(value) > limit:
            raise ImportFailed(f"its {Article._meta.get_field(name).verbose_name} is longer than {limit} characters")
    source_name = " ".join(parsed.source_name.split())
    if len(source_name) > Source._meta.get_field("name").max_length:
        raise ImportFailed(f"its source name is longer than {Source._meta.get_field('name').max_length} characters")
    tags = list(dict.fromkeys(tag for name in parsed.tags if (tag := " ".join(str(name).split()))))
    fields["content_hash"] = hashlib.sha256(
        json.dumps([fields, source_name, tags], sort_keys=True, default=str).encode()
    ).hexdigest()
    # Derived from the texts the hash covers, so it stays out of the hash.
    fields["reading_minutes"] = reading_minutes(fields["free_text"], fields["members_text"])
    return Prepared(fields=fields, source_name=source_name, tags=tags)


def find_existing(prepared: Prepared, *, lock: bool = False) -> Article | None:
    """The stored article this input is a version of: same guid or source URL, else same source and title."""
    articles = Article.objects.select_for_update(of=("self",)) if lock else Article.objects.all()
    guid, url = prepared.fields["guid"], prepared.fields["source_url"]
    if guid and (same_guid := articles.filter(guid=guid).first()):
        return same_guid
    if guid or url:
        return articles.filter(source_url=url).first() if url else None
    same_source = Q(source__name=prepared.source_name) if prepared.source_name else Q(source__isnull=True)
    return articles.filter(same_source, source_url="", guid="", title=prepared.fields["title"]).first()


def outcome_of(prepared: Prepared) -> tuple[str, Article | None]:
    """What storing would do, without writing anything (for dry runs)."""
    existing = find_existing(prepared)
    if existing is None:
        return CREATED, None
    return (UNCHANGED if existing.content_hash == prepared.fields["content_hash"] else UPDATED), existing


def slug_base(title: str) -> str:
    return slugify(title)[:SLUG_LENGTH].strip("-") or "article"


def taken_slugs(bases) -> set[str]:
    starts = Q()
    for base in set(bases):
        starts |= Q(slug__startswith=base)
    return set(Article.objects.filter(starts).values_list("slug", flat=True)) if starts else set()


def free_slug(base: str, taken: set[str]) -> str:
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    taken.add(slug)
    return slug


def unique_slug(title: str) -> str:
    base = slug_base(title)
    return free_slug(base, taken_slugs([base]))


def apply(article: Article, prepared: Prepared, source: Source | None, now: dt.datetime) -> None:
    """Set the stored fields; a new article without a date is dated by its import."""
    article.source = source
    for name, value in prepared.fields.items():
        setattr(article, name, value)
    if "published_at" in prepared.fields:
        article.published_at_is_import_time = False
    elif article.pk is None:
        article.published_at = now
        article.published_at_is_import_time = True
    article.updated_at = now


def store(prepared: Prepared) -> tuple[str, Article]:
    """Save one article whole in its own transaction; returns (outcome, article)."""
    with transaction.atomic():
        existing = find_existing(prepared, lock=True)
        if existing is not None and existing.content_hash == prepared.fields["content_hash"]:
            return UNCHANGED, existing
        source = Source.objects.get_or_create(name=prepared.source_name)[0] if prepared.source_name else None
        article = existing or Article(slug=unique_slug(prepared.fields["title"]))
        apply(article, prepared, source, timezone.now())
        article.save()
        write_tags([(article, prepared.mentions)])
        return (CREATED if existing is None else UPDATED), article


@dataclass
class Pending:
    input: str
    where: str
    prepared: Prepared


# What a batch writes back to articles that already exist.
UPDATE_FIELDS = [
    "title", "dek", "excerpt", "author", "source", "source_url", "guid", "access", "free_html", "members_html",
    "free_text", "members_text", "source_truncated", "stripped_chrome", "content_hash", "reading_minutes",
    "published_at", "published_at_is_import_time", "updated_at",
]
EXISTING_FIELDS = [
    "id", "slug", "title", "source_id", "source_url", "guid", "content_hash", "published_at", "published_at_is_import_time",
]


class BatchStore:
    """Collects prepared articles and stores them a batch at a time.

    `on_stored(status, pending, article)` is called for every article once its batch is written
    (in a dry run, a new article is the unsaved one that would be created), `on_failed(pending,
    error)` for every article the database refused.
    """

    def __init__(self, on_stored, on_failed, *, dry_run: bool = False, size: int = BATCH_SIZE):
        self.on_stored, self.on_failed = on_stored, on_failed
        self.dry_run, self.size = dry_run, size
        self.pending: list[Pending] = []
        self.keys: set[tuple] = set()

    def add(self, pending: Pending) -> None:
        keys = {key for key in pending.prepared.identity() if key[-1]}
        if keys & self.keys:
            self.flush()  # a second version of an article in this batch goes after the first
        self.pending.append(pending)
        self.keys |= keys
        if len(self.pending) >= self.size:
            self.flush()

    def flush(self) -> None:
        batch, self.pending, self.keys = self.pending, [], set()
        if not batch:
            return
        try:
            with transaction.atomic():
                outcomes = self.write(batch)
        except DatabaseError:
            outcomes = [self.one_by_one(pending) for pending in batch]
        for pending, outcome in zip(batch, outcomes):
            if isinstance(outcome, ImportFailed):
                self.on_failed(pending, outcome)
            else:
                self.on_stored(outcome[0], pending, outcome[1])

    def one_by_one(self, pending: Pending):
        for attempt in (1, 2):  # a second try finds what a concurrent import just committed
            try:
                if not self.dry_run:
                    return store(pending.prepared)
                status, existing = outcome_of(pending.prepared)
                return status, existing or Article(slug=unique_slug(pending.prepared.fields["title"]))
            except IntegrityError as error:
                if attempt == 2:
                    return ImportFailed(f"the database refused it ({error})")
            except DatabaseError as error:
                return ImportFailed(f"the database refused it ({error})")

    def sources(self, batch: list[Pending]) -> dict[str, Source]:
        names = {p.prepared.source_name for p in batch} - {""}
        found = {s.name: s for s in Source.objects.filter(name__in=names)}
        missing = names - found.keys()
        if missing and not self.dry_run:
            Source.objects.bulk_create([Source(name=name) for name in missing], ignore_conflicts=True)
            found |= {s.name: s for s in Source.objects.filter(name__in=missing)}
        return found

    def existing(self, batch: list[Pending], sources: dict[str, Source]) -> list[Article | None]:
        guids = {p.prepared.fields["guid"] for p in batch} - {""}
        urls = {p.prepared.fields["source_url"] for p in batch} - {""}
        titles = {p.prepared.fields["title"] for p in batch if not (p.prepared.fields["guid"] or p.prepared.fields["source_url"])}
        found = Article.objects.filter(
            Q(guid__in=guids) | Q(source_url__in=urls) | Q(source_url="", guid="", title__in=titles)
        ).only(*EXISTING_FIELDS)
        by_guid, by_url, by_title = {}, {}, {}
        for article in found:
            if article.guid:
                by_guid[article.guid] = article
            if article.source_url:
                by_url[article.source_url] = article
            if not article.guid and not article.source_url:
                by_title[(article.source_id, article.title)] = article
        matches = []
        for p in batch:
            fields = p.prepared.fields
            source = sources.get(p.prepared.source_name)
            matches.append(
                by_guid.get(fields["guid"]) or by_url.get(fields["source_url"])
                if fields["guid"] or fields["source_url"]
                else by_title.get((source.pk if source else None, fields["title"]))
            )
        return matches

    def write(self, batch: list[Pending]) -> list[tuple[str, Article | None]]:
        """Store a batch with a few queries; raises DatabaseError when the database refuses any of it."""
        now = timezone.now()
        sources = self.sources(batch)
        matches = self.existing(batch, sources)
        new_bases = [slug_base(p.prepared.fields["title"]) for p, match in zip(batch, matches) if match is None]
        taken = taken_slugs(new_bases)
        outcomes, created, updated = [], [], []
        for p, match in zip(batch, matches):
            source = sources.get(p.prepared.source_name)
            if match is None:
                article = Article(slug=free_slug(slug_base(p.prepared.fields["title"]), taken))
                apply(article, p.prepared, source, now)
                created.append(article)
                outcomes.append((CREATED, article))
            elif match.content_hash == p.prepared.fields["content_hash"]:
                outcomes.append((UNCHANGED, match))
            else:
                apply(match, p.prepared, source, now)
                updated.append(match)
                outcomes.append((UPDATED, match))
        if not self.dry_run:
            Article.objects.bulk_create(created)
            Article.objects.bulk_update(updated, UPDATE_FIELDS)
            stored = zip(batch, outcomes)
            write_tags([(article, p.prepared.mentions) for p, (status, article) in stored if status != UNCHANGED])
            if created or updated:
                content_changed()  # bulk writes send no post_save: cached pages are stale on commit
        return outcomes
