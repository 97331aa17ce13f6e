"""Element ids shared by views, templates and tests: what htmx swaps and what links point at.

Templates read them as `ids.<name>` (context processor below); views and tests import them.
"""

from types import MappingProxyType

ARTICLE_LIST = "articles"  # the list "Load more" appends to
PAGER = "pager"  # replaced out of band when more items arrive
SEARCH_RESULTS = "search-results"  # what live search replaces
COMMENTS = "comments"  # the discussion section every comment action answers with

IDS = MappingProxyType(
    {"article_list": ARTICLE_LIST, "pager": PAGER, "search_results": SEARCH_RESULTS, "comments": COMMENTS}
)


def element_ids(request) -> dict:
    """A context processor: `ids` in every template."""
    return {"ids": IDS}
