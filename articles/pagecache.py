"""The full-page cache, and the content version that invalidates it.

A view marked `@shared_page` renders the same bytes for every reader of one audience
(`access.page_audience`: anonymous, signed in without a membership, lapsed, active member):

- For a reader without a session, the middleware (first in MIDDLEWARE, so a hit skips every other
  one) stores the response and replays it, headers included, answering a conditional GET with 304.
- For a signed-in reader, the decorator keeps the page per audience once sessions, auth and CSRF
  have run. Such a page is rendered for no one in particular: a random slot stands where the
  CSRF token goes, and each reader gets it with their own token put in. A reader whose page would
  differ (staff, a banned member, a member who wrote a comment on it, a request with messages to
  show) gets a page rendered for them alone, which is not kept. Signed-in pages are `private`.

A page is kept per path and the query parameters its view declares (`@shared_page("page")`): the
view is shown only those, so any other query string is the same page and the same entry (a counter
in the query string must not fill the cache); of a parameter declared with its values
(`order={"newest", "oldest"}`), only those. A page larger than NEWSREADER_PAGE_CACHE_MAX_BYTES is
not kept.

Entries are keyed by the database and its content version, a PostgreSQL sequence bumped after
any commit that changes what a page shows (an article imported or edited, a comment posted or
hidden). Every process hears of a bump through PostgreSQL (LISTEN/NOTIFY) and rereads the
version in a background thread, so a change made by another process or machine (an import
command, another node) shows within milliseconds, with no query on the request path. The reader
who made a change sees it on their next page whichever process serves it: the answer to their
post carries the version it made (SEEN_COOKIE), and a process behind it reads the version first.
NEWSREADER_PAGE_CACHE_SECONDS=0 turns the cache off (the test suite does, except where it tests it).

After each change every page is missed once, and under load by many readers at the same moment
(during an import, after every batch). One of them renders it (`RenderTurn`, a lock beside the
entry: per process with the local cache, for every node with Redis); the others wait for its copy,
checking every 5 ms, for up to RENDER_WAIT seconds, rather than render the same page at the same
time on the same cores.

While the database does not answer, the pages kept under the last version read are still served
(contentversion.py); newsreader/outage.py answers the others.
"""

import functools
import hashlib
import secrets
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import get_str_from_wsgi
from django.http import HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.urls import Resolver404, resolve
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, urlencode
from django_htmx.middleware import HtmxDetails

from . import access, contentversion, elements
from .contentversion import UNAVAILABLE, unversioned, versioned_key
from .metrics import PAGE_CACHE_HIT, PAGE_CACHE_MISS

PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# The content version a reader's own change made (a comment posted): the process that serves their
# next page reads the version first if its refresher has not caught up yet, so they see the change.
SEEN_COOKIE = "newsreader_seen"
# htmx asks for parts of the same URL (a list's next items, the comments section, live search
# results) with these.
HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-History-Restore-Request")
# The elements htmx asks shared pages for: a list's next items, live search results, the comments
# section. A request for another is rendered and not kept, so made-up headers cannot fill the cache.
HTMX_TARGETS = frozenset({elements.ARTICLE_LIST, elements.SEARCH_RESULTS, elements.COMMENTS})
# A request without any of these is not conditional: the stored page is the answer.
CONDITIONAL_META = ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")

# A page many readers miss at once (each page after every change, once per batch during an import)
# is rendered by one of them. The others are answered at once with the page as it was (its last
# rendering, under any version, kept beside the entry), or, when there is none, wait for the new
# copy rather than render it beside it on the same cores, up to RENDER_WAIT seconds (then they
# render it themselves). Waiting, every reader of a busy page waited a rendering's time after each
# change: during an import, that was the readers' slowest hundredth.
RENDER_WAIT = 2.0
RENDER_POLL = 0.005
RENDERING, UNKEPT = "rendering", "unkept"
UNKEPT_SECONDS = 10  # a page that was not kept (too large, or someone's own) is rendered by each, unqueued


class RenderTurn:
    """Whose turn it is to render the page kept under `key`: this request's (`lock` held), another's
    (`copy`: the page as it was a moment ago, or what the other rendered, waited for), or everyone's
    (neither: it is not kept, or took too long)."""

    def __init__(self, key: str, *, stale: bool = True):
        """`stale`: whether the page as it was may answer (not to a reader who has just changed it)."""
        self.key, self.latest = key, unversioned(key)
        self.lock, self.copy, self.kept = None, None, False
        lock, deadline = f"{key}:rendering", time.monotonic() + RENDER_WAIT
        while not cache.add(lock, RENDERING, RENDER_WAIT):
            if cache.get(lock) == UNKEPT or time.monotonic() > deadline:
                return
            if stale and (copy := cache.get(self.latest)) is not None:
                self.copy = copy
                return
            time.sleep(RENDER_POLL)
            if (copy := cache.get(key)) is not None:
                self.copy = copy
                return
        self.lock = lock
        if (copy := cache.get(key)) is not None:  # kept between this request's miss and its turn
            self.copy = copy
            self.done()

    def keep(self, stored: dict, seconds: int | None = None) -> None:
        cache.set(self.key, stored, seconds or settings.NEWSREADER_PAGE_CACHE_SECONDS)
        # As long as any page: one kept shorter (a list's count) is answered from it while it renders again.
        cache.set(self.latest, stored, settings.NEWSREADER_PAGE_CACHE_SECONDS)
        self.kept = True

    def done(self) -> None:
        if self.lock is None:
            return
        if self.kept or self.copy:
            cache.delete(self.lock)
        else:
            cache.set(self.lock, UNKEPT, UNKEPT_SECONDS)
        self.lock = None


@dataclass
class PageState:
    """What a view tells the page cache about the page it renders: one object on the request
    (`request.page_state`), as django-htmx puts `request.htmx`."""

    shared: bool = False  # a @shared_page view rendered it: the middleware may keep it
    personal_for: frozenset = frozenset()  # readers it shows something of their own (personal_for)
    csrf_slot: str | None = None  # while a copy for an audience renders: what stands for the CSRF token
    replayed_view: str = ""  # a page the middleware replayed: its view's URL name, for the metrics
    # A page that shows a figure taken under an earlier version (a long list's count): kept this
    # long at most, so that it is exact again that soon.
    kept_seconds: int | None = None


def page_state(request) -> PageState:
    if not hasattr(request, "page_state"):  # a request that did not pass the middleware
        request.page_state = PageState()
    return request.page_state


def shared_page(*names: str, reader_part=None, **choices: set[str]):
    """Mark a view whose page is the same for every reader of one audience, so the cache may keep it,
    and name the query parameters it reads: it is shown those alone, the last value of each, and of
    a parameter given with its choices, only those values (it reads any other as none).

    `reader_part(request, *args, **kwargs)`, when given, names what else of a signed-in reader's
    own the page shows (a follow button's state: "following" or ""): asked before the cache is, it
    is part of the key, so that a page is kept once per audience and state, never per reader."""
    parameters = {name: None for name in names} | choices

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            query = _page_query(request, parameters)
            request.GET = QueryDict(urlencode(query))  # what the key holds is all the page can depend on
            if request.method == "GET" and settings.NEWSREADER_PAGE_CACHE_SECONDS and not _cacheable_request(request):
                part = reader_part(request, *args, **kwargs) if reader_part and request.user.is_authenticated else ""
                return _audience_page(request, query, view, args, kwargs, part)
            response = view(request, *args, **kwargs)
            page_state(request).shared = True  # the middleware may keep it for readers without a session
            return response

        wrapper.shared_page_parameters = parameters
        return wrapper

    return decorate


def personal_for(request, user_ids) -> None:
    """Say that this page shows these readers something of their own (controls on their comments):
    they are never served the shared copy, and a copy rendered for one of them is not kept."""
    page_state(request).personal_for = frozenset(user_ids)


def csrf_slot(request) -> dict:
    """A context processor: while a shared page renders, `csrf_token` is its slot, not a reader's token."""
    slot = page_state(request).csrf_slot
    return {"csrf_token": slot} if slot else {}


def _audience_page(request, query: list, view, args, kwargs, reader_part: str = ""):
    audience = access.page_audience(request.user)
    if audience is not None and reader_part:
        audience = f"{audience}:{reader_part}"
    has_messages = "_messages" in request.session or "messages" in request.COOKIES
    key = _page_key(request, query, audience) if audience is not None and not has_messages else None
    reader = request.user.pk
    stored, turn = _kept_or_turn(request, key)
    if stored and reader not in stored["personal_for"]:
        PAGE_CACHE_HIT.inc()
        response = HttpResponse(stored["content"], content_type=stored["content_type"])
        return _with_token(request, response, stored["slot"])
    if key is not None:
        PAGE_CACHE_MISS.inc()
    try:
        slot = page_state(request).csrf_slot = secrets.token_urlsafe(24)
        response = view(request, *args, **kwargs)
        if response.streaming:
            return response
        if isinstance(response, SimpleTemplateResponse):
            response.render()  # the sitemap's: rendered now, while the slot is in the context
        readers_own = page_state(request).personal_for
        if turn is not None and _keepable(response) and reader not in readers_own:
            turn.keep({"content": response.content, "content_type": response["Content-Type"], "slot": slot,
                       "personal_for": readers_own}, page_state(request).kept_seconds)
        return _with_token(request, response, slot)
    finally:
        if turn is not None:
            turn.done()


def _kept_or_turn(request, key: str | None) -> tuple[dict | None, RenderTurn | None]:
    """The page kept under `key`; else this request's turn at it, with what the turn brought (the
    page as it was, or another's new copy), None when it is this request's to render."""
    if key is None:
        return None, None
    if (stored := cache.get(key)) is not None:
        return stored, None
    turn = RenderTurn(key, stale=SEEN_COOKIE not in request.COOKIES)
    return turn.copy, turn


def _with_token(request, response, slot: str):
    response.content = response.content.replace(slot.encode(), get_token(request).encode())
    return response


def _cacheable_request(request) -> bool:
    personal = any(name in request.COOKIES for name in PERSONAL_COOKIES)
    return bool(settings.NEWSREADER_PAGE_CACHE_SECONDS) and request.method == "GET" and not personal


def _page_query(request, parameters: dict) -> list[tuple[str, str]]:
    """The query parameters a page reads, the last value of each, in a fixed order. Parsed as
    QueryDict parses, without building one (a hit's cost: ~2 µs against ~15)."""
    given = dict(parse_qsl(get_str_from_wsgi(request.META, "QUERY_STRING", ""), keep_blank_values=True))
    return [
        (name, value) for name, values in parameters.items()
        if (value := given.get(name)) is not None and (values is None or value in values)
    ]


def _shared_page_query(request) -> list[tuple[str, str]] | None:
    """The query parameters the page at this URL is kept under; None when its view is not a shared page.
    Only a request with a query string needs to know its view's parameters."""
    if not request.META.get("QUERY_STRING"):
        return []
    parameters = _parameters_at(request.path_info)
    return None if parameters is None else _page_query(request, parameters)


@functools.lru_cache(maxsize=4096)
def _parameters_at(path: str) -> dict | None:
    """The query parameters the shared page at this path reads (resolving a URL costs ~15 µs)."""
    try:
        return getattr(resolve(path).func, "shared_page_parameters", None)
    except Resolver404:
        return None


def _keepable(response) -> bool:
    """A whole page, the same for everyone who asks, small enough to keep."""
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and len(response.content) <= settings.NEWSREADER_PAGE_CACHE_MAX_BYTES
    )


def _htmx_part(request) -> str | None:
    """What a page may read of htmx's headers, read as django-htmx reads them: whether htmx asks,
    for which element, and whether to restore history; None for an element no page has."""
    if "HTTP_HX_REQUEST" not in request.META:  # META: request.headers builds a dict of all
        return ""
    htmx = HtmxDetails(request)
    if not htmx:
        return ""
    if htmx.target is not None and htmx.target not in HTMX_TARGETS:
        return None
    return f"{htmx.target}:{htmx.history_restore_request}"


def _page_key(request, query: list, audience: str = "") -> str | None:
    """None when the page is not to be kept: a host not allowed, an htmx target no page has, or no
    content version known."""
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    if (htmx := _htmx_part(request)) is None:
        return None
    described = f"{audience}\n{request.scheme}://{host}\n{htmx}\n{request.path}?{query}"
    try:
        return versioned_key(f"page:{hashlib.md5(described.encode(), usedforsecurity=False).hexdigest()}")
    except UNAVAILABLE:  # a database out of reach, and this process has no version yet: the view answers
        return None


def _replay(request, stored: dict) -> HttpResponse:
    response = HttpResponse(stored["content"], status=200)
    for name, value in stored["headers"].items():
        response[name] = value
    return _conditional(request, response, stored["last_modified"])


def _conditional(request, response, last_modified: int) -> HttpResponse:
    """A kept page, or 304 when the request already holds it; only a conditional GET is checked."""
    if not any(name in request.META for name in CONDITIONAL_META):
        return response
    return get_conditional_response(request, etag=response["ETag"], last_modified=last_modified, response=response)


def _mark_shared(response, now: int) -> None:
    """Headers for browsers and CDNs: anyone's to keep, revalidated by browsers, Cookie-dependent."""
    patch_vary_headers(response, ["Cookie", *HTMX_HEADERS])
    patch_cache_control(response, public=True, max_age=0, s_maxage=settings.NEWSREADER_PAGE_CACHE_CDN_SECONDS)
    if not response.has_header("ETag"):
        response["ETag"] = f'"{hashlib.md5(response.content, usedforsecurity=False).hexdigest()}"'
    response["Last-Modified"] = http_date(now)


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.page_state = PageState()
        cacheable = _cacheable_request(request)
        query = _shared_page_query(request) if cacheable else None
        key = _page_key(request, query) if query is not None else None
        stored, turn = _kept_or_turn(request, key)
        if stored:
            PAGE_CACHE_HIT.inc()
            request.page_state.replayed_view = stored.get("view", "")  # kept before it was recorded: none
            return _replay(request, stored)
        try:
            return self.answer(request, turn, cacheable)
        finally:
            if turn is not None:
                turn.done()

    def answer(self, request, turn: RenderTurn | None, cacheable: bool):
        """The view's answer, kept when it is a shared page (`turn`: this request's to keep)."""
        if not cacheable and (seen := request.COOKIES.get(SEEN_COOKIE, "")).isdigit():
            contentversion.catch_up(int(seen))
        made_before = contentversion.made_here()
        response = self.get_response(request)
        if (made := contentversion.made_here()) != made_before:
            response.set_cookie(SEEN_COOKIE, str(made), max_age=60, httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
        if turn is not None and request.page_state.shared:
            PAGE_CACHE_MISS.inc()
        if (
            turn is not None
            and request.page_state.shared
            and _keepable(response)
            and not request.user.is_authenticated
        ):
            now = int(time.time())
            _mark_shared(response, now)
            # Every header is kept; cookies are not headers here, and a page that sets one is not stored.
            turn.keep({"content": response.content, "headers": dict(response.items()), "last_modified": now,
                       "view": request.resolver_match.view_name}, request.page_state.kept_seconds)
            return _conditional(request, response, now)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and not response.has_header("Cache-Control"):
            # Possibly a member's page: never kept by a shared cache, revalidated by the browser.
            patch_cache_control(response, private=True, no_cache=True)
        return response
