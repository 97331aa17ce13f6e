"""The site's Prometheus metrics, defined once with prometheus_client (docs/observability.md).

The page cache and the import pipeline count here; newsreader/observability.py counts requests and
newsreader/metrics.py serves them all at /metrics, with what it reads from the database when it is
scraped (the task queue, connections). Under gunicorn with PROMETHEUS_MULTIPROC_DIR set, every
process writes its values to files in that folder and a scrape adds up all of them.
"""

from prometheus_client import Counter, Histogram

REQUESTS = Counter(
    "newsreader_http_requests", "Requests answered, by view (its URL name) and status.", ["view", "status"]
)
# Cached pages are served in about a millisecond: finer buckets at the low end than the default's.
LATENCY = Histogram(
    "newsreader_http_request_duration_seconds", "Seconds from a request's arrival to its response, by view.", ["view"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
PAGE_CACHE = Counter(
    "newsreader_page_cache_lookups", "Shared pages asked for: served from the page cache (hit) or rendered (miss).",
    ["result"],
)
# Bound once: a hit is counted on the fastest path the site has.
PAGE_CACHE_HIT = PAGE_CACHE.labels("hit")
PAGE_CACHE_MISS = PAGE_CACHE.labels("miss")
IMPORTED = Counter(
    "newsreader_imported_articles",
    "Articles import runs handled, by what started the run and by outcome (created, updated, unchanged, failed).",
    ["channel", "outcome"],
)
