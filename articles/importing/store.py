"""Storing prepared articles, idempotently: the same input twice is `unchanged`, a changed one
`updated` (same slug, same comments, same editors' tags).

An article is the same article when it has the same feed guid or source URL, or, with neither,
the same source and title (`Prepared.identity`; `existing` finds the stored ones, for one input or
a batch). `BatchStore` writes articles a batch at a time: new ones with COPY, changed ones with one
UPDATE, in one transaction. When a batch is refused, its articles are stored one by one, each in
its own transaction, so that a bad one fails alone and the rest still land.
"""

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass

from anyascii import anyascii
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify

from ..bulk import copy_rows, new_ids
from ..geo.tag_rows import insert_tags, write_tags
from ..models import Article, Outcome, Source
from ..models.search import UNSPACED_LETTERS
from ..stories import grouping
from .parsed import ImportFailed
from .prepare import Prepared

SLUG_LENGTH = 80
BATCH_SIZE = 1000

# What the lookup loads of a stored article: enough to match it, compare it and update it.
EXISTING_FIELDS = [
    "id", "slug", "title", "source_id", "source__name", "source_url", "guid", "content_hash", "published_at",
    "published_at_is_import_time", "language", "language_detected", "input_hash",
]


def stored_identity(article: Article) -> list[tuple]:
    """A stored article's keys, as `Prepared.identity` makes them for an input."""
    if article.guid or article.source_url:
        return [("guid", article.guid), ("url", article.source_url)]
    return [("title", article.source.name if article.source else "", article.title)]


def existing(batch: list[Prepared], *, lock: bool = False) -> list[Article | None]:
    """The stored article each input is a version of, or None: the first of its keys (guid, then
    source URL; or source and title) that a stored article shares. `lock` locks the rows found."""
    guids = {p.fields["guid"] for p in batch} - {""}
    urls = {p.fields["source_url"] for p in batch} - {""}
    titled = [key for p in batch for key in p.identity() if key[0] == "title"]
    names = {name for _, name, _ in titled}
    # Each condition matches one of the partial unique indexes, so that each is an index scan.
    by_title = Q(source__name__in=names - {""}) | (Q(source__isnull=True) if "" in names else Q(pk__in=[]))
    articles = Article.objects.select_related("source").only(*EXISTING_FIELDS).order_by()
    if lock:
        articles = articles.select_for_update(of=("self",))
    found = articles.filter(
        (Q(guid__in=guids) & ~Q(guid=""))
        | (Q(source_url__in=urls) & ~Q(source_url=""))
        | (Q(source_url="", guid="", title__in={title for _, _, title in titled}) & by_title)
    )
    by_key = {key: article for article in found for key in stored_identity(article) if key[-1]}
    return [next((by_key[key] for key in p.identity() if key[-1] and key in by_key), None) for p in batch]


def find_existing(prepared: Prepared, *, lock: bool = False) -> Article | None:
    return existing([prepared], lock=lock)[0]


def outcome_of(prepared: Prepared) -> tuple[str, Article | None]:
    """What storing would do, without writing anything (for dry runs)."""
    found = find_existing(prepared)
    if found is None:
        return Outcome.CREATED, None
    return (Outcome.UNCHANGED if found.content_hash == prepared.fields["content_hash"] else Outcome.UPDATED), found


# Letters of scripts written without spaces between words, each transliterated as a word of its
# own (中国与越南 → zhong-guo-yu-yue-nan, not zhongguoyuyuenan).
UNSPACED = re.compile(f"[{UNSPACED_LETTERS}]")
# anyascii leaves the Arabic alif out (السعودية → ls`wdyh), the long vowel most romanisations write.
ALIF = str.maketrans({"ا": "a", "أ": "a", "إ": "i", "ٱ": "a"})


def slug_base(title: str) -> str:
    """The title in ASCII (anyascii: Москва → moskva, السعودية → alswdyh, 中国 → zhong-guo), cut at
    a word within SLUG_LENGTH; "article" when nothing of it is left."""
    ascii_title = anyascii(UNSPACED.sub(lambda letter: f" {letter.group()} ", title).translate(ALIF))
    slug = slugify(ascii_title)
    if len(slug) > SLUG_LENGTH:
        slug = slug[:SLUG_LENGTH + 1].rsplit("-", 1)[0]
    return slug.strip("-") or "article"


class FreeSlugs:
    """Slugs for new articles: the title's, else with -2, -3… appended, avoiding what is stored and
    what was taken before. Stored slugs are looked up for all the bases at once (one exact lookup),
    and those starting with a base only for a base that is taken."""

    def __init__(self, bases: list[str]):
        wanted = Counter(bases)
        self.taken = set(Article.objects.filter(slug__in=wanted).order_by().values_list("slug", flat=True))
        self.loaded: set[str] = set()
        self.load(self.taken | {base for base, count in wanted.items() if count > 1})

    def load(self, bases: set[str]) -> None:
        starts = Q()
        for base in bases - self.loaded:
            starts |= Q(slug__startswith=f"{base}-")
        if starts:
            self.taken |= set(Article.objects.filter(starts).order_by().values_list("slug", flat=True))
        self.loaded |= bases

    def take(self, base: str) -> str:
        if base in self.taken:
            self.load({base})
        slug, n = base, 2
        while slug in self.taken:
            slug, n = f"{base}-{n}", n + 1
        self.taken.add(slug)
        return slug


def unique_slug(title: str) -> str:
    base = slug_base(title)
    return FreeSlugs([base]).take(base)


def update_homes(prepared: list[Prepared], sources: dict[str, Source]) -> None:
    """Set each publisher's home where an input gives it and it differs (the input's word wins)."""
    changed = {}
    for p in prepared:
        source = sources.get(p.source_name)
        if source is not None and any(getattr(source, name) != value for name, value in p.source_home.items()):
            for name, value in p.source_home.items():
                setattr(source, name, value)
            changed[source.pk] = source
    if changed:
        Source.objects.bulk_update(list(changed.values()), ["country", "language"])


def sources_named(names: set[str], *, create: bool) -> dict[str, Source]:
    """The sources by name, the missing ones created when `create`."""
    names = names - {""}
    found = {s.name: s for s in Source.objects.filter(name__in=names)}
    missing = names - found.keys()
    if missing and create:
        Source.objects.bulk_create([Source(name=name) for name in missing], ignore_conflicts=True)
        found |= {s.name: s for s in Source.objects.filter(name__in=missing)}
    return found


def apply(article: Article, prepared: Prepared, source: Source | None, now: dt.datetime) -> None:
    """Set the stored fields; a new article without a date is dated by its import. A stored
    language that an editor chose or an input gave stays when the new version gives none (and the
    article is tagged in it)."""
    article.source = source
    fields = prepared.fields
    if article.pk is not None and fields["language_detected"] and not article.language_detected:
        if fields["language"] != article.language:
            fields.update(language=article.language, language_detected=False)
            prepared.__dict__.pop("mentions", None)  # tagged again, in the language kept
    for name, value in prepared.fields.items():
        setattr(article, name, value)
    if "published_at" in prepared.fields:
        article.published_at_is_import_time = False
    elif article.pk is None:
        article.published_at = now
        article.published_at_is_import_time = True
    article.updated_at = now


def refingerprinted(unchanged: list[tuple[Article, Prepared]]) -> list[Article]:
    """Unchanged articles given the fingerprint of the input they were found in again (their
    first import's was made by other code, or from other bytes of the same text), so that the next
    import of that input knows them without preparing it (known.py)."""
    changed = []
    for article, prepared in unchanged:
        if prepared.fields["input_hash"] and article.input_hash != prepared.fields["input_hash"]:
            article.input_hash = prepared.fields["input_hash"]
            changed.append(article)
    return changed


def group_imported(items: list[grouping.Item], seen: grouping.Seen | None = None) -> None:
    """Place imported articles in stories, unless the site groups them later (group_stories)."""
    if settings.NEWSREADER_GROUP_STORIES_AT_IMPORT:
        grouping.group(items, seen)


def store(prepared: Prepared) -> tuple[str, Article]:
    """Save one article whole in its own transaction; returns (outcome, article)."""
    with transaction.atomic():
        found = find_existing(prepared, lock=True)
        if found is not None and found.content_hash == prepared.fields["content_hash"]:
            Article.objects.bulk_update(refingerprinted([(found, prepared)]), ["input_hash"])
            return Outcome.UNCHANGED, found
        source = Source.objects.get_or_create(name=prepared.source_name)[0] if prepared.source_name else None
        update_homes([prepared], {prepared.source_name: source})
        article = found or Article(slug=unique_slug(prepared.fields["title"]))
        apply(article, prepared, source, timezone.now())
        article.save()
        write_tags([(article, prepared.mentions)])
        group_imported([grouping.item_of_article(article, prepared.mentions)])
        return (Outcome.CREATED if found is None else Outcome.UPDATED), article


# The columns a new article is COPYed with; the rest take their defaults (generated search vectors).
FIELD_COLUMNS = [
    "title", "dek", "excerpt", "author", "source_url", "guid", "access", "free_html", "members_html", "free_text",
    "members_text", "source_truncated", "stripped_chrome", "content_hash", "reading_minutes", "is_link", "text_from_page",
    "language", "language_detected", "input_hash",
]
NEW_COLUMNS = [
    "id", "slug", "source_id", *FIELD_COLUMNS, "published_at", "published_at_is_import_time", "comment_count",
    "created_at", "updated_at",
]
# What a batch writes back to articles that already exist.
UPDATE_FIELDS = [*FIELD_COLUMNS, "source", "published_at", "published_at_is_import_time", "updated_at"]


def insert_new(new: list[tuple[Prepared, str, Source | None]], now: dt.datetime) -> list[grouping.Item]:
    """COPY new articles (prepared, slug, source) in, with their tag rows; what grouping needs of them."""
    rows, tagged, items = [], [], []
    for article_id, (prepared, slug, source) in zip(new_ids(Article, len(new)), new, strict=True):
        fields = prepared.fields
        published_at = fields.get("published_at") or now
        rows.append((
            article_id, slug, source.pk if source else None, *(fields[name] for name in FIELD_COLUMNS),
            published_at, "published_at" not in fields, 0, now, now,
        ))
        tagged.append((article_id, published_at, prepared.mentions))
        items.append(grouping.Item(article_id, published_at, source.pk if source else None, prepared.story_features))
    copy_rows(Article, NEW_COLUMNS, rows)
    insert_tags(tagged)
    return items


@dataclass
class Pending:
    input: str
    where: str
    prepared: Prepared
    encoding: str = ""  # which encoding its input was read in, and what decided it


class BatchStore:
    """Collects prepared articles and stores them a batch at a time.

    `on_stored(status, pending, slug)` is called for every article once its batch is written (in
    a dry run, a new article has the slug it would be created with), `on_failed(pending, error)`
    for every article the database refused.
    """

    def __init__(self, on_stored, on_failed, *, dry_run: bool = False, size: int = BATCH_SIZE):
        self.on_stored, self.on_failed = on_stored, on_failed
        self.dry_run, self.size = dry_run, size
        self.pending: list[Pending] = []
        self.keys: set[tuple] = set()
        self.seen = grouping.Seen()  # what grouping has worked out of the batches before

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
        for pending, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, ImportFailed):
                self.on_failed(pending, outcome)
            else:
                self.on_stored(outcome[0], pending, outcome[1])

    def one_by_one(self, pending: Pending):
        for attempt in (1, 2):  # a second try finds what a concurrent import just committed
            try:
                if not self.dry_run:
                    status, article = store(pending.prepared)
                    return status, article.slug
                status, found = outcome_of(pending.prepared)
                return status, found.slug if found else unique_slug(pending.prepared.fields["title"])
            except IntegrityError as error:
                if attempt == 2:
                    return ImportFailed(f"the database refused it ({error})")
            except DatabaseError as error:
                return ImportFailed(f"the database refused it ({error})")

    def write(self, batch: list[Pending]) -> list[tuple[str, str]]:
        """Store a batch with a few queries; (status, slug) of each. Raises DatabaseError when the
        database refuses any of it."""
        if not self.dry_run:
            with connection.cursor() as cursor:
                # A crash can lose the last batches written, never half of one; importing again redoes them.
                cursor.execute("SET LOCAL synchronous_commit = off")
        now = timezone.now()
        prepared = [p.prepared for p in batch]
        sources = sources_named({p.source_name for p in prepared}, create=not self.dry_run)
        matches = existing(prepared)
        bases = [slug_base(p.fields["title"]) if match is None else "" for p, match in zip(prepared, matches, strict=True)]
        slugs = FreeSlugs([base for base in bases if base])
        outcomes, new, updated, unchanged = [], [], [], []
        for p, match, base in zip(prepared, matches, bases, strict=True):
            source = sources.get(p.source_name)
            if match is None:
                slug = slugs.take(base)
                new.append((p, slug, source))
                outcomes.append((Outcome.CREATED, slug))
            elif match.content_hash == p.fields["content_hash"]:
                unchanged.append((match, p))
                outcomes.append((Outcome.UNCHANGED, match.slug))
            else:
                apply(match, p, source, now)
                updated.append((match, p))
                outcomes.append((Outcome.UPDATED, match.slug))
        if not self.dry_run:
            update_homes(prepared, sources)
            Article.objects.bulk_update(refingerprinted(unchanged), ["input_hash"])
        if not self.dry_run and (new or updated):
            items = insert_new(new, now)
            Article.objects.bulk_update([article for article, _ in updated], UPDATE_FIELDS)
            write_tags([(article, p.mentions) for article, p in updated])
            group_imported(items + [grouping.item_of_article(article, p.mentions) for article, p in updated], self.seen)
        return outcomes
