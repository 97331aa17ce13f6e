"""Request ids, the slow-request log and JSON logs, as an operator reads them (newsreader/observability.py,
newsreader/logs.py)."""

import io
import json
import logging
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from pythonjsonlogger.json import JsonFormatter

from .factories import make_article

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def console_log(json_lines: bool = False):
    """What the site's own console handler writes meanwhile (its filter and, or JSON, its format)."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    written = io.StringIO()
    stream, formatter = handler.setStream(written), handler.formatter
    if json_lines:
        handler.setFormatter(JsonFormatter(**{k: v for k, v in django_settings.LOGGING["formatters"]["json"].items() if k != "()"}))
    try:
        yield written
    finally:
        handler.setStream(stream)
        handler.setFormatter(formatter)


def test_each_response_carries_a_request_id_of_its_own(client):
    first, second = client.get("/no/such/page/"), client.get("/no/such/page/")
    assert re.fullmatch(r"[0-9a-f]{16}", first["X-Request-ID"])
    assert first["X-Request-ID"] != second["X-Request-ID"]


def test_the_proxys_request_id_is_kept_when_well_formed(client):
    given = "3f6c1f9e-5b7a-4d0e-9a51-7d1c2a3b4c5d"
    assert client.get("/robots.txt", HTTP_X_REQUEST_ID=given)["X-Request-ID"] == given
    forged = "abc\nERROR forged log line"
    answered = client.get("/robots.txt", HTTP_X_REQUEST_ID=forged)["X-Request-ID"]
    assert answered != forged and re.fullmatch(r"[0-9a-f]{16}", answered)


def test_log_records_of_a_request_carry_its_id(client):
    with console_log() as log:
        response = client.get("/articles/no-such-article/", HTTP_X_REQUEST_ID="req-42")
    assert response.status_code == 404
    # Django's own "Not Found" warning, written while the request was handled.
    assert re.search(r"WARNING django\.request \[req-42\] Not Found: /articles/no-such-article/", log.getvalue())
    with console_log() as log:
        logging.getLogger("articles").warning("outside any request")
    assert "[-] outside any request" in log.getvalue()


def test_a_slow_request_is_logged_with_its_view_and_time(client, settings):
    settings.NEWSREADER_SLOW_REQUEST_MS = 1  # read when the client's handler is built: before its first request
    article = make_article()
    with console_log() as log:
        response = client.get(article.get_absolute_url())
    line = next(line for line in log.getvalue().splitlines() if "slow request" in line)
    assert f"[{response['X-Request-ID']}]" in line
    assert re.search(rf"slow request: GET {article.get_absolute_url()} \(article_detail\) answered 200 in \d+ ms", line)


def test_a_fast_request_is_not_logged(client):
    assert django_settings.NEWSREADER_SLOW_REQUEST_MS == 1000
    with console_log() as log:
        client.get("/robots.txt")
    assert "slow request" not in log.getvalue()


def test_json_logs_are_one_object_a_line_with_the_request_id(client, settings):
    settings.NEWSREADER_SLOW_REQUEST_MS = 1
    article = make_article()
    with console_log(json_lines=True) as log:
        response = client.get(article.get_absolute_url())
    records = [json.loads(line) for line in log.getvalue().splitlines()]
    slow = next(record for record in records if record["message"].startswith("slow request"))
    assert slow["request_id"] == response["X-Request-ID"]
    assert slow["level"] == "WARNING" and slow["logger"] == "newsreader.requests"
    assert slow["view"] == "article_detail" and slow["status"] == 200 and slow["duration_ms"] > 0


def test_the_setting_turns_json_logs_on():
    script = "import django, logging; django.setup(); logging.getLogger('articles').warning('hello')"
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "newsreader.settings", "NEWSREADER_LOG_FORMAT": "json"}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["message"] == "hello" and record["request_id"] == "-" and record["level"] == "WARNING"
    env["NEWSREADER_LOG_FORMAT"] = "yaml"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "NEWSREADER_LOG_FORMAT='yaml' is not one of: text, json" in result.stderr
