"""Paginated lists of articles, shared by every list page.

Every list has real `?page=N` links; with htmx, "Load more" asks for the same URL with the list
as its target and gets only the next items and a new pager (templates/articles/_more.html).

Page 500 costs what page 1 costs: Django's Paginator counts the whole list on every request and
fetches a page with OFFSET, reading (and throwing away) every full row before it. Here the count
is kept in the cache for the current content version, and a page's ids are found first in the
list's index alone (an index-only scan), so only the rows shown are read from the table.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.functional import cached_property

from ..contentversion import versioned_key
from ..elements import ARTICLE_LIST
from ..pagecache import HTMX_HEADERS


class CachedCountPaginator(Paginator):
    @cached_property
    def count(self) -> int:
        if not settings.NEWSREADER_PAGE_CACHE_SECONDS:
            return self.object_list.count()
        try:
            sql = str(self.object_list.query)
        except EmptyResultSet:  # .none(), as search has before a query is typed
            return 0
        query = hashlib.md5(sql.encode(), usedforsecurity=False).hexdigest()
        return cache.get_or_set(
            versioned_key(f"count:{query}"), self.object_list.count, settings.NEWSREADER_PAGE_CACHE_SECONDS
        )

    def page(self, number) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("id")[bottom: bottom + self.per_page]
        return self._get_page(list(self.object_list.filter(id__in=ids)), number, self)


def render_list(request, template, queryset, context=None):
    page = CachedCountPaginator(queryset, settings.NEWSREADER_ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    loading_more = bool(request.htmx) and request.htmx.target == ARTICLE_LIST
    response = render(request, "articles/_more.html" if loading_more else template, (context or {}) | {"page": page})
    patch_vary_headers(response, HTMX_HEADERS)
    return response
