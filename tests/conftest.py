from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache

# Every HTML response the tests render goes through the Nu Html Checker (see htmlcheck.py).
pytest_plugins = ["tests.htmlcheck"]


def pytest_configure(config):
    # Fast hashing keeps sign-up and sign-in tests quick; production uses Django's default.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # The live server for browser tests speaks plain HTTP.
    settings.SECURE_SSL_REDIRECT = False
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    # The live server serves static files from the finders, by their plain names.
    settings.STORAGES = settings.STORAGES | {
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    }
    # Test transactions never commit, so the page cache would never hear of a change: it is off,
    # except in tests/test_pagecache.py, which turns it on and commits its changes.
    settings.NEWSREADER_PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache and rereads the content version."""
    from articles import pagecache

    cache.clear()
    pagecache.forget_version()


@pytest.fixture
def test_database_url():
    """A DATABASE_URL for a subprocess (manage.py, gunicorn) to use the test database; needs transaction=True."""
    from django.db import connection

    database = connection.settings_dict
    return f"postgres://{database['USER']}@/{database['NAME']}?host={quote(database['HOST'])}"
