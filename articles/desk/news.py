"""What is new in what a member follows: a few queries whatever they follow (each follow's articles
are one part of a UNION ALL, so ten follows cost what one does)."""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models import IntegerField, Value
from django.db.models.query import EmptyQuerySet

from .. import access
from ..models import Article, Follow
from . import subjects

NEWEST = 3  # articles shown under each follow on the desk
COUNTED = 100  # new articles counted per follow; more shows as "100+"


def _ids(covered: dict, *, since=None, per: int) -> dict[int, list[int]]:
    """The ids of each follow's newest `per` articles (stored after `since[follow id]`, when given),
    newest first, in one query."""
    parts = []
    for pk, articles in covered.items():
        if isinstance(articles, EmptyQuerySet):
            continue
        if since is not None:
            articles = articles.filter(created_at__gt=since[pk])
        parts.append(articles.annotate(follow=Value(pk, output_field=IntegerField())).values_list("follow", "id")[:per])
    found = {pk: [] for pk in covered}
    if parts:
        first, *others = parts
        for follow, article in first.union(*others, all=True) if others else first:
            found[follow].append(article)
    return found


def articles_by_id(ids, *, whole: bool = False) -> dict[int, Article]:
    """These articles as lists show them (two queries), or `whole`, with their texts and publisher
    (for access.reading: digests, alerts, the private feed)."""
    articles = Article.objects.select_related("source") if whole else Article.objects.for_list()
    return {article.pk: article for article in articles.filter(pk__in=set(ids))}


@dataclass
class Followed:
    """One follow as the desk shows it."""

    follow: Follow
    path: str
    new_count: int
    articles: list = field(default_factory=list)  # its newest, each with `.is_new`

    @property
    def more_than_counted(self) -> bool:
        return self.new_count >= COUNTED


def newest_of(follows: list[Follow], covered: dict, user) -> dict[int, list[Article]]:
    """Each follow's NEWEST articles as lists show them. Kept per subject (and what the reader may
    search) under the content version, so every member who follows Kenya shares one copy; those
    not kept cost three queries together, however many."""
    scope = "+".join(access.search_scope(user).vectors)

    def newest(missing: list[int]) -> list[list[Article]]:
        ids = _ids({pk: covered[pk] for pk in missing}, per=NEWEST)
        articles = articles_by_id(id_ for found in ids.values() for id_ in found)
        return [[articles[id_] for id_ in ids[pk] if id_ in articles] for pk in missing]

    names = {follow.pk: f"desk-newest:{scope}:{follow.kind}:{hashlib.md5(follow.key.encode()).hexdigest()}"
             for follow in follows if follow.pk in covered}
    return subjects.kept(names, newest)


def desk_news(follows: list[Follow], user, *, visited_at: dt.datetime | None) -> list[Followed]:
    """Each follow with its newest articles and how many it gained since the member's last visit
    to the desk (since they followed it, for a follow made after that)."""
    covered = subjects.covered(follows, user)
    since = {follow.pk: max(filter(None, [visited_at, follow.created_at])) for follow in follows}
    new = _ids(covered, since=since, per=COUNTED)
    newest = newest_of(follows, covered, user)
    shown = []
    for follow in follows:
        listed = newest.get(follow.pk, [])
        new_ids = set(new.get(follow.pk, []))
        for article in listed:
            article.is_new = article.pk in new_ids
        shown.append(Followed(follow, subjects.path(follow.kind, follow.key), len(new_ids), listed))
    return shown


def new_articles(follows: list[Follow], user, *, since: dict[int, dt.datetime], per: int) -> dict[int, list[Article]]:
    """Each follow's articles stored after its `since`, newest first, at most `per` (digests and alerts)."""
    ids = _ids(subjects.covered(follows, user), since=since, per=per)
    articles = articles_by_id((id_ for found in ids.values() for id_ in found), whole=True)
    return {pk: [articles[id_] for id_ in found if id_ in articles] for pk, found in ids.items()}


def newest_articles(follows: list[Follow], user, *, count: int) -> list[Article]:
    """The newest `count` articles of all a member follows, newest first (their private feed)."""
    ids = _ids(subjects.covered(follows, user), per=count)
    articles = articles_by_id((id_ for found in ids.values() for id_ in found), whole=True)
    return sorted(articles.values(), key=lambda article: (article.published_at, article.pk), reverse=True)[:count]
