"""A trial member is offered the plans before the trial ends: on the account page, and once by mail."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from articles.actions import memberships
from articles.models import Membership

from .factories import make_user

pytestmark = pytest.mark.django_db


def trial_member(days):
    user = make_user()
    assert memberships.start_trial(user)
    Membership.objects.filter(user=user).update(ends_at=timezone.now() + dt.timedelta(days=days))
    return user


def test_the_account_page_offers_the_plans_as_the_trial_ends(client, stripe_on):
    client.force_login(trial_member(3))
    page = client.get("/accounts/").content.decode()
    assert "data-trial-offer" in page and 'href="/membership/"' in page
    client.force_login(trial_member(20))
    assert "data-trial-offer" not in client.get("/accounts/").content.decode()


def test_the_plans_are_mailed_once_to_trials_ending_soon(stripe_on, capsys):
    ending, later = trial_member(3), trial_member(20)
    call_command("remind_trials")
    assert [message.to for message in mail.outbox] == [[ending.email]]
    assert "http://127.0.0.1:8000/membership/" in mail.outbox[0].body
    call_command("remind_trials")  # once only
    assert len(mail.outbox) == 1
    assert Membership.objects.get(user=later).reminded_at is None


def test_without_payments_no_offer_is_made(client):
    user = trial_member(3)
    call_command("remind_trials")
    assert mail.outbox == []
    client.force_login(user)
    assert "data-trial-offer" not in client.get("/accounts/").content.decode()
