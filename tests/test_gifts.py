"""Gifts of membership: bought on the payment page, mailed (over SMTP, to a real test server) once
Stripe's webhook says the payment went through, and redeemed once by whoever signs in with the link."""

import re

import pytest

from articles import access
from articles.models import Gift, Membership, Subscription

from .factories import make_member, make_user
from .stripe_server import card_set_up, deliver, events_of

pytestmark = pytest.mark.django_db


def test_a_gift_is_bought_emailed_and_redeemed(client, stripe_on, smtp_server, django_capture_on_commit_callbacks):
    buyer = make_user(username="amara")
    client.force_login(buyer)
    page = client.get("/gifts/").content.decode()
    assert "3 months: €24.00" in page and "12 months: €96.00" in page
    assert client.post("/gifts/", {"email": "friend@example.org", "months": "6"})["Location"] == "/membership/payment/"
    assert "A gift of 6 months of membership for friend@example.org" in client.get("/membership/payment/").content.decode()
    customer = Subscription.objects.get(user=buyer).customer_id
    assert client.post("/membership/payment/", {"setup_intent": card_set_up(stripe_on, customer)})["Location"] == "/gifts/"
    gift = Gift.objects.get()
    assert (gift.months, gift.amount, gift.paid_at) == (6, 4800, None)  # paid on the webhook, not here
    assert smtp_server.messages() == []

    with django_capture_on_commit_callbacks(execute=True):
        for event in events_of(stripe_on, customer):
            assert deliver(client, event).status_code == 200
    gift.refresh_from_db()
    assert gift.paid_at is not None
    [mail] = smtp_server.messages()
    assert mail["To"] == "friend@example.org" and "6 months" in mail["Subject"]
    link = re.search(r"http://testserver(/gifts/\S+/)", mail.get_payload()).group(1)
    # Replayed, the event mails nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        for event in events_of(stripe_on, customer):
            deliver(client, event)
    assert len(smtp_server.messages()) == 1

    # The friend, a member already, opens it signed out, then signed in: it extends their membership.
    client.logout()
    assert "sign in</a> to redeem it" in client.get(link).content.decode()
    friend = make_member(email="friend@example.org", days=10)
    before = Membership.objects.get(user=friend).ends_at
    client.force_login(friend)
    assert "Start my 6 months" in client.get(link).content.decode()
    client.post(f"{link}redeem/")
    assert (Membership.objects.get(user=friend).ends_at - before).days == 182
    client.post(f"{link}redeem/")  # once only
    assert (Membership.objects.get(user=friend).ends_at - before).days == 182
    assert "This gift has been redeemed" in client.get(link).content.decode()

    # A reader without membership starts one with a gift, and the editors see the gifts.
    other = Gift.objects.create(token="another-gift", recipient_email="x@example.org", months=3, amount=2400,
                                currency="eur", paid_at=gift.paid_at)
    newcomer = make_user()
    client.force_login(newcomer)
    client.post(f"/gifts/{other.token}/redeem/")
    assert access.is_member(type(newcomer).objects.get(pk=newcomer.pk))
    client.force_login(make_user(is_staff=True, is_superuser=True))
    admin = client.get("/admin/articles/gift/").content.decode()
    assert "friend@example.org" in admin and "x@example.org" in admin and gift.token not in admin


def test_an_unpaid_or_unknown_gift_link_is_not_found(client, stripe_on):
    Gift.objects.create(token="unpaid", recipient_email="x@example.org", months=3, amount=2400, currency="eur")
    assert client.get("/gifts/unpaid/").status_code == 404
    assert client.get("/gifts/nothing-here/").status_code == 404
    assert client.post("/gifts/", {"email": "x@example.org", "months": "3"})["Location"].startswith("/accounts/login/")
