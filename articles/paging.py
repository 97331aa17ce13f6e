"""Paginated lists of articles, shared by every list page.

Every list has real `?page=N` links; with htmx, "Load more" asks for the same URL with the list
as its target and gets only the next items and a new pager (templates/articles/_more.html).
"""

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

LIST_ID = "articles"  # the id of the <ol> that "Load more" appends to


def render_list(request, template, queryset, context=None):
    page = Paginator(queryset, settings.NEWSREADER_ARTICLES_PER_PAGE).get_page(request.GET.get("page"))
    loading_more = bool(request.htmx) and request.htmx.target == LIST_ID
    response = render(request, "articles/_more.html" if loading_more else template, (context or {}) | {"page": page})
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
