"""Paginated lists of articles, shared by every list page.

Every list has real `?page=N` links; with htmx, "Load more" asks for the same URL with the list
as its target and gets only the next items and a new pager (templates/articles/_more.html).

Page 500 costs what page 1 costs: Django's Paginator counts the whole list on every request and
fetches a page with OFFSET, reading (and throwing away) every full row before it. Here the count
is kept in the cache for the current content version, and a page's ids are found first in the
list's index alone (an index-only scan), so only the rows shown are read from the table.

A count costs what the list's length costs (~60 ms for 100,000 articles, most of a second for a
million), and an import changes the content version with every batch. So a long list (at least
COUNTED_EVERY_TIME) is counted at most once every NEWSREADER_LIST_COUNT_SECONDS: a version that
comes sooner shows the last count, and its page is kept only that long, so that the count is exact
again that soon. A shorter list is cheap to count and always exact.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property

from ..contentversion import database_key, versioned_key
from ..elements import ARTICLE_LIST
from ..pagecache import HTMX_HEADERS, page_state

COUNTED_EVERY_TIME = 10_000  # articles a list is counted in a few milliseconds


class CachedCountPaginator(Paginator):
    counted_before = False  # the count was taken under an earlier content version

    @cached_property
    def count(self) -> int:
        if not settings.NEWSREADER_PAGE_CACHE_SECONDS:
            return self.object_list.count()
        try:
            sql = str(self.object_list.query)
        except EmptyResultSet:  # .none(), as search has before a query is typed
            return 0
        query = hashlib.md5(sql.encode(), usedforsecurity=False).hexdigest()
        exact_key, recent_key = versioned_key(f"count:{query}"), database_key(f"recent-count:{query}")
        if (count := cache.get(exact_key)) is not None:
            return count
        if (recent := cache.get(recent_key)) is not None and recent >= COUNTED_EVERY_TIME:
            self.counted_before = True
            return recent
        count = self.object_list.count()
        cache.set(exact_key, count, settings.NEWSREADER_PAGE_CACHE_SECONDS)
        cache.set(recent_key, count, settings.NEWSREADER_LIST_COUNT_SECONDS)
        return count

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("id")[bottom: bottom + self.per_page]
        return self._get_page(list(self.object_list.filter(id__in=ids)), number, self)


def render_list(request, template, queryset, context=None):
    page = CachedCountPaginator(queryset, settings.NEWSREADER_ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    if page.paginator.counted_before:
        page_state(request).kept_seconds = settings.NEWSREADER_LIST_COUNT_SECONDS
    loading_more = bool(request.htmx) and request.htmx.target == ARTICLE_LIST
    response = render(request, "articles/_more.html" if loading_more else template, (context or {}) | {"page": page})
    patch_vary_headers(response, HTMX_HEADERS)
    return response
