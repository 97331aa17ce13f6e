import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"


@pytest.mark.django_db(transaction=True)
def test_healthz_503_when_the_database_does_not_answer(client, monkeypatch):
    connection.close()
    monkeypatch.setitem(connection.settings_dict, "HOST", "/nonexistent-socket-dir")
    monkeypatch.setitem(connection.settings_dict, "PORT", "1")
    response = client.get("/healthz")
    assert response.status_code == 503
    connection.close()


def test_check_deploy_is_clean_under_production_settings():
    env = os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "a-production-secret-key-that-is-long-and-random-9f8e7d6c5b4a",
        "ALLOWED_HOSTS": "news.example.org",
    }
    for test_only in ["NEWSREADER_HTTPS", "DJANGO_ALLOW_ASYNC_UNSAFE"]:
        env.pop(test_only, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.django_db
def test_every_response_carries_the_content_security_policy(client, settings):
    settings.NEWSREADER_PAGE_CACHE_SECONDS = 600
    for url in ["/", "/", "/robots.txt", "/healthz", "/no-such-page/"]:  # "/" twice: as rendered, then replayed
        policy = client.get(url)["Content-Security-Policy"]
        assert "script-src 'self';" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
