"""Paying for membership against a local Stripe (localstripe, a process of the test session):
the plans, the webhook (signature, each event once, any order), and the states a subscription
goes through — active, cancelled at the period's end, past due with a grace period, ended."""

import datetime as dt
import re

import pytest
import time_machine
from django.utils import timezone

from articles import access
from articles.actions import billing
from articles.models import Membership, StripeEvent, Subscription

from .factories import make_user
from .stripe_server import DECLINED_ON_CHARGE, api, card_set_up, deliver, events_of, signed

pytestmark = pytest.mark.django_db


def subscribed_reader(localstripe, *, plan="monthly"):
    """A reader who chose a plan and entered a card on the payment page; Stripe has not said yet
    that the subscription is paid."""
    reader = make_user()
    customer = billing.customer_of(reader).customer_id
    assert billing.subscribe(reader, plan=plan, setup_intent_id=card_set_up(localstripe, customer)) == ""
    return reader, customer


def reread(user):
    return type(user).objects.get(pk=user.pk)


def test_without_keys_membership_explains_the_trial_and_paying_is_hidden(client):
    page = client.get("/membership/").content.decode()
    assert "free trial membership of 30 days" in page
    assert "data-plan" not in page
    assert client.post("/membership/", {"plan": "monthly"}).status_code == 200  # nothing to buy
    # The webhook answers as ../shared/interfaces.md says: without a secret, no signature is right.
    assert client.post("/stripe/webhook/", b"{}", content_type="application/json").status_code == 400
    assert client.post("/stripe/webhook/", b"{}", content_type="application/json",
                       HTTP_STRIPE_SIGNATURE="t=1,v1=00").status_code == 400
    assert client.get("/gifts/").status_code == 404
    client.force_login(make_user())
    assert client.get("/membership/payment/").status_code == 404


def test_membership_shows_each_plan_as_a_form(client, stripe_on):
    page = client.get("/membership/").content.decode()
    forms = re.findall(r'<form method="post" action="/membership/" data-plan="(\w+)">', page)
    assert forms == ["monthly", "yearly"]
    assert "€8.00" in page and "€80.00" in page
    # An anonymous reader who chooses is sent to sign up first, and back.
    assert client.post("/membership/", {"plan": "yearly"})["Location"] == "/accounts/signup/?next=/membership/"


def test_choosing_a_plan_leads_to_the_payment_page_with_stripe_js_allowed_there_alone(client, stripe_on):
    client.force_login(make_user())
    assert client.post("/membership/", {"plan": "monthly"})["Location"] == "/membership/payment/"
    response = client.get("/membership/payment/")
    page = response.content.decode()
    assert f'<script src="{stripe_on}/js.stripe.com/v3/"></script>' in page
    assert "seti_" in page and "The monthly membership: €8.00 a month" in page
    policy = response["Content-Security-Policy"]
    assert f"script-src 'self' {stripe_on}" in policy and f"connect-src 'self' {stripe_on}" in policy
    # Every other page keeps the site's policy: our own scripts only.
    other = client.get("/membership/")
    assert stripe_on not in other["Content-Security-Policy"] and "js.stripe.com" not in other.content.decode()


def test_membership_is_paid_on_the_webhook_not_the_redirect(client, stripe_on):
    reader, customer = subscribed_reader(stripe_on)
    assert not access.is_member(reread(reader))  # the payment page's redirect changes nothing
    for event in events_of(stripe_on, customer):
        assert deliver(client, event).status_code == 200
    row = Subscription.objects.get(user=reader)
    assert (row.status, row.plan, row.amount, row.currency) == ("active", "monthly", 800, "eur")
    membership = Membership.objects.get(user=reader)
    assert membership.ends_at == row.current_period_end > timezone.now() + dt.timedelta(days=27)
    assert access.is_member(reread(reader))


def test_a_missing_or_wrong_signature_is_refused_and_changes_nothing(client, stripe_on):
    reader, customer = subscribed_reader(stripe_on)
    events = events_of(stripe_on, customer)
    assert events
    for event in events:
        assert deliver(client, event, signature="").status_code == 400
        assert deliver(client, event, secret="whsec_someone_else").status_code == 400
        assert deliver(client, event, signature="t=1,v1=00").status_code == 400
        stale = signed(b"{}", at=int(timezone.now().timestamp()) - 3600)
        assert deliver(client, event, signature=stale).status_code == 400
    assert not StripeEvent.objects.exists()
    assert not Membership.objects.filter(user=reader).exists()
    assert Subscription.objects.get(user=reader).status == ""


def test_events_replayed_and_reordered_are_applied_once_from_stripes_current_state(client, stripe_on):
    reader, customer = subscribed_reader(stripe_on)
    # They cancel on Stripe's portal before any event reached us: Stripe's state says so now,
    # whatever the (older) events say.
    row = Subscription.objects.get(user=reader)
    api(stripe_on).v1.subscriptions.update(row.subscription_id, params={"cancel_at_period_end": True})
    events = events_of(stripe_on, customer)
    answers = [deliver(client, event).content for event in reversed(events)]
    assert answers == [b"applied"] * len(events)
    assert [deliver(client, event).content for event in events] == [b"already applied"] * len(events)
    assert StripeEvent.objects.filter(id__in=[event["id"] for event in events]).count() == len(events)
    row = Subscription.objects.get(user=reader)
    assert row.status == "active" and row.cancel_at_period_end
    assert row.events.count() == len([e for e in events if e["type"].startswith(("customer.subscription", "invoice."))])
    assert Membership.objects.get(user=reader).ends_at == row.current_period_end


def test_cancel_at_period_end_then_the_preview(client, stripe_on):
    reader, customer = subscribed_reader(stripe_on)
    for event in events_of(stripe_on, customer):
        deliver(client, event)
    client.force_login(reader)
    client.post("/accounts/subscription/", {"action": "cancel"})
    row = Subscription.objects.get(user=reader)
    assert row.cancel_at_period_end
    page = client.get("/accounts/").content.decode()
    assert "is cancelled: you read everything until" in page and "Resume my membership" in page
    client.post("/accounts/subscription/", {"action": "resume"})
    assert "renews on" in client.get("/accounts/").content.decode()
    client.post("/accounts/subscription/", {"action": "cancel"})
    with time_machine.travel(row.current_period_end + dt.timedelta(minutes=1), tick=False):
        assert access.member_state(reread(reader)) is access.MemberState.LAPSED


def test_self_service_shows_renewal_changes_plan_and_lists_invoices(client, stripe_on):
    reader, customer = subscribed_reader(stripe_on)
    for event in events_of(stripe_on, customer):
        deliver(client, event)
    client.force_login(reader)
    page = client.get("/accounts/").content.decode()
    row = Subscription.objects.get(user=reader)
    assert f"renews on <strong data-period-end>{row.current_period_end:%-d %B %Y}</strong> for <strong>€8.00</strong>" in page
    client.post("/accounts/subscription/", {"action": "plan", "plan": "yearly"})
    row.refresh_from_db()
    assert (row.plan, row.amount) == ("yearly", 8000)
    assert Membership.objects.get(user=reader).plan == "yearly"
    invoices = client.get("/accounts/invoices/").content.decode()
    assert invoices.count("data-invoice") >= 1 and "€8.00" in invoices
    # A new card goes through the payment page, like the first.
    assert client.post("/accounts/subscription/", {"action": "card"})["Location"] == "/membership/payment/"
    intent = card_set_up(stripe_on, customer)
    assert client.post("/membership/payment/", {"setup_intent": intent})["Location"] == "/accounts/"


def test_a_failed_renewal_is_past_due_then_ended_after_the_grace_period(client, stripe_on, settings):
    settings.NEWSREADER_GRACE_DAYS = 5
    reader, customer = subscribed_reader(stripe_on)
    for event in events_of(stripe_on, customer):
        deliver(client, event)
    # The card now fails, and the next renewal cannot be paid. (localstripe keeps no clock of its
    # own: a renewal is charged at once when the subscription moves to the yearly interval, as a
    # member may do on Stripe's portal; Stripe tells us only through the webhook.)
    started = int(timezone.now().timestamp())
    billing.update_card(reader, setup_intent_id=card_set_up(stripe_on, customer, DECLINED_ON_CHARGE))
    stripe = api(stripe_on)
    row = Subscription.objects.get(user=reader)
    item = stripe.v1.subscriptions.retrieve(row.subscription_id)["items"]["data"][0]
    stripe.v1.subscriptions.update(row.subscription_id, params={"items": [{"id": item.id, "plan": "newsreader-yearly-8000-eur"}]})
    renewal = events_of(stripe_on, customer, since=started)
    assert "invoice.created" in [event["type"] for event in renewal]
    for event in renewal:
        deliver(client, event)
    row.refresh_from_db()
    assert row.status == "past_due" and row.past_due_since is not None
    membership = Membership.objects.get(user=reader)
    assert membership.ends_at == row.past_due_since + dt.timedelta(days=5)
    assert access.is_member(reread(reader))  # the grace period
    client.force_login(reader)
    assert "could not be renewed: your card was declined" in client.get("/accounts/").content.decode()
    with time_machine.travel(membership.ends_at + dt.timedelta(minutes=1), tick=False):
        assert access.member_state(reread(reader)) is access.MemberState.LAPSED
    # Stripe gives up and cancels it: ended now.
    stripe.v1.subscriptions.cancel(row.subscription_id)
    for event in events_of(stripe_on, customer, since=started):
        deliver(client, event)
    row.refresh_from_db()
    assert row.status == "canceled"
    assert access.member_state(reread(reader)) is access.MemberState.LAPSED



def test_on_real_stripe_prices_the_portal_and_stripes_own_script(client, settings):
    """What differs on real Stripe (which the tests cannot reach): Stripe.js from js.stripe.com,
    allowed on the payment page alone, and one button to the customer portal."""
    from articles.payments import stripe_api

    settings.STRIPE_SECRET_KEY = "sk_live_example"
    assert settings.STRIPE_API_BASE == "https://api.stripe.com" and settings.NEWSREADER_STRIPE_PRICES
    assert stripe_api.js_url() == "https://js.stripe.com/v3/"
    policy = stripe_api.payment_page_policy()
    assert "script-src 'self' https://js.stripe.com;" in policy
    assert "frame-src 'self' https://js.stripe.com https://hooks.stripe.com" in policy
    assert "connect-src 'self' https://api.stripe.com" in policy
    reader = make_user()
    Subscription.objects.create(user=reader, customer_id="cus_real", subscription_id="sub_real", plan="yearly",
                                status="active", amount=8000, currency="eur",
                                current_period_end=timezone.now() + dt.timedelta(days=300))
    client.force_login(reader)
    page = client.get("/accounts/").content.decode()
    assert "Manage your subscription, card and invoices" in page
    assert "Cancel at the end of the period" not in page and "€80.00" in page


def test_the_admin_shows_each_members_subscription_and_its_events(editor, stripe_on):
    reader, customer = subscribed_reader(stripe_on)
    for event in events_of(stripe_on, customer):
        deliver(editor, event)
    row = Subscription.objects.get(user=reader)
    listing = editor.get("/admin/articles/subscription/").content.decode()
    assert reader.username in listing and "active" in listing
    page = editor.get(f"/admin/articles/subscription/{row.pk}/change/").content.decode()
    assert "customer.subscription.created" in page and "invoice.payment_succeeded" in page
