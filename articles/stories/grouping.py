"""Grouping articles into stories, incrementally: each article written (a batch at a time) is
compared with the articles of the few days around it that share a country or an actor with it,
and joins the story of the most similar one when they are similar enough. Nothing else is
recomputed, so the work per article is bounded by its candidates (see docs/stories.md).

A staff decision stands: an article placed by staff (`pinned`, a merge or a split) is never moved,
and a story staff renamed keeps its title.
"""

import copy
import datetime as dt
import itertools
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Q
from django.utils.text import slugify

from ..bulk import copy_rows
from ..models import Story, StoryArticle
from .features import OPINION_TOKEN, features

WINDOW = dt.timedelta(days=3)  # versions of one event are published within about three days
# … of the story's first report: a story does not grow link by link into the weeks after its event
# (follow-ups and the next round of talks are stories of their own).
SPAN = dt.timedelta(days=4)
# Similarity (a weighted cosine, 0–1) from which two articles are one story, and from which two
# articles from different outlets are copies of one text. Chosen on the labelled set (docs/stories.md).
THRESHOLD = 0.1
DUPLICATE = 0.8
# Weight of a token by its kind: a shared number or name says more than a shared word.
KIND_WEIGHTS = {"n": 3.0, "e": 2.0, "t": 1.5, "w": 1.0, "g": 0.5, "c": 0.5, "a": 0.5, "m": 0.0, "x": 0.0}
GATE_KINDS = ("c", "a")  # a candidate shares at least one of these …
EVIDENCE_KINDS = ("n", "e", "t")  # … and, to be one story, at least MIN_EVIDENCE of these
MIN_EVIDENCE = 2
CHUNK_DAYS = 7  # a batch spread over more days is looked up a week at a time
# A week crowded past this (a back catalogue imported without dates: all "now") is read newest
# first up to this many, so that the work per batch stays bounded whatever is stored.
MAX_CANDIDATES = 2000
COMPARED = 20  # candidates compared in full with each new article: those sharing the most evidence
COMMON_TOKEN = 50  # posting lists longer than this and a fifth of the pool are skipped as too common
MAX_POSTINGS = 200  # … and past this whatever the pool
SLUG_LENGTH = 80
RESERVED_SLUGS = {"feed"}  # /stories/feed/ is the feed
UNNAMED = "NEW-"  # a new story's slug until its title is known (upper case: no real slug has it)


SQUARED = {kind: value**2 for kind, value in KIND_WEIGHTS.items()}


@dataclass
class Item:
    """One article as grouping sees it, with what comparing it needs worked out once."""

    article_id: int
    published_at: dt.datetime
    source_id: int | None
    features: list[str]
    story_id: int | None = None
    pinned: bool = False
    duplicate_of: int | None = None
    story_start: dt.datetime | None = None  # when its story's first article was published
    tokens: frozenset = field(init=False, repr=False, compare=False)
    norm: float = field(init=False, repr=False, compare=False)
    countries: frozenset = field(init=False, repr=False, compare=False)  # its country tags' codes
    main: frozenset = field(init=False, repr=False, compare=False)  # its main countries' codes
    opinion: bool = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        self.tokens = frozenset(self.features)
        self.norm = math.sqrt(sum(SQUARED[t[0]] for t in self.tokens))
        self.countries = frozenset(t[2:] for t in self.features if t[0] == "c")
        self.main = frozenset(t[2:] for t in self.features if t[0] == "m")
        self.opinion = OPINION_TOKEN in self.tokens


def article_features(fields: dict, tags) -> list[str]:
    """What grouping compares of an article, from its stored text fields and its tags."""
    text = "\n".join(fields.get(name, "") for name in ("dek", "free_text", "members_text"))
    return features(title=fields["title"], text=text, countries=tags.countries, actors=tags.actors)


def item_of_article(article, tags) -> Item:
    fields = {name: getattr(article, name) for name in ("title", "dek", "free_text", "members_text")}
    return Item(article.pk, article.published_at, article.source_id, article_features(fields, tags))


def main_countries_apart(a: Item, b: Item) -> bool:
    """Neither article's main countries are all among the other's countries: a similar event
    elsewhere (Russian jets over Estonia, then over Latvia), not the same one."""
    return not a.main <= b.countries and not b.main <= a.countries


def similarity(a: Item, b: Item) -> float:
    """A cosine of the two token sets, each token weighted by its kind; 0 when they share no
    country or actor, fewer than MIN_EVIDENCE names, numbers or title words, or their main
    countries lie apart."""
    if main_countries_apart(a, b):
        return 0.0
    dot, gated, evidence = 0.0, False, set()
    for token in a.tokens & b.tokens:
        kind = token[0]
        dot += SQUARED[kind]
        gated = gated or kind in GATE_KINDS
        if kind in EVIDENCE_KINDS:
            evidence.add(token[2:])  # a title's name is one piece of evidence, not two (t: and e:)
    if not gated or len(evidence) < MIN_EVIDENCE:
        return 0.0
    return dot / (a.norm * b.norm) if a.norm and b.norm else 0.0


class Seen:
    """The articles one run (an import, `group_stories`) has grouped or compared, as grouping sees
    them, the newest LIMIT: each batch's candidates are mostly the articles of the batches just
    before it, whose tokens need not be read from the database and worked out again (~6% of an
    import's CPU). What can change meanwhile (story, pin, copy, date) is read every time; a change
    another process makes to a seen article's text is seen by this run's grouping from its next run."""

    LIMIT = MAX_CANDIDATES + MAX_CANDIDATES // 2  # ~40 KB each

    def __init__(self):
        self.items: dict[int, Item] = {}

    def get(self, article_id: int) -> Item | None:
        return self.items.get(article_id)

    def keep(self, items: list[Item]) -> None:
        for entry in items:
            self.items.pop(entry.article_id, None)  # kept again: among the newest now
            self.items[entry.article_id] = entry
        for article_id in list(itertools.islice(self.items, max(len(self.items) - self.LIMIT, 0))):
            del self.items[article_id]


def candidates(items: list[Item], seen: Seen) -> list[Item]:
    """Stored articles near these in time that share a country or an actor with one of them (a
    range scan of the date index per week the batch covers); the tokens of those not seen yet in
    one query more."""
    ids = {entry.article_id for entry in items}
    rows: dict[int, tuple] = {}
    by_date = sorted(items, key=lambda entry: entry.published_at)
    start = 0
    while start < len(by_date):
        first = by_date[start].published_at
        end = start
        while end < len(by_date) and by_date[end].published_at - first <= dt.timedelta(days=CHUNK_DAYS):
            end += 1
        chunk, start = by_date[start:end], end
        gate = sorted({t for entry in chunk for t in entry.tokens if t[0] in GATE_KINDS})
        if not gate:
            continue
        found = (
            StoryArticle.objects.filter(
                published_at__range=(first - WINDOW, chunk[-1].published_at + WINDOW), features__overlap=gate
            )
            .exclude(Q(pinned=True) & Q(story__isnull=True))  # split out by staff: stays alone
            .order_by("-published_at")
            .values_list("article_id", "published_at", "source_id", "story_id", "pinned", "duplicate_of",
                         "story__first_published_at")[:MAX_CANDIDATES]
        )
        # The batch's own articles are compared as they are now, not as stored.
        rows |= {row[0]: row for row in found if row[0] not in ids and row[0] not in rows}
    unseen = [article_id for article_id in rows if seen.get(article_id) is None]
    tokens = dict(StoryArticle.objects.filter(article_id__in=unseen).values_list("article_id", "features")) if unseen else {}
    return [candidate for row in rows.values() if (candidate := as_candidate(row, seen, tokens)) is not None]


def as_candidate(row: tuple, seen: Seen, tokens: dict) -> Item | None:
    """A candidate's row as an Item: a seen one's tokens with what the row says now; None for one
    deleted between the two queries."""
    article_id, published_at, source_id, story_id, pinned, duplicate_of, story_start = row
    if (known := seen.get(article_id)) is None:
        if article_id not in tokens:
            return None
        return Item(article_id, published_at, source_id, tokens[article_id], story_id, pinned, duplicate_of, story_start)
    candidate = copy.copy(known)
    candidate.published_at, candidate.source_id, candidate.story_id = published_at, source_id, story_id
    candidate.pinned, candidate.duplicate_of, candidate.story_start = pinned, duplicate_of, story_start
    return candidate


class Pool:
    """The articles a new one is compared with, indexed by their names, numbers and title words,
    so that each new article is compared in full with at most COMPARED of them."""

    def __init__(self, items: list[Item]):
        self.by_id: dict[int, Item] = {}
        self.by_token: dict[str, list[int]] = defaultdict(list)
        for entry in items:
            self.add(entry)

    def add(self, entry: Item) -> None:
        self.by_id[entry.article_id] = entry
        for token in entry.features:
            if token[0] in EVIDENCE_KINDS:
                self.by_token[token].append(entry.article_id)

    def nearest(self, entry: Item) -> list[Item]:
        """The articles sharing the most evidence tokens with it (at least MIN_EVIDENCE)."""
        # A token this many share says nothing about which of them it is (and would cost a count each).
        limit = max(COMMON_TOKEN, min(len(self.by_id) // 5, MAX_POSTINGS))
        shared = Counter()
        for token in entry.features:
            if len(ids := self.by_token.get(token, ())) <= limit:
                shared.update(ids)
        return [self.by_id[pk] for pk, count in shared.most_common(COMPARED) if count >= MIN_EVIDENCE]

    def place(self, entry: Item) -> tuple[Item | None, float]:
        """The most similar article within the window, and how similar."""
        best, best_score = None, 0.0
        for other in self.nearest(entry):
            if (abs(other.published_at - entry.published_at) > WINDOW or other.article_id == entry.article_id
                    or other.opinion or abs((other.story_start or other.published_at) - entry.published_at) > SPAN):
                continue  # apart in time, itself, an opinion, or a story begun too long before or after
            score = similarity(entry, other)
            if other.source_id is not None and other.source_id == entry.source_id and score < DUPLICATE:
                continue  # one outlet's reports of two events share its house style: not evidence
            if score > best_score:
                best, best_score = other, score
        return best, best_score


def group(items: list[Item], seen: Seen | None = None) -> None:
    """Store these articles' grouping rows and place each in a story (their own, another, a new
    one, or none), then bring the stories touched up to date. A run of many batches passes the
    same `seen` to each."""
    if not items:
        return
    seen = seen if seen is not None else Seen()
    with transaction.atomic():
        stored = {
            row.article_id: row
            for row in StoryArticle.objects.filter(article_id__in=[entry.article_id for entry in items])
        }
        touched = {row.story_id for row in stored.values() if row.story_id}
        for entry in items:
            if (row := stored.get(entry.article_id)) is not None and row.pinned:
                entry.story_id, entry.pinned = row.story_id, True
        compared = candidates(items, seen)
        pool = Pool(compared)
        new_stories: dict[int, list[Item]] = {}
        for entry in sorted(items, key=lambda entry: (entry.published_at, entry.article_id)):
            if not entry.pinned and not entry.opinion:
                best, score = pool.place(entry)
                if best is not None and score >= THRESHOLD:
                    join(entry, best, new_stories)
                    if score >= DUPLICATE and best.source_id != entry.source_id:
                        entry.duplicate_of = best.duplicate_of or best.article_id
            pool.add(entry)
        begun = list({id(members): members for members in new_stories.values()}.values())
        created = Story.objects.bulk_create(
            [Story(title="", slug=f"{UNNAMED}{members[0].article_id}") for members in begun]
        )
        for story, members in zip(created, begun, strict=True):
            for member in members:
                member.story_id = story.pk
        write_rows(items, stored)
        items_ids = {e.article_id for e in items}
        StoryArticle.objects.bulk_update(  # stored articles that begin a story with a new one
            [StoryArticle(article_id=member.article_id, story_id=member.story_id)
             for members in begun for member in members if member.article_id not in items_ids],
            ["story"],
        )
        touched |= {e.story_id for e in items if e.story_id} | {e.story_id for members in begun for e in members}
        refresh(touched)
    seen.keep(sorted(compared + items, key=lambda entry: entry.published_at))  # the oldest go first


ROW_COLUMNS = ["article_id", "published_at", "source_id", "features", "story_id", "pinned", "duplicate_of_id"]


def write_rows(items: list[Item], stored: dict) -> None:
    """The grouping rows of these articles: new ones by COPY, the others updated."""
    copy_rows(StoryArticle, ROW_COLUMNS, [
        (e.article_id, e.published_at, e.source_id, array_literal(e.features), e.story_id, e.pinned, e.duplicate_of)
        for e in items if e.article_id not in stored
    ])
    rows = [(e.article_id, e.published_at, e.source_id, e.features, e.story_id, e.pinned, e.duplicate_of)
            for e in items if e.article_id in stored]
    StoryArticle.objects.bulk_create(
        [StoryArticle(**dict(zip(ROW_COLUMNS, row, strict=True))) for row in rows],
        update_conflicts=True, unique_fields=["article"],
        update_fields=["published_at", "source", "features", "story", "duplicate_of"],
    )


def array_literal(tokens: list[str]) -> str:
    """The tokens as a PostgreSQL array literal, each quoted (psycopg's list dumper, in Python,
    cost more than the rest of the COPY)."""
    return "{" + ",".join('"' + token.replace("\\", "\\\\").replace('"', '\\"') + '"' for token in tokens) + "}"


def join(entry: Item, best: Item, new_stories: dict[int, list[Item]]) -> None:
    """Put `entry` in `best`'s story; when `best` has none yet, the two start one (`new_stories`:
    the members of each story begun in this batch, by each member's article id)."""
    entry.story_start = best.story_start or best.published_at
    if best.story_id is not None:
        entry.story_id = best.story_id
        return
    members = new_stories.get(best.article_id)
    if members is None:
        members = new_stories[best.article_id] = [best]
        best.story_start = entry.story_start
    members.append(entry)
    new_stories[entry.article_id] = members


def refresh(story_ids: set[int]) -> None:
    """Counts, dates, headline, title and slug of these stories from their articles; a story left
    without articles is deleted."""
    story_ids = set(story_ids) - {None}
    if not story_ids:
        return
    rows = StoryArticle.objects.filter(story_id__in=story_ids).order_by("published_at", "article_id").values_list(
        "story_id", "article_id", "published_at", "source_id", "source__country_id", "article__title"
    )
    members: dict[int, list[tuple]] = {}
    for row in rows:
        members.setdefault(row[0], []).append(row)
    Story.objects.filter(pk__in=story_ids - members.keys()).delete()
    stories = list(Story.objects.filter(pk__in=members.keys()))
    for story in stories:
        rows = members[story.pk]
        story.article_count = len(rows)
        story.outlet_count = len({row[3] for row in rows if row[3]})
        story.country_count = len({row[4] for row in rows if row[4]})
        story.first_published_at, story.last_published_at = rows[0][2], rows[-1][2]
        story.headline_id = rows[0][1]
        if not story.title_locked:
            story.title = rows[0][5]
    fresh = [story for story in stories if story.slug.startswith(UNNAMED)]
    for story, slug in zip(fresh, free_slugs([story.title for story in fresh]), strict=True):
        story.slug = slug
    write_stories(stories)


# A story's columns grouping keeps, and their types for the VALUES list below.
STORY_COLUMNS = {
    "id": "bigint", "article_count": "integer", "outlet_count": "integer", "country_count": "integer",
    "first_published_at": "timestamptz", "last_published_at": "timestamptz", "headline_id": "bigint",
    "title": "text", "slug": "text",
}


def write_stories(stories: list[Story]) -> None:
    """One UPDATE … FROM (VALUES …) for all of them (bulk_update's CASE per field and row costs
    far more to build than to run)."""
    if not stories:
        return
    row = "(" + ", ".join(f"%s::{kind}" for kind in STORY_COLUMNS.values()) + ")"
    names = list(STORY_COLUMNS)
    sets = ", ".join(f"{name} = v.{name}" for name in names[1:])
    params = [getattr(story, name) for story in stories for name in names]
    table = Story._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET {sets}, updated_at = now() FROM (VALUES {', '.join([row] * len(stories))}) "
            f"AS v({', '.join(names)}) WHERE {table}.id = v.id",
            params,
        )


def slug_base(title: str) -> str:
    return slugify(title)[:SLUG_LENGTH].strip("-") or "story"


def free_slugs(titles: list[str]) -> list[str]:
    """A free slug for each title: its own, else with -2, -3… (one query for all)."""
    bases = [slug_base(title) for title in titles]
    if not bases:
        return []
    starts = Q()
    for base in set(bases):
        starts |= Q(slug__startswith=base)
    taken = set(Story.objects.filter(starts).values_list("slug", flat=True)) | RESERVED_SLUGS
    slugs = []
    for base in bases:
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs
