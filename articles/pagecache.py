"""The full-page cache for anonymous readers, and the content version that invalidates it.

A view marked `@shared_page` renders the same bytes for every reader without a session: the
middleware (first in MIDDLEWARE, so a hit skips every other one) stores such a response and
replays it, headers included, to the next such reader, answering a conditional GET with 304.
A request that carries a session or messages cookie never reads from or writes to the cache:
members' pages are rendered for them alone and marked `private`.

Entries are keyed by the content version, a PostgreSQL sequence bumped after any commit that
changes what a page shows (an article imported or edited, a comment posted or hidden). Each
process rereads it at most every NEWSREADER_PAGE_CACHE_RECHECK seconds, so a change made by
another process (an import command, another gunicorn worker) shows within that time even with
the per-process local-memory cache; the process that made the change sees it at once.
NEWSREADER_PAGE_CACHE_SECONDS=0 turns the cache off (the test suite does, except where it tests it).
"""

import functools
import hashlib
import time

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import connection, transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date

SEQUENCE = "articles_content_version"
PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# htmx asks for parts of the same URL (a list's next items, the comments section, live search
# results) with these.
HTMX_HEADERS = ("HX-Request", "HX-Target", "HX-History-Restore-Request")

# (version, when it was read): one tuple, replaced whole, shared by the process's threads.
_version: tuple[int, float] | None = None


def content_version() -> int:
    """The current content version, reread from the database at most every RECHECK seconds."""
    global _version
    now = time.monotonic()
    if _version is None or now - _version[1] >= settings.NEWSREADER_PAGE_CACHE_RECHECK:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT last_value FROM {SEQUENCE}")
            _version = (cursor.fetchone()[0], now)
    return _version[0]


def _bump() -> None:
    global _version
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [SEQUENCE])
        _version = (cursor.fetchone()[0], time.monotonic())


def content_changed(**kwargs) -> None:
    """Mark every cached page stale once the current transaction commits (a signal receiver too)."""
    transaction.on_commit(_bump)


def forget_version() -> None:
    """Make this process reread the version on its next use (tests start from a clean slate)."""
    global _version
    _version = None


def versioned_key(name: str) -> str:
    return f"v{content_version()}:{name}"


class VersionCachedSelect(forms.Select):
    """A select whose many options (every country) are the same for everyone: rendered through
    Django's widget templates they cost ~10 ms a page, so the HTML is kept per content version,
    name, value and attributes, and a personal page (a member's search) gets it without a query."""

    def render(self, name, value, attrs=None, renderer=None):
        if not settings.NEWSREADER_PAGE_CACHE_SECONDS:
            return super().render(name, value, attrs, renderer)
        described = repr((name, value, sorted((attrs or {}).items()), sorted(self.attrs.items())))
        key = versioned_key(f"select:{hashlib.md5(described.encode(), usedforsecurity=False).hexdigest()}")
        html = cache.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            cache.set(key, html, settings.NEWSREADER_PAGE_CACHE_SECONDS)
        return html


def shared_page(view):
    """Mark a view whose page is the same for every anonymous reader, so the cache may keep it."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        request.newsreader_shared_page = True
        return response

    return wrapper


def _cacheable_request(request) -> bool:
    personal = any(name in request.COOKIES for name in PERSONAL_COOKIES)
    return bool(settings.NEWSREADER_PAGE_CACHE_SECONDS) and request.method == "GET" and not personal


def _page_key(request) -> str | None:
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    htmx = [request.headers.get(name, "") for name in HTMX_HEADERS]
    digest = hashlib.md5(f"{host}\n{htmx}\n{request.get_full_path()}".encode(), usedforsecurity=False).hexdigest()
    return versioned_key(f"page:{digest}")


def _replay(request, stored: dict) -> HttpResponse:
    response = HttpResponse(stored["content"], status=200)
    for name, value in stored["headers"].items():
        response[name] = value
    return get_conditional_response(
        request, etag=stored["headers"]["ETag"], last_modified=stored["last_modified"], response=response
    )


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
            return get_conditional_response(
                request, etag=response["ETag"], last_modified=stored["last_modified"], response=response
            )
        if settings.SESSION_COOKIE_NAME in request.COOKIES and not response.has_header("Cache-Control"):
            # Possibly a member's page: never kept by a shared cache, revalidated by the browser.
            patch_cache_control(response, private=True, no_cache=True)
        return response
