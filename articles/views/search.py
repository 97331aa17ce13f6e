"""Full-text search: PostgreSQL's websearch syntax over the stored, weighted vectors, ranked,
with highlighted snippets built only from the text the reader may read (access.search_scope).

Each article's vectors are in its own language (models/search.py), so a query is read in every
language the site carries (its distinct readings, OR-ed, worked out by PostgreSQL in one query),
and its Chinese, Japanese and Korean words become the pairs of letters those articles are indexed by.

To stay fast for common words, ranking looks at the SEARCH_CANDIDATES newest matches only,
found once per request (one query); the count, the page and its snippets then work on those ids.
"""

from django.contrib.postgres.search import SearchRank, SearchVectorField
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Concat
from django.views.decorators.http import require_safe

from .. import access
from ..elements import SEARCH_RESULTS
from ..forms import SearchForm
from ..languages import site_language
from ..models import Article, Subject
from ..models.search import ReadQuery, Snippet, bigrams, with_phrases
from ..pagecache import shared_page
from ..templatetags.search import MARK_START, MARK_STOP
from . import following
from .paging import render_list

SEARCH_CANDIDATES = 300


def _vector(columns):
    """The reader's vectors as one, for ranking."""
    parts = [F(column) for column in columns]
    return Func(*parts, arg_joiner=" || ", template="(%(expressions)s)", output_field=SearchVectorField())


def _text(columns):
    """The reader's texts as one, paragraphs apart, for snippets."""
    if len(columns) == 1:
        return F(columns[0])
    parts = [part for column in columns for part in (F(column), Value("\n\n"))][:-1]
    return Concat(*parts, output_field=TextField())


def search_articles(text: str, scope: access.SearchScope, *, country=None, since=None, until=None):
    """Articles matching `text` within `scope`, best first, each with a `snippet`. The query is read
    in every language articles are written in and in the site's (one query: see docs/search.md)."""
    matching, quoting = Article.objects.readings(with_phrases(text, bigrams), with_phrases(text, list), also=site_language())
    if not matching:  # stop words only
        return Article.objects.none()
    query = ReadQuery(matching)
    candidates = Article.objects.matching(query, scope.vectors, country=country, since=since, until=until)
    newest = candidates.newest_ids(SEARCH_CANDIDATES)
    return (
        Article.objects.for_list()
        .filter(pk__any=newest)
        .annotate(
            rank=SearchRank(_vector(scope.vectors), query),
            snippet=Snippet(_text(scope.texts), ReadQuery(quoting), start=MARK_START, stop=MARK_STOP),
        )
        .order_by("-rank", "-published_at", "-id")
    )


@require_safe
@shared_page("q", "country", "since", "until", "page", reader_part=following.SEARCH)
def search(request):
    form = SearchForm(request.GET or None)
    results, query = Article.objects.none(), ""
    if form.is_valid() and (query := " ".join(form.cleaned_data["q"].split())):
        data = form.cleaned_data
        results = search_articles(
            query, access.search_scope(request.user),
            country=data["country"], since=data["since"], until=data["until"],
        )
    live = request.htmx and request.htmx.target == SEARCH_RESULTS and not request.htmx.history_restore_request
    template = "articles/search.html#results" if live else "articles/search.html"
    context = {"form": form, "query": query, "candidates": SEARCH_CANDIDATES}
    if query:
        context["button"] = following.follow_button(request, Subject.SEARCH, following.searched_key(form), "this search")
    return render_list(request, template, results, context)
