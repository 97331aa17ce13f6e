"""Settings for newsreader: one module, every value from the environment, safe local defaults.

Environment variables are listed in README.md.
"""

import ipaddress
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from newsreader.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent


def local_secret_key() -> str:
    """A key generated once per checkout for local use; production sets SECRET_KEY."""
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or local_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Behind HTTPS (the production default once DEBUG is off), cookies are secure and HTTP redirects.
HTTPS = env_bool("NEWSREADER_HTTPS", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
NEWSREADER_BEHIND_PROXY = env_bool("NEWSREADER_BEHIND_PROXY", False)
if NEWSREADER_BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
NEWSREADER_CONTENT_SECURITY_POLICY = os.environ.get(
    "NEWSREADER_CONTENT_SECURITY_POLICY",
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' https: data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.sitemaps",
    "django_htmx",
    "template_partials",
    "procrastinate.contrib.django",
    "articles",
    # The project's own commands and task: database backups, restore, recovery (docs/operations.md).
    "newsreader",
]

MIDDLEWARE = [
    # Outside everything, so that every request is counted and timed, a cached page's too
    # (request ids, metrics, the slow-request log: docs/observability.md).
    "newsreader.observability.observed",
    # Then: a page kept for readers without a session is replayed with the headers the middleware
    # below gave it when it was rendered (security, CSP), and skips every one of them.
    "articles.pagecache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "newsreader.security.content_security_policy",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "newsreader.urls"
WSGI_APPLICATION = "newsreader.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsreader.context_processors.site",
                "articles.pagecache.csrf_slot",
                "articles.elements.element_ids",
            ],
        },
    },
]

if os.environ.get("DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["DATABASE_URL"])}
else:
    DATABASES = {
        "default": {
            "ENGINE": "newsreader.embedded_postgres",
            "NAME": "newsreader",
            "USER": "postgres",
        }
    }
DATABASES["default"]["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A database host that does not answer fails a request in seconds (503, newsreader/outage.py)
# rather than after psycopg's 130 s, past gunicorn's timeout; `?connect_timeout=N` in DATABASE_URL.
DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
# Read replicas (PostgreSQL streaming standbys of the primary above), comma-separated URLs: a
# request's reads go to one only when it has replayed what that request must see
# (newsreader/replicas.py, docs/scaling.md). None: every query on the primary, as on one machine.
NEWSREADER_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", ""), start=1):
    alias = f"replica_{number}"
    NEWSREADER_REPLICAS.append(alias)
    DATABASES[alias] = dj_database_url.parse(url) | {
        # The router checks a replica at the start of each request that reads there (health checks).
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "OPTIONS": {"connect_timeout": env_int("NEWSREADER_REPLICA_CONNECT_TIMEOUT", 2, minimum=1)},
        "TEST": {"MIRROR": "default"},
    }
if NEWSREADER_REPLICAS:
    DATABASE_ROUTERS = ["newsreader.replicas.ReplicaRouter"]
    # Just inside the page cache: it decides where the rest of the request reads.
    MIDDLEWARE.insert(MIDDLEWARE.index("articles.pagecache.PageCacheMiddleware") + 1, "newsreader.replicas.ReplicaReadsMiddleware")
# A replica whose replay is more than this many seconds behind the primary is left out of reads
# (and reported by /healthz?detail=1); one that does not answer is tried again after RETRY seconds.
NEWSREADER_REPLICA_MAX_LAG_SECONDS = env_float("NEWSREADER_REPLICA_MAX_LAG_SECONDS", 30)
NEWSREADER_REPLICA_RETRY_SECONDS = env_float("NEWSREADER_REPLICA_RETRY_SECONDS", 5)
# How long a reader who has just written reads only where their write is (a signed cookie holding
# the primary's WAL position after it); past it, replicas have long replayed it.
NEWSREADER_REPLICA_PIN_SECONDS = env_int("NEWSREADER_REPLICA_PIN_SECONDS", 60, minimum=1)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Backups (docs/operations.md): the folder `manage.py backup` and the daily task write to, how many
# backups it keeps, and when the task runs (cron, UTC; "off": never). On by default for the embedded
# server only: a managed PostgreSQL (DATABASE_URL) has backups of its own.
NEWSREADER_BACKUP_DIR = Path(os.environ.get("NEWSREADER_BACKUP_DIR") or BASE_DIR / "backups")
NEWSREADER_BACKUP_KEEP = env_int("NEWSREADER_BACKUP_KEEP", 7, minimum=1)
NEWSREADER_BACKUP_CRON = env_str("NEWSREADER_BACKUP_CRON", "off" if os.environ.get("DATABASE_URL") else "30 3 * * *")
if os.environ.get("DATABASE_URL") and os.environ.get("NEWSREADER_WAL_ARCHIVE"):
    # The embedded server's (newsreader/embedded.py reads it); a server of one's own archives its WAL itself.
    raise ImproperlyConfigured("NEWSREADER_WAL_ARCHIVE is for the embedded server: with DATABASE_URL, use its own archiving.")

# The cache: local memory per process, or a shared Redis when REDIS_URL (or CACHE_URL) names one.
CACHE_URL = os.environ.get("REDIS_URL") or os.environ.get("CACHE_URL") or ""
if CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5000}}}
# Sessions: in the database, read through the cache (newsreader/sessions.py). A process keeps its
# copy of a signed-in reader's account (articles/readers.py), and without Redis of their session,
# this long at most: the longest a sign-out or a change to a membership takes to reach every process.
SESSION_ENGINE = "newsreader.sessions"
NEWSREADER_READER_CACHE_SECONDS = env_int("NEWSREADER_READER_CACHE_SECONDS", 5)
# The full-page cache for anonymous readers (articles/pagecache.py): how long a page is kept, and
# how long a CDN may keep a page (s-maxage). Each process keeps the content version that keys it
# up to date in a background thread, told of each change by PostgreSQL (LISTEN/NOTIFY) and
# rereading it every RECHECK seconds in any case (articles/contentversion.py); without the thread,
# a request rereads it when older than RECHECK seconds.
NEWSREADER_PAGE_CACHE_SECONDS = env_int("NEWSREADER_PAGE_CACHE_SECONDS", 600)
NEWSREADER_PAGE_CACHE_RECHECK = env_float("NEWSREADER_PAGE_CACHE_RECHECK", 1)
NEWSREADER_CONTENT_VERSION_REFRESHER = env_bool("NEWSREADER_CONTENT_VERSION_REFRESHER", True)
NEWSREADER_PAGE_CACHE_CDN_SECONDS = env_int("NEWSREADER_PAGE_CACHE_CDN_SECONDS", 60)
# A long list's count ("1–20 of 123,456") is taken at most once in this many seconds while its
# content keeps changing (an import): counting a million articles takes most of a second
# (articles/views/paging.py).
NEWSREADER_LIST_COUNT_SECONDS = env_int("NEWSREADER_LIST_COUNT_SECONDS", 30)
# A larger page is rendered each time rather than kept: with MAX_ENTRIES, this bounds the memory
# that the many pages one can ask for (every search, every page number) may take in each process.
NEWSREADER_PAGE_CACHE_MAX_BYTES = env_int("NEWSREADER_PAGE_CACHE_MAX_BYTES", 128 * 1024)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Django's model backend, reading the reader's membership with their user row (articles/readers.py).
AUTHENTICATION_BACKENDS = ["articles.readers.ReaderBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
# Django 6 behaviour now: a URL typed without a scheme is taken as https.
FORMS_URLFIELD_ASSUME_HTTPS = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Logs on standard error, each record with its request's id (newsreader/logs.py): as text, or with
# NEWSREADER_LOG_FORMAT=json one JSON object a line (python-json-logger), for a log collector.
NEWSREADER_LOG_FORMAT = env_str("NEWSREADER_LOG_FORMAT", "text", choices=("text", "json"))
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "newsreader.logs.RequestIdFilter"}},
    "formatters": {
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["request_id"], "formatter": NEWSREADER_LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING", choices=("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"))},
}
# A request that takes at least this many milliseconds is logged (newsreader.requests, WARNING); 0: none.
NEWSREADER_SLOW_REQUEST_MS = env_int("NEWSREADER_SLOW_REQUEST_MS", 1000)
# Who may read /metrics (newsreader/metrics.py): clients in these networks (CIDRs, comma-separated;
# empty: none), and anyone sending `Authorization: Bearer <NEWSREADER_METRICS_TOKEN>` when it is set.
NEWSREADER_METRICS_ALLOW = env_list("NEWSREADER_METRICS_ALLOW", "127.0.0.1/32,::1/128")
for _network in NEWSREADER_METRICS_ALLOW:
    try:
        ipaddress.ip_network(_network)
    except ValueError:
        raise ImproperlyConfigured(f"NEWSREADER_METRICS_ALLOW: {_network!r} is not an address or a network (CIDR).") from None
NEWSREADER_METRICS_TOKEN = os.environ.get("NEWSREADER_METRICS_TOKEN", "")

# How many paragraphs a reader without membership sees when the text has no explicit break.
NEWSREADER_FREE_PARAGRAPHS = env_int("NEWSREADER_FREE_PARAGRAPHS", 2)
NEWSREADER_ARTICLES_PER_PAGE = env_int("NEWSREADER_ARTICLES_PER_PAGE", 20)
# Access of imported articles whose input does not say (the text format never does).
NEWSREADER_DEFAULT_ACCESS = env_str("NEWSREADER_DEFAULT_ACCESS", "members", choices=("free", "members"))
NEWSREADER_IMPORT_MAX_BYTES = env_int("NEWSREADER_IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# A .zip archive may be larger than one file; each file in it is held to the limit above.
NEWSREADER_IMPORT_MAX_ARCHIVE_BYTES = env_int("NEWSREADER_IMPORT_MAX_ARCHIVE_BYTES", 200 * 1024 * 1024)
# Fetching URLs to import: seconds to connect and between bytes; hosts (`host` or `host:port`)
# exempt from the public-address check, for local testing only.
NEWSREADER_FETCH_TIMEOUT = env_float("NEWSREADER_FETCH_TIMEOUT", 15)
# Seconds a whole fetch may take, redirects included, however slowly the server sends.
NEWSREADER_FETCH_DEADLINE = env_float("NEWSREADER_FETCH_DEADLINE", 60)
NEWSREADER_FETCH_ALLOWED_HOSTS = env_list("NEWSREADER_FETCH_ALLOWED_HOSTS", "")
# Processes that prepare (read, parse, sanitise, tag) files while an import of many writes them; 0: none.
# Past a few, PostgreSQL writing is the limit, so more would only take memory.
NEWSREADER_IMPORT_WORKERS = env_int("NEWSREADER_IMPORT_WORKERS", min(os.cpu_count() or 1, 4))
# The CPU priority (nice) a command's or the task queue's import runs at: as fast as ever on an idle
# machine, and out of the readers' way on a busy one (docs/importing.md).
NEWSREADER_IMPORT_NICE = env_int("NEWSREADER_IMPORT_NICE", 10, minimum=0)
# Group imported articles into stories as they are written (docs/stories.md); off, a back catalogue
# loads faster and `manage.py group_stories` groups it afterwards.
NEWSREADER_GROUP_STORIES_AT_IMPORT = env_bool("NEWSREADER_GROUP_STORIES_AT_IMPORT", True)
# An import run keeps this many entries of each outcome for its report page (failures: all).
NEWSREADER_IMPORT_RUN_ENTRIES = env_int("NEWSREADER_IMPORT_RUN_ENTRIES", 500)
# Seconds a running import may go without a heartbeat (it beats every 30 s) before it is ended
# as failed: its process is gone (on this host, a process that no longer exists ends it at once).
NEWSREADER_IMPORT_STALE_SECONDS = env_float("NEWSREADER_IMPORT_STALE_SECONDS", 600)
# The admin import page takes this many files in one upload (more: put them in a .zip).
DATA_UPLOAD_MAX_NUMBER_FILES = env_int("NEWSREADER_IMPORT_MAX_UPLOAD_FILES", 1000)
# Admin uploads larger than this (in all) are imported by a worker, and the page shows the run.
NEWSREADER_IMPORT_INLINE_BYTES = env_int("NEWSREADER_IMPORT_INLINE_BYTES", 5 * 1024 * 1024)
# Seconds an admin import may run while the page waits: inputs not started by then (a URL's fetch
# is held to it too) go to a worker, as a queued run of their own.
NEWSREADER_IMPORT_INLINE_SECONDS = env_float("NEWSREADER_IMPORT_INLINE_SECONDS", 20)
# When workers poll the active feed sources (cron syntax, UTC): every 15 minutes.
NEWSREADER_POLL_CRON = os.environ.get("NEWSREADER_POLL_CRON", "*/15 * * * *")
# Full text for feeds that fetch their entries' original pages: at most this many fetches from one
# host at a time (across every worker), and a worker waits this many seconds after each before
# the next fetch from that host.
NEWSREADER_PAGE_FETCH_PER_HOST = env_int("NEWSREADER_PAGE_FETCH_PER_HOST", 1, minimum=1)
NEWSREADER_PAGE_FETCH_DELAY = env_float("NEWSREADER_PAGE_FETCH_DELAY", 2)

# Members: a sign-up starts a trial of this many days.
NEWSREADER_TRIAL_DAYS = env_int("NEWSREADER_TRIAL_DAYS", 30)

# Sign-in throttling (articles/throttle.py), counted in the database so that every gunicorn worker
# sees the same failures: per username + address, and per address across usernames.
NEWSREADER_LOGIN_WINDOW_MINUTES = env_int("NEWSREADER_LOGIN_WINDOW_MINUTES", 15)
NEWSREADER_LOGIN_FAILURES_PER_USER = env_int("NEWSREADER_LOGIN_FAILURES_PER_USER", 5)
NEWSREADER_LOGIN_FAILURES_PER_ADDRESS = env_int("NEWSREADER_LOGIN_FAILURES_PER_ADDRESS", 50)

# Comments.
NEWSREADER_COMMENT_MAX_LENGTH = env_int("NEWSREADER_COMMENT_MAX_LENGTH", 5000)
NEWSREADER_COMMENT_EDIT_MINUTES = env_int("NEWSREADER_COMMENT_EDIT_MINUTES", 15)
NEWSREADER_COMMENTS_PER_MINUTE = env_int("NEWSREADER_COMMENTS_PER_MINUTE", 5)

# Mail (password reset): printed to the console unless an SMTP server is configured.
if os.environ.get("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["EMAIL_HOST"]
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    # Seconds to wait on the server: without a limit, a hung one would hold the mail thread for ever.
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsreader <noreply@localhost>")

# Mail anyone can ask us to send to an address they type (a password reset, a link to confirm an
# email address), counted in the database per email address and per client address
# (articles/throttle.py); over either within the window, 429.
NEWSREADER_MAIL_WINDOW_MINUTES = env_int("NEWSREADER_MAIL_WINDOW_MINUTES", 60, minimum=1)
NEWSREADER_MAILS_PER_EMAIL = env_int("NEWSREADER_MAILS_PER_EMAIL", 3, minimum=1)
NEWSREADER_MAILS_PER_ADDRESS = env_int("NEWSREADER_MAILS_PER_ADDRESS", 20, minimum=1)

# Members' desks (docs/desk.md): the site's address in mail sent without a request (digests, alerts),
# when workers send digests and alerts (cron syntax, UTC), and the least time between two alerts.
NEWSREADER_SITE_URL = os.environ.get("NEWSREADER_SITE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}").rstrip("/")
NEWSREADER_DIGEST_CRON = os.environ.get("NEWSREADER_DIGEST_CRON", "5 * * * *")
NEWSREADER_ALERT_CRON = os.environ.get("NEWSREADER_ALERT_CRON", "*/5 * * * *")
NEWSREADER_ALERT_MINUTES = env_int("NEWSREADER_ALERT_MINUTES", 15, minimum=1)
# Payments on Stripe (docs/members.md): without STRIPE_SECRET_KEY everything about paying is hidden
# and membership is the trial and what editors grant. STRIPE_API_BASE points at a local Stripe
# server in tests. NEWSREADER_STRIPE_PRICES: Stripe's Prices and its customer portal (real Stripe),
# or 0 for the older Plans and our own self-service pages (what localstripe implements).
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_PUBLISHABLE_KEY = os.environ.get("STRIPE_PUBLISHABLE_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
STRIPE_API_BASE = env_str("STRIPE_API_BASE", "https://api.stripe.com")
NEWSREADER_STRIPE_PRICES = env_bool("NEWSREADER_STRIPE_PRICES", True)
# The plans: amounts in the currency's smallest unit (cents), one currency for both.
NEWSREADER_PLAN_CURRENCY = env_str("NEWSREADER_PLAN_CURRENCY", "eur").lower()
NEWSREADER_PLAN_MONTHLY = env_int("NEWSREADER_PLAN_MONTHLY", 800, minimum=1)
NEWSREADER_PLAN_YEARLY = env_int("NEWSREADER_PLAN_YEARLY", 8000, minimum=1)
# A member whose renewal failed keeps reading this many days while Stripe retries the card.
NEWSREADER_GRACE_DAYS = env_int("NEWSREADER_GRACE_DAYS", 7)
# A trial member is offered the plans (on the account page, and once by mail) this many days before the trial ends.
NEWSREADER_TRIAL_REMINDER_DAYS = env_int("NEWSREADER_TRIAL_REMINDER_DAYS", 7)
# The metered paywall: signed-in non-members read this many members' articles a month in full; 0: off.
NEWSREADER_METERED_ARTICLES = env_int("NEWSREADER_METERED_ARTICLES", 0)
