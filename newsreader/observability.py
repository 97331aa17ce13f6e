"""Every request measured, first in MIDDLEWARE: its request id, its count and latency by view and
status (articles/metrics.py), and a line in the log when it was slow.

The request id is the proxy's `X-Request-ID` when it sends a well-formed one (so that one id follows
a request from the proxy's log to ours), else one made here; it is on every log record written
while the request is handled (newsreader/logs.py) and in the response's `X-Request-ID` header. It
is forgotten when the response is closed, not when this returns: Django logs a 4xx or 5xx after
the middleware, and that line belongs to the request too.

A request is counted under its view's URL name (`article_detail`), never its path, so that the
series stay few whatever is asked for. A page the page cache replays never reaches URL resolution:
it is counted under the name its view had when the page was kept. This runs on every request, the
~1 ms cached ones included, so it does as little as it can: measured in docs/observability.md.
"""

import itertools
import logging
import os
import re
import time

from django.conf import settings
from django.core.signals import request_finished

from articles.metrics import LATENCY, REQUESTS

from .logs import request_id

logger = logging.getLogger("newsreader.requests")

# What we accept from a proxy as a request id: letters, digits and a few marks, 1 to 128 of them
# (a UUID, haproxy's unique-id, a trace id); anything else could forge log lines.
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._:@+=/-]{1,128}")
# Ids made here: a random prefix per process and a count, 16 hex digits (cheaper than 8 random bytes
# a request, and as unique within a deployment); a forked process takes a prefix of its own.
_id_prefix = os.urandom(4).hex()
_id_numbers = itertools.count()


def _renew_id_prefix() -> None:
    global _id_prefix
    _id_prefix = os.urandom(4).hex()


os.register_at_fork(after_in_child=_renew_id_prefix)


def new_request_id() -> str:
    return f"{_id_prefix}{next(_id_numbers) & 0xFFFFFFFF:08x}"


UNRESOLVED = "unresolved"  # no URL matched: a 404, or a request a middleware answered before
STATIC = "static"


def view_name(request) -> str:
    match = request.resolver_match
    if match is not None:
        return match.view_name
    state = getattr(request, "page_state", None)
    if state is not None and state.replayed_view:
        return state.replayed_view
    return STATIC if request.path_info.startswith(_static_prefix) else UNRESOLVED


_static_prefix = "/" + settings.STATIC_URL.lstrip("/")


def observed(get_response):
    slow_seconds = settings.NEWSREADER_SLOW_REQUEST_MS / 1000
    # The labelled series, kept here by (view, status): labels() takes a lock and checks its values.
    counted: dict[tuple, object] = {}
    timed: dict[str, object] = {}

    def middleware(request):
        started = time.perf_counter()
        given = request.META.get("HTTP_X_REQUEST_ID")
        this_id = given if given is not None and WELL_FORMED_ID.fullmatch(given) else new_request_id()
        request_id.set(this_id)
        response = get_response(request)
        elapsed = time.perf_counter() - started
        view, status = view_name(request), response.status_code
        if (requests := counted.get((view, status))) is None:
            requests = counted[view, status] = REQUESTS.labels(view, status)
        requests.inc()
        if (latency := timed.get(view)) is None:
            latency = timed[view] = LATENCY.labels(view)
        latency.observe(elapsed)
        response["X-Request-ID"] = this_id
        if slow_seconds and elapsed >= slow_seconds:
            logger.warning(
                "slow request: %s %s (%s) answered %s in %.0f ms", request.method, request.path, view, status,
                elapsed * 1000, extra={"view": view, "status": status, "duration_ms": round(elapsed * 1000, 1)},
            )
        return response

    return middleware


def _forget_request_id(**kwargs) -> None:
    request_id.set("-")


request_finished.connect(_forget_request_id)
