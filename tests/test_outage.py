"""What the site answers while its database does not (newsreader/outage.py, articles/contentversion.py)."""

import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from unittest.mock import ANY

import psycopg
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import ProgrammingError, connection
from django.test import Client
from psycopg import sql

from newsreader import outage

from .factories import make_article, make_member
from .test_gunicorn_conf import free_port

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.django_db(transaction=True)  # the database goes away under the test's connection


@pytest.fixture
def database(monkeypatch):
    """Make the database refuse every new connection (`stop()`) and answer again (`start()`)."""

    class Database:
        def stop(self, host="/nonexistent-socket-dir", port="1"):
            connection.close()
            monkeypatch.setitem(connection.settings_dict, "HOST", host)
            monkeypatch.setitem(connection.settings_dict, "PORT", port)

        def start(self):
            connection.close()
            monkeypatch.undo()

    yield Database()
    connection.close()


def reader():
    return Client(raise_request_exception=False)  # answers as a server would, not the exception


def assert_back_shortly(response):
    assert response.status_code == 503 and response["Content-Type"].startswith("text/html")
    assert "Back shortly" in response.content.decode() and int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]


def test_a_page_needing_the_database_says_back_shortly_until_it_returns(database):
    make_article(title="Harbour Talks", paragraphs=["Peru and Chile met.", "Chile agreed."])
    anonymous = reader()
    database.stop()
    for url in ["/", "/countries/pe/", "/search/?q=harbour"]:
        assert_back_shortly(anonymous.get(url))
    database.start()
    assert "Harbour Talks" in anonymous.get("/").content.decode()


def test_pages_kept_in_the_cache_are_still_served_and_healthz_says_503(database, page_cache_on, settings):
    article = make_article(title="Kept Page")
    anonymous = reader()
    kept = anonymous.get(article.get_absolute_url())
    database.stop()
    settings.NEWSREADER_PAGE_CACHE_RECHECK = 0  # the content version is asked for, and cannot be read
    again = anonymous.get(article.get_absolute_url())
    assert again.status_code == 200 and again.content == kept.content
    assert anonymous.get("/healthz").status_code == 503
    assert_back_shortly(anonymous.get("/countries/"))  # not kept


def test_a_signed_in_reader_and_a_sign_in_get_back_shortly(database, page_cache_on):
    member = reader()
    member.force_login(make_member(username="ines"))
    assert member.get("/").status_code == 200
    database.stop()
    cache.clear()  # their session and account are read from the database again
    assert_back_shortly(member.get("/"))
    assert_back_shortly(reader().post("/accounts/login/", {"username": "ines", "password": "a-long-test-password"}))
    database.start()
    assert member.get("/").status_code == 200


@pytest.mark.parametrize("error", [ValueError("a bug of ours"), ProgrammingError("a query of ours that is wrong")])
def test_any_other_error_stays_a_500(rf, error):
    try:
        raise error
    except Exception:  # as Django calls handler500: while the error is being handled
        response = outage.server_error(rf.get("/"))
    assert response.status_code == 500 and not response.has_header("Retry-After")


def test_a_database_host_that_never_answers_fails_a_request_in_seconds(database):
    """Without a connect timeout psycopg waits 130 s, past gunicorn's 30 s, which kills the worker."""
    with socket.socket() as silent:  # accepts connections (the kernel does) and never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        database.stop(host="127.0.0.1", port=str(silent.getsockname()[1]))
        answers = []
        asking = threading.Thread(target=lambda: answers.append(reader().get("/countries/")), daemon=True)
        started = time.monotonic()
        asking.start()
        asking.join(timeout=20)
        assert answers, f"no answer after {time.monotonic() - started:.0f} s"
    assert_back_shortly(answers[0])


def set_connections_allowed(allowed: bool) -> None:
    """ALLOW_CONNECTIONS on the test database, from another database (PostgreSQL refuses it from
    inside); when refusing, every connection to it but the test's own is ended too."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own = cursor.fetchone()[0]
    params = connection.get_connection_params() | {"dbname": "postgres", "autocommit": True}
    params.pop("cursor_factory", None)
    name = connection.settings_dict["NAME"]
    with psycopg.connect(**params) as admin:
        admin.execute(sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}").format(sql.Identifier(name), sql.Literal(allowed)))
        if not allowed:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> %s", [name, own])


def fetch(opener, url, data=None):
    try:
        response = opener.open(url, data, timeout=30)
    except urllib.error.HTTPError as error:
        response = error
    return response.status, response.headers, response.read().decode()


def test_a_served_site_degrades_and_recovers_with_its_database(tmp_path, test_database_url):
    """gunicorn as `make run` serves (DEBUG off), and the database refusing connections, then back."""
    article = make_article(title="Kept Through The Outage")
    signed_in = Client()
    signed_in.force_login(make_member())
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"], cwd=ROOT, check=True)
    port = free_port()
    env = os.environ | {
        "DATABASE_URL": test_database_url, "DEBUG": "0", "SECRET_KEY": settings.SECRET_KEY, "NEWSREADER_HTTPS": "0",
        "WEB_CONCURRENCY": "1", "NEWSREADER_PAGE_CACHE_SECONDS": "600",
        "NEWSREADER_PAGE_CACHE_RECHECK": "0",  # the refresher rereads the content version as often as it can
        "NEWSREADER_READER_CACHE_SECONDS": "0",  # a signed-in reader's session and account from the database each time
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    log = tmp_path / "gunicorn.log"
    server = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "newsreader.wsgi", "--config", "newsreader/gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--access-logfile", os.devnull, "--error-logfile", str(log)],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    anonymous = urllib.request.build_opener()
    member = urllib.request.build_opener()
    member.addheaders = [("Cookie", f"sessionid={signed_in.cookies['sessionid'].value}")]
    try:
        for _ in range(100):
            try:
                status, _, kept = fetch(anonymous, base + article.get_absolute_url())
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200 and "Sign out" in fetch(member, f"{base}/")[2]
        stylesheet = re.search(r'href="(/static/css/[^"]+\.css)"', kept)[1]

        set_connections_allowed(False)
        try:
            assert fetch(anonymous, f"{base}/healthz")[0] == 503
            assert fetch(anonymous, base + stylesheet)[0] == 200
            assert fetch(anonymous, base + article.get_absolute_url()) == (200, ANY, kept)
            for opener, url in [(anonymous, "/countries/"), (member, "/"), (member, article.get_absolute_url())]:
                status, headers, body = fetch(opener, base + url)
                assert (status, "Back shortly" in body, headers["Retry-After"]) == (503, True, "30"), url
        finally:
            set_connections_allowed(True)
        for _ in range(100):
            if fetch(anonymous, f"{base}/healthz")[0] == 200:
                break
            time.sleep(0.1)
        assert fetch(anonymous, f"{base}/countries/")[0] == 200
        status, _, page = fetch(member, f"{base}/")
        assert status == 200 and "Sign out" in page
    finally:
        server.terminate()
        server.wait(timeout=30)
