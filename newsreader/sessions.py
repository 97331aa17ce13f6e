"""Sessions in the database, read through the cache (Django's `cached_db`).

With a shared cache (Redis, `REDIS_URL`), a session ended anywhere is gone from the cache at once.
With the default local-memory cache each process keeps its own copy, and a sign-out in one
process cannot reach the others' copies; so there a copy is kept for NEWSREADER_READER_CACHE_SECONDS
at most, after which the database is asked again. A reader who signs out is signed out
everywhere within that time; a busy reader's requests mostly skip the session query.
"""

from django.conf import settings
from django.contrib.sessions.backends import cached_db


class BriefCache:
    """A cache whose entries are kept for at most `seconds`, however long they are asked to be kept."""

    def __init__(self, cache, seconds: int):
        self.cache, self.seconds = cache, seconds

    def get(self, key, default=None):
        return self.cache.get(key, default)

    def set(self, key, value, timeout):
        self.cache.set(key, value, min(timeout, self.seconds))

    def delete(self, key):
        return self.cache.delete(key)

    def __contains__(self, key):
        return key in self.cache


class SessionStore(cached_db.SessionStore):
    def __init__(self, session_key=None):
        super().__init__(session_key)
        if not settings.CACHE_URL:
            self._cache = BriefCache(self._cache, settings.NEWSREADER_READER_CACHE_SECONDS)
