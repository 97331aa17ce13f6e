"""`/metrics`: the site's Prometheus metrics in the text format, for the addresses and the token
configured (docs/observability.md).

Counters and histograms are counted as requests and imports happen (articles/metrics.py); what the
database holds is read when Prometheus scrapes, in one query: the task queue's jobs by queue and
status (failures included) and the database's connections by state.

Who may scrape: an address in NEWSREADER_METRICS_ALLOW (by default this machine alone), or anyone
sending `Authorization: Bearer` with NEWSREADER_METRICS_TOKEN. Behind our reverse proxy every
request comes from 127.0.0.1, so a request carrying `X-Forwarded-For` is judged by the address the
proxy appended too: both must be allowed. Anyone else is answered 403.
"""

import hmac
import ipaddress
import os

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from prometheus_client import REGISTRY, CollectorRegistry, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

STATE = """
    SELECT 'jobs', queue_name, status::text, count(*) FROM procrastinate_jobs GROUP BY queue_name, status
    UNION ALL
    SELECT 'connections', coalesce(state, 'unknown'), '', count(*) FROM pg_stat_activity
    WHERE datname = current_database() AND backend_type = 'client backend' GROUP BY state
    UNION ALL
    SELECT 'max_connections', '', '', current_setting('max_connections')::bigint
"""


class DatabaseState:
    """A collector read at each scrape: what the database holds, in one query."""

    def describe(self):
        return []  # nothing to describe before a scrape: registering it must not query the database

    def collect(self):
        up = GaugeMetricFamily("newsreader_database_up", "1 when the database answered this scrape, else 0.")
        jobs = GaugeMetricFamily(
            "newsreader_queue_jobs", "Jobs in the task queue (procrastinate) by queue and status: todo is the "
            "queue's depth, failed its failures.", labels=["queue", "status"],
        )
        connected = GaugeMetricFamily(
            "newsreader_database_connections", "Client connections to the site's database, by state "
            "(active, idle, idle in transaction), every process and machine's.", labels=["state"],
        )
        limit = GaugeMetricFamily("newsreader_database_max_connections", "The database server's max_connections.")
        try:
            with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
                cursor.execute(STATE)
                rows = cursor.fetchall()
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        for kind, name, status, count in rows:
            if kind == "jobs":
                jobs.add_metric([name, status], count)
            elif kind == "connections":
                connected.add_metric([name], count)
            else:
                limit.add_metric([], count)
        yield from (up, jobs, connected, limit)


def _registry() -> CollectorRegistry:
    """Every process's values from PROMETHEUS_MULTIPROC_DIR under gunicorn; else this process's own."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    registry.register(DatabaseState())
    return registry


_scraped = _registry()


def _address_allowed(address: str) -> bool:
    try:
        parsed = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    if parsed.version == 6 and parsed.ipv4_mapped:
        parsed = parsed.ipv4_mapped
    return any(parsed in ipaddress.ip_network(network) for network in settings.NEWSREADER_METRICS_ALLOW)


def allowed(request) -> bool:
    token = settings.NEWSREADER_METRICS_TOKEN
    given = request.META.get("HTTP_AUTHORIZATION", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    if not _address_allowed(request.META.get("REMOTE_ADDR", "")):
        return False
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    return forwarded is None or _address_allowed(forwarded.rsplit(",", 1)[-1])


@never_cache
def metrics(request):
    if not allowed(request):
        return HttpResponse("Metrics are not served to this address.\n", status=403, content_type="text/plain")
    # The classic text format (0.0.4), which every Prometheus reads; our names need nothing newer.
    return HttpResponse(generate_latest(_scraped), content_type=CONTENT_TYPE_PLAIN_0_0_4)
