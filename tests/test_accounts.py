import concurrent.futures
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends import locmem
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import access
from articles import mail as mail_module
from articles.models import Membership
from articles.views import accounts

from .factories import make_article, make_lapsed_member, make_member, make_user

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parent.parent
SECRET = "The members-only sentence about the Zanzibar accord."
SIGNUP = {"username": "newreader", "email": "new@example.org", "password1": "tidal-basin-41", "password2": "tidal-basin-41"}


def test_signup_starts_a_trial_and_lands_back_on_the_article_with_the_whole_text(client, settings):
    settings.NEWSREADER_TRIAL_DAYS = 14
    article = make_article(paragraphs=["Free one.", "Free two.", SECRET, "More."], free_blocks=2)
    response = client.post(f"/accounts/signup/?next={article.get_absolute_url()}", SIGNUP | {"next": article.get_absolute_url()}, follow=True)
    assert response.redirect_chain == [(article.get_absolute_url(), 302)]
    page = response.content.decode()
    assert SECRET in page and "data-paywall" not in page
    membership = Membership.objects.get(user__username="newreader")
    assert membership.plan == "trial"
    assert (membership.ends_at - membership.starts_at).days == 14
    assert access.membership_is_active(membership)


def test_signup_form_keeps_what_was_typed_and_shows_each_error(client):
    make_user(username="taken")
    response = client.post("/accounts/signup/", SIGNUP | {"username": "taken", "password2": "something-else"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "A user with that username already exists." in page
    assert "The two password fields didn’t match." in page
    assert 'value="new@example.org"' in page
    assert not Membership.objects.exists()


def test_signup_rejects_a_weak_password_with_djangos_validators(client):
    response = client.post("/accounts/signup/", SIGNUP | {"password1": "password", "password2": "password"})
    assert "This password is too common." in response.content.decode()


def test_signup_never_redirects_off_site(client):
    response = client.post("/accounts/signup/", SIGNUP | {"next": "https://evil.example.com/"})
    assert response["Location"] == "/"


def test_login_and_post_only_logout(client):
    make_member(username="alice")
    response = client.post("/accounts/login/", {"username": "alice", "password": "a-long-test-password", "next": "/accounts/"})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/accounts/").status_code == 302  # signed out: the account page asks to sign in


def test_account_page_shows_active_membership_and_its_end_date(client):
    user = make_member(username="alice", days=10)
    client.force_login(user)
    page = client.get(reverse("account")).content.decode()
    assert 'data-membership-state="active"' in page
    assert f"{user.membership.ends_at:%-d %B %Y}" in page
    assert 'action="/accounts/logout/"' in page


def test_account_page_tells_a_lapsed_member_to_renew(client):
    client.force_login(make_lapsed_member())
    page = client.get(reverse("account")).content.decode()
    assert 'data-membership-state="lapsed"' in page and "Renew your membership" in page


def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    make_member(username="alice", email="alice@example.org")
    response = client.post("/accounts/password_reset/", {"email": "alice@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["alice@example.org"]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line).strip()
    form_page = client.get(link, follow=True)
    response = client.post(form_page.redirect_chain[-1][0], {"new_password1": "fresh-harbour-77", "new_password2": "fresh-harbour-77"}, follow=True)
    assert "Your new password is set." in response.content.decode()
    assert client.login(username="alice", password="fresh-harbour-77")


def test_password_change(client):
    client.force_login(make_member(username="alice"))
    response = client.post(
        "/accounts/password_change/",
        {"old_password": "a-long-test-password", "new_password1": "fresh-harbour-77", "new_password2": "fresh-harbour-77"},
        follow=True,
    )
    assert "Your password has been changed." in response.content.decode()


def run_manage(*args, **env):
    environment = os.environ | env
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True)


def test_mail_goes_to_the_console_unless_smtp_is_configured():
    script = (
        "from django.conf import settings; "
        "print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS, settings.EMAIL_TIMEOUT)"
    )
    local = run_manage("shell", "--no-imports", "-c", script, EMAIL_HOST="")
    assert local.stdout.startswith("django.core.mail.backends.console.EmailBackend"), local.stderr
    smtp = run_manage("shell", "--no-imports", "-c", script, EMAIL_HOST="smtp.example.org", EMAIL_PORT="587")
    # A mail server that never answers must not hold the mail thread for ever.
    assert smtp.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.org", "587", "True", "10"]


# One trial per email address ---------------------------------------------------------------


def mailed_link(message, path):
    return next(word for line in message.body.splitlines() for word in line.split() if path in word)


def test_signup_with_an_address_another_account_has_used_starts_no_trial_until_it_is_confirmed(client):
    article = make_article(paragraphs=["Free one.", "Free two.", SECRET, "More."], free_blocks=2)
    make_user(username="first", email="New@Example.org")
    response = client.post("/accounts/signup/", SIGNUP | {"email": " new@EXAMPLE.org ", "next": article.get_absolute_url()}, follow=True)
    page = response.content.decode()
    assert response.redirect_chain == [(article.get_absolute_url(), 302)]  # signed in, back where they were
    assert SECRET not in page and "data-paywall" in page
    assert "starts once you confirm the address is yours" in page
    assert not Membership.objects.filter(user__username="newreader").exists()
    assert [message.to for message in mail.outbox] == [["new@example.org"]]

    link = mailed_link(mail.outbox[0], "/accounts/confirm/")
    assert "Confirm my address" in client.get(link).content.decode()
    assert not Membership.objects.filter(user__username="newreader").exists()  # a GET (a mail scanner) confirms nothing
    response = client.post(link, follow=True)
    assert "your trial membership has started" in response.content.decode()
    assert access.membership_is_active(Membership.objects.get(user__username="newreader"))
    assert SECRET in client.get(article.get_absolute_url()).content.decode()


def test_an_address_has_one_trial_however_many_accounts_use_it(client):
    assert client.post("/accounts/signup/", SIGNUP).status_code == 302  # first use: a trial at once
    client.post("/accounts/logout/")
    response = client.post("/accounts/signup/", SIGNUP | {"username": "second", "email": "NEW@example.org"}, follow=True)
    assert "has had its trial membership already" in response.content.decode()
    assert not Membership.objects.filter(user__username="second").exists()
    assert mail.outbox == []  # nothing to confirm: confirming would start nothing


def test_a_deleted_account_does_not_free_its_address_for_another_trial(client):
    client.post("/accounts/signup/", SIGNUP)
    client.post("/accounts/logout/")
    get_user_model().objects.get(username="newreader").delete()
    client.post("/accounts/signup/", SIGNUP | {"username": "again"})
    assert not Membership.objects.filter(user__username="again").exists()


def test_confirming_twice_or_for_a_second_account_starts_no_second_trial(client):
    make_user(username="staff-made", email="new@example.org")  # an account without a trial
    client.post("/accounts/signup/", SIGNUP)
    link = mailed_link(mail.outbox[0], "/accounts/confirm/")
    client.post(link)
    first_end = Membership.objects.get(user__username="newreader").ends_at
    response = client.post(link, follow=True)
    assert "has had its trial membership already" in response.content.decode()
    assert Membership.objects.get(user__username="newreader").ends_at == first_end
    client.force_login(get_user_model().objects.get(username="staff-made"))
    assert "Send me a new link" not in client.get("/accounts/").content.decode()
    client.force_login(make_user(username="no-address", email=""))
    assert "Send me a new link" not in client.get("/accounts/").content.decode()
    client.post("/accounts/confirm/")
    assert len(mail.outbox) == 1


def test_a_confirmation_link_that_is_expired_tampered_with_or_for_an_old_address_confirms_nothing(client, settings):
    make_user(username="first", email="new@example.org")
    client.post("/accounts/signup/", SIGNUP)
    link = mailed_link(mail.outbox[0], "/accounts/confirm/")
    assert client.post(link[:-3] + "xx/").status_code == 400
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert client.post(link).status_code == 400
    settings.PASSWORD_RESET_TIMEOUT = 3600
    get_user_model().objects.filter(username="newreader").update(email="other@example.org")
    response = client.post(link)
    assert response.status_code == 400 and "has expired" in response.content.decode()
    assert not Membership.objects.filter(user__username="newreader").exists()


def test_the_account_page_sends_a_new_confirmation_link_within_the_mail_limit(client, settings):
    settings.NEWSREADER_MAILS_PER_EMAIL = 2
    make_user(username="first", email="new@example.org")
    client.post("/accounts/signup/", SIGNUP)
    page = client.get("/accounts/").content.decode()
    assert 'data-membership-state="non_member"' in page and "Send me a new link" in page
    response = client.post("/accounts/confirm/", follow=True)
    assert "We have sent a new link" in response.content.decode() and len(mail.outbox) == 2
    response = client.post("/accounts/confirm/")
    assert response.status_code == 429 and response["Retry-After"] == "3600"
    assert len(mail.outbox) == 2
    client.post(mailed_link(mail.outbox[1], "/accounts/confirm/"))
    assert access.is_member(get_user_model().objects.get(username="newreader"))


# Password reset: throttled, and alike whatever the address -----------------------------------


def reset(client, email, address="203.0.113.5"):
    return client.post("/accounts/password_reset/", {"email": email}, REMOTE_ADDR=address)


def test_password_reset_is_limited_per_email_address_however_it_is_written(client, settings):
    settings.NEWSREADER_MAILS_PER_EMAIL = 3
    make_user(username="alice", email="alice@example.org")
    for email in ["alice@example.org", "ALICE@example.org", " Alice@Example.ORG"]:
        assert reset(client, email).status_code == 302
    for email, address in [("alice@example.org", "203.0.113.5"), ("alice@EXAMPLE.org", "198.51.100.7")]:
        response = reset(client, email, address)
        assert response.status_code == 429 and "try again in 60 minutes" in response.content.decode()
        assert response["Retry-After"] == "3600"
    assert len(mail.outbox) == 3
    assert reset(client, "nobody@example.org").status_code == 302  # another address is not affected


def test_password_reset_is_limited_per_client_address(client, settings):
    settings.NEWSREADER_MAILS_PER_ADDRESS = 4
    for number in range(4):
        assert reset(client, f"someone{number}@example.org").status_code == 302
    assert reset(client, "someone-else@example.org").status_code == 429
    assert reset(client, "someone-else@example.org", address="198.51.100.7").status_code == 302


def test_password_reset_answers_alike_and_looks_for_the_account_only_after_the_response(rf):
    make_user(username="alice", email="alice@example.org")
    answers = {}
    for email in ["alice@example.org", "nobody@example.org"]:
        request = rf.post("/accounts/password_reset/", {"email": email})
        request._dont_enforce_csrf_checks = True
        mailed = len(mail.outbox)
        with CaptureQueriesContext(connection) as queries:
            response = accounts.PasswordResetView.as_view()(request)
        assert not any("auth_user" in query["sql"] for query in queries.captured_queries)
        assert len(mail.outbox) == mailed
        answers[email] = (response.status_code, response["Location"], response.content)
        # As the server does once the answer is sent (without closing the test's connection, as the test client does not).
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)
    assert answers["alice@example.org"] == answers["nobody@example.org"] == (302, "/accounts/password_reset/done/", b"")
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]


def test_password_reset_pages_are_the_same_for_an_address_without_an_account(client):
    make_user(username="alice", email="alice@example.org")
    known = client.post("/accounts/password_reset/", {"email": "alice@example.org"}, follow=True)
    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.org"}, follow=True)
    assert known.redirect_chain == unknown.redirect_chain
    assert [t.name for t in known.templates] == [t.name for t in unknown.templates]
    assert known.content == unknown.content


class HeldMailBackend(locmem.EmailBackend):
    """A mail server that answers only once the test lets it, and refuses mail to broken@."""

    released = threading.Event()

    def send_messages(self, messages):
        assert HeldMailBackend.released.wait(timeout=10)
        if any(address.startswith("broken@") for message in messages for address in message.to):
            raise ConnectionRefusedError("no mail server")
        return super().send_messages(messages)


@pytest.mark.django_db(transaction=True)
def test_mail_goes_out_on_a_background_thread_and_a_slow_or_failing_server_holds_up_no_answer(settings, monkeypatch, caplog):
    monkeypatch.setattr(mail_module, "mail_sender", mail_module.MailSender())  # the real thread
    settings.EMAIL_BACKEND = "tests.test_accounts.HeldMailBackend"
    HeldMailBackend.released.clear()
    make_user(username="alice", email="alice@example.org")
    client = Client()
    started = time.monotonic()
    assert client.post("/accounts/password_reset/", {"email": "alice@example.org"}).status_code == 302
    assert client.get("/accounts/password_reset/").status_code == 200  # the same process answers on
    assert time.monotonic() - started < 5 and mail.outbox == []  # while the mail server holds
    make_user(username="first", email="broken@example.org")
    assert client.post("/accounts/signup/", SIGNUP | {"email": "broken@example.org"}).status_code == 302
    HeldMailBackend.released.set()
    mail_module.mail_sender.pool.shutdown(wait=True)
    assert [message.to for message in mail.outbox] == [["alice@example.org"]]
    assert "Sending mail failed" in caplog.text and "no mail server" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_simultaneous_reset_requests_cannot_pass_the_limit_together(settings):
    settings.NEWSREADER_MAILS_PER_EMAIL = 3
    make_user(username="alice", email="alice@example.org")
    barrier = threading.Barrier(8)

    def request(number):
        barrier.wait()
        try:
            return reset(Client(), "alice@example.org", address=f"198.51.100.{number + 1}").status_code
        finally:
            connection.close()

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        statuses = sorted(pool.map(request, range(8)))
    assert statuses == [302] * 3 + [429] * 5
    assert len(mail.outbox) == 3


def test_staff_see_the_trials_and_mail_requests_in_the_admin(client):
    client.post("/accounts/signup/", SIGNUP)
    client.post("/accounts/password_reset/", {"email": "someone@example.org"})
    client.force_login(make_user(username="editor", is_staff=True, is_superuser=True))
    assert "new@example.org" in client.get("/admin/articles/trial/").content.decode()
    assert "someone@example.org" in client.get("/admin/articles/mailrequest/").content.decode()
