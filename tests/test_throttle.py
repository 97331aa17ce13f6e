import datetime as dt
import http.cookiejar
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.utils import timezone

from articles.models import LoginFailure

from .factories import make_member

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
ROOT = Path(__file__).resolve().parent.parent


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how often a password is checked."""

    checks = 0

    def verify(self, password, encoded):
        CountingHasher.checks += 1
        return super().verify(password, encoded)


@pytest.fixture(autouse=True)
def limits(settings):
    settings.PASSWORD_HASHERS = ["tests.test_throttle.CountingHasher"]
    settings.NEWSREADER_LOGIN_FAILURES_PER_USER = 5
    settings.NEWSREADER_LOGIN_FAILURES_PER_ADDRESS = 12


def sign_in(client, username, password="wrong-password", address="203.0.113.5", path="/accounts/login/"):
    return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)


def test_failures_for_one_account_answer_429_from_another_client_even_with_the_right_password(django_assert_num_queries):
    make_member(username="alice")
    first, second = Client(), Client()
    for _ in range(5):
        assert sign_in(first, "alice").status_code == 200  # the form again, with its error
    CountingHasher.checks = 0
    with django_assert_num_queries(1):  # one indexed count, and no password hashed
        response = sign_in(second, "alice", PASSWORD)
    assert CountingHasher.checks == 0
    assert response.status_code == 429
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert response["Retry-After"] == "900"
    assert "_auth_user_id" not in second.session


def test_failures_across_usernames_from_one_address_are_limited(client):
    for number in range(12):
        assert sign_in(client, f"guess{number}").status_code == 200
    assert sign_in(client, "yet-another-name").status_code == 429
    assert sign_in(client, "yet-another-name", address="198.51.100.7").status_code == 200


def test_other_accounts_and_other_addresses_are_not_affected(client):
    make_member(username="alice")
    make_member(username="bob")
    for _ in range(5):
        sign_in(client, "alice")
    assert sign_in(client, "alice").status_code == 429
    assert sign_in(Client(), "bob", PASSWORD).status_code == 302
    assert sign_in(Client(), "alice", PASSWORD, address="198.51.100.7").status_code == 302


def test_successful_sign_in_resets_the_count(client):
    make_member(username="alice")
    for _ in range(4):
        sign_in(client, "alice")
    assert sign_in(client, "alice", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    for _ in range(4):
        assert sign_in(client, "alice").status_code == 200
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_failures_older_than_the_window_do_not_count(client, settings):
    make_member(username="alice")
    long_ago = timezone.now() - dt.timedelta(minutes=settings.NEWSREADER_LOGIN_WINDOW_MINUTES + 1)
    LoginFailure.objects.bulk_create(
        [LoginFailure(username="alice", address="203.0.113.5", failed_at=long_ago) for _ in range(10)]
    )
    assert sign_in(client, "alice", PASSWORD).status_code == 302


def test_admin_sign_in_is_throttled_too(client):
    for _ in range(5):
        sign_in(client, "admin", path="/admin/login/")
    assert sign_in(client, "admin", path="/admin/login/").status_code == 429


@pytest.mark.django_db(transaction=True)
def test_throttle_holds_across_gunicorn_worker_processes(tmp_path, test_database_url):
    """Every request is answered by a fresh worker process (--max-requests 1), and still the sixth is refused."""
    make_member(username="alice")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = os.environ | {
        "DATABASE_URL": test_database_url,
        "DEBUG": "1",  # static files by their plain names, without collectstatic
        "NEWSREADER_HTTPS": "0",
        "NEWSREADER_LOGIN_FAILURES_PER_USER": "5",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    server = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "newsreader.wsgi", "--workers", "2", "--max-requests", "1",
         "--bind", f"127.0.0.1:{port}", "--error-logfile", str(tmp_path / "gunicorn.log")],
        cwd=ROOT, env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(cookies := http.cookiejar.CookieJar()))
        for _ in range(100):
            try:
                browser.open(f"{base}/accounts/login/", timeout=5)
                break
            except OSError:
                time.sleep(0.1)
        token = next(cookie.value for cookie in cookies if cookie.name == "csrftoken")

        def attempt(password):
            form = urllib.parse.urlencode({"username": "alice", "password": password, "csrfmiddlewaretoken": token})
            try:
                return browser.open(f"{base}/accounts/login/", form.encode(), timeout=10).status
            except urllib.error.HTTPError as error:
                return error.code

        assert [attempt("wrong-password") for _ in range(5)] == [200] * 5
        assert attempt(PASSWORD) == 429
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_throttled_attempt_hashes_nothing_even_for_an_unknown_username(client, monkeypatch):
    # For an unknown username Django hashes the password anyway (so that timing does not tell
    # who exists): a throttled attempt must not reach that either.
    hashed = []
    monkeypatch.setattr(
        CountingHasher, "encode", lambda self, password, salt: hashed.append(1) or MD5PasswordHasher.encode(self, password, salt)
    )
    for number in range(12):
        assert sign_in(client, f"guess{number}").status_code == 200
    assert hashed  # the refused-but-not-throttled attempts did cost a hash each
    hashed.clear()
    CountingHasher.checks = 0
    assert sign_in(client, "nobody-at-all").status_code == 429
    assert hashed == [] and CountingHasher.checks == 0


@pytest.mark.parametrize("variant", [" alice", "alice\t", "ａｌｉｃｅ", " ａｌｉｃｅ\n"])
def test_a_username_written_differently_counts_against_the_account_it_signs_in_to(client, variant):
    # Sign-in strips and NFKC-normalises the username before looking it up, so each of these
    # signs in as alice: they must not get fresh tries.
    make_member(username="alice")
    for _ in range(5):
        assert sign_in(client, "alice").status_code == 200
    assert sign_in(Client(), variant, PASSWORD).status_code == 429


def test_failures_under_username_variants_add_up(client):
    make_member(username="alice")
    for variant in ["alice", " alice", "ａｌｉｃｅ", "alice ", "ａlice"]:
        assert sign_in(client, variant).status_code == 200
    assert sign_in(Client(), "alice", PASSWORD).status_code == 429


def test_one_ipv6_network_counts_as_one_address(client):
    # A home or a server gets a whole /64: rotating through its addresses must not reset the count.
    for number in range(12):
        assert sign_in(client, f"guess{number}", address=f"2001:db8:1:2::{number + 1:x}").status_code == 200
    assert sign_in(client, "yet-another-name", address="2001:db8:1:2:ffff::9").status_code == 429
    assert sign_in(client, "yet-another-name", address="2001:db8:1:3::1").status_code == 200


def test_an_ipv4_address_mapped_into_ipv6_is_the_same_address(client):
    for number in range(12):
        sign_in(client, f"guess{number}", address="203.0.113.5")
    assert sign_in(client, "yet-another-name", address="::ffff:203.0.113.5").status_code == 429
