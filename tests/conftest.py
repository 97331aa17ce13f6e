from urllib.parse import quote

import pytest
from django.conf import settings
from django.core.cache import cache

# Every HTML response the tests render goes through the Nu Html Checker (see htmlcheck.py).
pytest_plugins = ["tests.htmlcheck", "tests.stripe_server", "tests.smtp_server"]


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
    # except where a test turns it on (`page_cache_on`) and commits its changes.
    settings.NEWSREADER_PAGE_CACHE_SECONDS = 0
    # No background thread keeping the content version: it would hold a connection to the test
    # database (which must be dropped at the end), and what other processes do shows only where a
    # test says so (tests/test_contentversion.py starts one).
    settings.NEWSREADER_CONTENT_VERSION_REFRESHER = False
    # Imports run in the test's own process here: lowering its priority would slow the whole run.
    settings.NEWSREADER_IMPORT_NICE = 0


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache and rereads the content version."""
    from articles import contentversion

    cache.clear()
    contentversion.forget()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Make a change as its own committed transaction inside the test's: what the test did before
    is taken as committed first (its on-commit callbacks run), then the change's run."""
    from django.db import connection

    def change(make):
        earlier, connection.run_on_commit = connection.run_on_commit, []
        for _, callback, _ in earlier:
            callback()
        with django_capture_on_commit_callbacks(execute=True):
            return make()

    return change


class InlineMailSender:
    """Sends at once, on the test's own thread and connection."""

    def submit(self, work):
        work()


@pytest.fixture(autouse=True)
def mail_sent_inline(monkeypatch):
    """Mail is sent by a background thread after the response (articles/mail.py), whose own
    connection cannot see a test's uncommitted rows: tests send it inline, and read mail.outbox as
    soon as the request returns. tests/test_accounts.py proves the thread itself."""
    from articles import mail

    monkeypatch.setattr(mail, "mail_sender", InlineMailSender())


@pytest.fixture
def editor(client):
    """A client signed in as a superuser, for the admin."""
    from .factories import make_user

    client.force_login(make_user(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def page_cache_on(settings):
    """The page cache on, rereading the version only when this process changes it: what another
    process does shows only where a test says so."""
    settings.NEWSREADER_PAGE_CACHE_SECONDS = 600
    settings.NEWSREADER_PAGE_CACHE_RECHECK = 600


@pytest.fixture
def test_database_url():
    """A DATABASE_URL for a subprocess (manage.py, gunicorn) to use the test database; needs transaction=True."""
    from django.db import connection

    database = connection.settings_dict
    return f"postgres://{database['USER']}@/{database['NAME']}?host={quote(database['HOST'])}"


@pytest.fixture
def moderator():
    from .factories import make_member

    return make_member(username="editor", is_staff=True)
