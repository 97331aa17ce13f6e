"""What the request middleware (newsreader/observability.py) adds to every request, in microseconds:
`python -m tests.bench.observability`. It wraps a view that returns a ready response, so that what is
timed is the middleware alone (request id, counter, histogram, header); the page cache's hit
counter is timed alone too. Timed in this process's CPU time, the least of 5 runs, so that other
work on a shared machine counts for little. docs/observability.md quotes the figures.
"""

import os
import time
import timeit

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsreader.settings")
django.setup()

from django.http import HttpResponse  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.urls import resolve  # noqa: E402

from articles.metrics import PAGE_CACHE_HIT  # noqa: E402
from newsreader.observability import observed  # noqa: E402

ROUNDS = 200_000


def per_call_us(call, rounds: int = ROUNDS) -> float:
    return min(timeit.repeat(call, number=rounds, repeat=5, timer=time.process_time)) / rounds * 1e6


def main() -> None:
    request = RequestFactory().get("/")
    request.resolver_match = resolve("/")
    response = HttpResponse(b"page")

    def view(request):
        return response

    bare = per_call_us(lambda: view(request))
    measured = observed(view)
    wrapped = per_call_us(lambda: measured(request))
    given = RequestFactory().get("/", HTTP_X_REQUEST_ID="3f6c1f9e-5b7a-4d0e-9a51-7d1c2a3b4c5d")
    given.resolver_match = request.resolver_match
    with_id = per_call_us(lambda: measured(given))
    hit = per_call_us(PAGE_CACHE_HIT.inc)
    multiprocess = "PROMETHEUS_MULTIPROC_DIR" in os.environ
    print(f"values kept {'in files (multiprocess)' if multiprocess else 'in memory (one process)'}")
    print(f"middleware, id made here:     {wrapped - bare:.2f} µs a request")
    print(f"middleware, the proxy's id:   {with_id - bare:.2f} µs a request")
    print(f"page cache hit counted:       {hit:.2f} µs")


if __name__ == "__main__":
    main()
