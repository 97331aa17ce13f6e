import datetime as dt

import pytest
from django.contrib.auth.hashers import MD5PasswordHasher
from django.test import Client
from django.utils import timezone

from articles.models import LoginFailure

from .factories import make_member

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


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
