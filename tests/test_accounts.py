import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail
from django.urls import reverse

from articles import access
from articles.models import Membership

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
    script = "from django.conf import settings; print(settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS)"
    local = run_manage("shell", "--no-imports", "-c", script, EMAIL_HOST="")
    assert local.stdout.startswith("django.core.mail.backends.console.EmailBackend"), local.stderr
    smtp = run_manage("shell", "--no-imports", "-c", script, EMAIL_HOST="smtp.example.org", EMAIL_PORT="587")
    assert smtp.stdout.split() == ["django.core.mail.backends.smtp.EmailBackend", "smtp.example.org", "587", "True"]
