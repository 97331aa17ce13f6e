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

Entries are keyed by the database and its content version, a PostgreSQL sequence bumped after
any commit that changes what a page shows (an article imported or edited, a comment posted or
hidden). The process that bumps it touches a signal file, and every process on the machine
rereads the version on its next request when the file has changed (a stat per request), so a
change made by another process (an import command, another gunicorn worker) shows at once even
with the per-process local-memory cache; a process rereads it every
NEWSREADER_PAGE_CACHE_RECHECK seconds in any case (changes made on other machines).
NEWSREADER_PAGE_CACHE_SECONDS=0 turns the cache off (the test suite does, except where it tests it).
"""

import functools
import hashlib
import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template.response import SimpleTemplateResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

from .contentversion import versioned_key

PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# htmx asks for parts of the same URL (a list's next items, the comments section, live search
# results) with these.
HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-History-Restore-Request")
HTMX_META = tuple("HTTP_" + name.upper().replace("-", "_") for name in HTMX_HEADERS)
# A request without any of these is not conditional: the stored page is the answer.
CONDITIONAL_META = ("HTTP_IF_MATCH", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE", "HTTP_IF_UNMODIFIED_SINCE")

def shared_page(view):
    """Mark a view whose page is the same for every reader of one audience, so the cache may keep it."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "GET" and settings.NEWSREADER_PAGE_CACHE_SECONDS and not _cacheable_request(request):
            return _audience_page(request, view, args, kwargs)
        response = view(request, *args, **kwargs)
        request.newsreader_shared_page = True  # the middleware may keep it for readers without a session
        return response

    return wrapper


def personal_for(request, user_ids) -> None:
    """Say that this page shows these readers something of their own (controls on their comments):
    they are never served the shared copy, and a copy rendered for one of them is not kept."""
    request.newsreader_personal_for = frozenset(user_ids)


def csrf_slot(request) -> dict:
    """A context processor: while a shared page renders, `csrf_token` is its slot, not a reader's token."""
    slot = getattr(request, "newsreader_csrf_slot", None)
    return {"csrf_token": slot} if slot else {}


def _audience_page(request, view, args, kwargs):
    from . import access  # access needs the models, which need this module

    audience = access.page_audience(request.user)
    has_messages = "_messages" in request.session or "messages" in request.COOKIES
    key = _page_key(request, audience) if audience is not None and not has_messages else None
    reader = request.user.pk
    if key is not None and (stored := cache.get(key)) is not None and reader not in stored["personal_for"]:
        response = HttpResponse(stored["content"], content_type=stored["content_type"])
        return _with_token(request, response, stored["slot"])
    slot = request.newsreader_csrf_slot = secrets.token_urlsafe(24)
    response = view(request, *args, **kwargs)
    if response.streaming:
        return response
    if isinstance(response, SimpleTemplateResponse):
        response.render()  # the sitemap's: rendered now, while the slot is in the context
    readers_own = getattr(request, "newsreader_personal_for", frozenset())
    if key is not None and response.status_code == 200 and not response.cookies and reader not in readers_own:
        stored = {"content": response.content, "content_type": response["Content-Type"], "slot": slot,
                  "personal_for": readers_own}
        cache.set(key, stored, settings.NEWSREADER_PAGE_CACHE_SECONDS)
    return _with_token(request, response, slot)


def _with_token(request, response, slot: str):
    response.content = response.content.replace(slot.encode(), get_token(request).encode())
    return response


def _cacheable_request(request) -> bool:
    personal = any(name in request.COOKIES for name in PERSONAL_COOKIES)
    return bool(settings.NEWSREADER_PAGE_CACHE_SECONDS) and request.method == "GET" and not personal


def _page_key(request, audience: str = "") -> str | None:
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    htmx = [request.META.get(name, "") for name in HTMX_META]  # META: request.headers builds a dict of all
    described = f"{audience}\n{request.scheme}://{host}\n{htmx}\n{request.get_full_path()}"
    return versioned_key(f"page:{hashlib.md5(described.encode(), usedforsecurity=False).hexdigest()}")


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
        key = _page_key(request) if _cacheable_request(request) else None
        if key is not None and (stored := cache.get(key)) is not None:
            return _replay(request, stored)
        response = self.get_response(request)
        if (
            key is not None
            and getattr(request, "newsreader_shared_page", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.user.is_authenticated
        ):
            now = int(time.time())
            _mark_shared(response, now)
            # Every header is kept; cookies are not headers here, and a page that sets one is not stored.
            stored = {"content": response.content, "headers": dict(response.items()), "last_modified": now}
            cache.set(key, stored, settings.NEWSREADER_PAGE_CACHE_SECONDS)
            return _conditional(request, response, now)
        if settings.SESSION_COOKIE_NAME in request.COOKIES and not response.has_header("Cache-Control"):
            # Possibly a member's page: never kept by a shared cache, revalidated by the browser.
            patch_cache_control(response, private=True, no_cache=True)
        return response
