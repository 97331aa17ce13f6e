"""Replica settings and health on one machine (tests/cluster/ tests the router against real replicas)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOW = ("from django.conf import settings; import json; print(json.dumps({'aliases': list(settings.DATABASES), "
        "'replicas': settings.NEWSREADER_REPLICAS, 'routers': settings.DATABASE_ROUTERS, 'middleware': settings.MIDDLEWARE, "
        "'replica': settings.DATABASES.get('replica_2')}, default=str))")


def configured(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URLS"} | env
    environment["DJANGO_SETTINGS_MODULE"] = "newsreader.settings"
    output = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {SHOW}"], cwd=ROOT,
                            env=environment, check=True, capture_output=True, text=True).stdout
    return json.loads(output)


def test_without_replicas_nothing_of_them_is_installed():
    shown = configured()
    assert shown["aliases"] == ["default"] and shown["replicas"] == []
    assert shown["routers"] == []
    assert not any("replicas" in name for name in shown["middleware"])


def test_replicas_come_from_a_comma_separated_list():
    shown = configured(DATABASE_REPLICA_URLS="postgres://ro@replica-a:5432/news, postgres://ro@%2Fvar%2Frun%2Fpg/news")
    assert shown["aliases"] == ["default", "replica_1", "replica_2"]
    assert shown["routers"] == ["newsreader.replicas.ReplicaRouter"]
    # Inside the page cache (and the request's metrics and id), before sessions and everything that reads.
    assert shown["middleware"][:3] == ["newsreader.observability.observed", "articles.pagecache.PageCacheMiddleware",
                                       "newsreader.replicas.ReplicaReadsMiddleware"]
    assert shown["replica"]["HOST"] == "/var/run/pg" and shown["replica"]["NAME"] == "news"
    assert shown["replica"]["TEST"]["MIRROR"] == "default"


@pytest.mark.django_db
def test_healthz_detail_without_replicas(client):
    response = client.get("/healthz?detail=1")
    assert response.status_code == 200
    assert response.json() == {"primary": "ok", "replicas": []}
    assert client.get("/healthz").content == b"ok"
