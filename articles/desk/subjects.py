"""What a member can follow, written as one key per kind, and the articles each one covers.

| kind | key | page |
| --- | --- | --- |
| country | `ke` | /countries/ke/ |
| pair | `cn/ru` (in order) | /countries/cn/ru/ |
| actor | its slug | /actors/<slug>/ |
| story | its slug | /stories/<slug>/ |
| search | the query string of its query and filters, in a fixed order | /search/?q=… |
| thread | `<article slug>/<comment id>` | the article's page, at the comment |
"""

import datetime as dt
import hashlib
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.cache import cache
from django.db.models.query import EmptyQuerySet
from django.urls import reverse

from .. import access
from ..contentversion import versioned_key
from ..languages import site_language
from ..models import Article, Follow, Subject
from ..models.search import ReadQuery, bigrams, with_phrases

SEARCH_FIELDS = ("q", "country", "since", "until")


def search_key(q: str, country: str = "", since: dt.date | None = None, until: dt.date | None = None) -> str:
    """A saved search's key: its words, and the filters given, in a fixed order."""
    values = {"q": " ".join(q.split()), "country": country, "since": since.isoformat() if since else "",
              "until": until.isoformat() if until else ""}
    return urlencode([(name, values[name]) for name in SEARCH_FIELDS if values[name]])


def search_terms(key: str) -> dict:
    """A saved search's key read back: q, and country, since and until when given (None if not)."""
    given = dict(parse_qsl(key))
    return {
        "q": given.get("q", ""),
        "country": given.get("country") or None,
        "since": dt.date.fromisoformat(given["since"]) if given.get("since") else None,
        "until": dt.date.fromisoformat(given["until"]) if given.get("until") else None,
    }


def path(kind: str, key: str) -> str:
    """The page of a subject, where its follow button is."""
    if kind == Subject.COUNTRY:
        return reverse("country_detail", args=[key])
    if kind == Subject.PAIR:
        return reverse("country_pair", args=key.split("/"))
    if kind == Subject.ACTOR:
        return reverse("actor_detail", args=[key])
    if kind == Subject.STORY:
        return reverse("story_detail", args=[key])
    if kind == Subject.SEARCH:
        return f"{reverse('search')}?{key}"
    slug, comment = key.split("/")
    return f"{reverse('article_detail', args=[slug])}#comment-{comment}"


def _covered(follow: Follow, readings: dict, scope: access.SearchScope):
    """The articles a follow covers, newest first (None for a discussion, which covers comments)."""
    if follow.kind == Subject.COUNTRY:
        return Article.objects.mentioning(follow.key)
    if follow.kind == Subject.PAIR:
        return Article.objects.mentioning(*follow.key.split("/"))
    if follow.kind == Subject.ACTOR:
        return Article.objects.filter(actor_tags__actor_id=follow.key).newest_first()
    if follow.kind == Subject.STORY:
        return Article.objects.filter(story_link__story__slug=follow.key).newest_first()
    if follow.kind == Subject.SEARCH:
        terms = search_terms(follow.key)
        if not readings.get(terms["q"]):  # stop words only
            return Article.objects.none()
        query = ReadQuery(readings[terms["q"]])
        return Article.objects.matching(
            query, scope.vectors, country=terms["country"], since=terms["since"], until=terms["until"]
        )
    return None


def kept(names: dict, compute) -> dict:
    """Each item's value as the cache keeps it under the content version, as `names[item]`: those
    not kept are worked out together, `compute(missing items)` giving their values in that order,
    and kept (what every member who follows a subject shares)."""
    keys = {item: versioned_key(name) for item, name in names.items()}
    found = cache.get_many(list(keys.values()))
    missing = [item for item, key in keys.items() if key not in found]
    if missing:
        fresh = {keys[item]: value for item, value in zip(missing, compute(missing), strict=True)}
        cache.set_many(fresh, settings.NEWSREADER_PAGE_CACHE_SECONDS)
        found |= fresh
    return {item: found[key] for item, key in keys.items()}


def readings(texts: list[str]) -> dict[str, list[str]]:
    """Each saved search's words as PostgreSQL reads them, in one query for those not kept yet
    (kept under the content version: what they read as depends on the languages articles are in)."""
    return kept(
        {text: f"desk-readings:{hashlib.md5(text.encode()).hexdigest()}" for text in texts},
        lambda missing: Article.objects.readings(*(with_phrases(text, bigrams) for text in missing), also=site_language()),
    )


def covered(follows: list[Follow], user) -> dict[int, object]:
    """Each follow's articles (a queryset, newest first) by the follow's id, for this reader: a
    saved search matches what they may search (access.search_scope). At most one query reads the
    saved searches' words, whatever their number; nothing else is queried until the querysets are."""
    texts = sorted({search_terms(follow.key)["q"] for follow in follows if follow.kind == Subject.SEARCH})
    readings_of = readings(texts) if texts else {}
    scope = access.search_scope(user)
    found = {follow.pk: _covered(follow, readings_of, scope) for follow in follows}
    searches = {follow.pk: follow.key for follow in follows
                if follow.kind == Subject.SEARCH and not isinstance(found[follow.pk], EmptyQuerySet)}
    few = expecting_few(found, searches, scope) if searches else {}
    for pk in searches:
        found[pk] = found[pk].newest_first_for(few=few[pk])
    return {pk: articles for pk, articles in found.items() if articles is not None}


def expecting_few(matches: dict, keys: dict, scope: access.SearchScope) -> dict[int, bool]:
    """Whether each saved search (`keys`: its follow's id and key) is expected to match few
    articles (a rare word: read from its GIN index, not the date index;
    ArticleQuerySet.newest_first_for). One EXPLAIN per search, kept under the content version for
    every member who saved it."""
    vectors = "+".join(scope.vectors)
    return kept({pk: f"desk-few:{vectors}:{hashlib.md5(key.encode()).hexdigest()}" for pk, key in keys.items()},
                lambda missing: [matches[pk].expects_few() for pk in missing])
