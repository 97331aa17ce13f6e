"""A reader's whole journey through paying, in Chromium, against a local Stripe (localstripe,
whose mock of Stripe.js the payment page loads): sign up, subscribe with a test card (and one the
bank wants confirmed), read the whole text once Stripe's webhook has said it is paid, cancel, and
at the period's end — time moved — back to the preview."""

import datetime as dt
import json
import urllib.request

import pytest
import time_machine

from articles.models import Subscription

from ..stripe_server import GOOD_CARD, SCA_CARD, WEBHOOK_SECRET
from .axe import violations
from .helpers import PASSWORD, gated_article, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

WHOLE = "The members-only paragraph weighs what each side can concede."


@pytest.fixture
def webhooks(stripe_on, live_server, settings):
    """localstripe sends its events to the live server's webhook, signed with our secret."""
    body = json.dumps({"url": f"{live_server.url}/stripe/webhook/", "secret": WEBHOOK_SECRET}).encode()
    request = urllib.request.Request(f"{stripe_on}/_config/webhooks/newsreader", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    urllib.request.urlopen(request, timeout=10).close()
    settings.NEWSREADER_TRIAL_DAYS = 0  # no trial: only paying opens the text
    return stripe_on


def sign_up(page, username):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill(f"{username}@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Start my membership").click()


def pay(page, number):
    page.wait_for_url("**/membership/payment/")
    card = page.locator("#card-element")
    card.get_by_placeholder("number").fill(number)
    card.get_by_placeholder("exp_month").fill("12")
    card.get_by_placeholder("exp_year").fill("34")
    card.get_by_placeholder("cvc").fill("123")
    card.get_by_placeholder("postal_code").fill("75001")
    page.get_by_role("button", name="Pay").click()


def wait_for_webhook(page, words):
    """The account page, until Stripe's webhook has told us (localstripe sends it a second later)."""
    for _ in range(60):
        if words in page.locator("[data-membership-state]").inner_text():
            return
        page.wait_for_timeout(250)
        page.reload()
    raise AssertionError(f"no webhook said {words!r}: {page.locator('[data-membership-state]').inner_text()}")


def test_subscribe_read_cancel_and_back_to_the_preview(page, webhooks):
    article = gated_article()

    # The plans, chosen signed out: sign up first, then back to them.
    page.goto("/membership/")
    assert page.locator("form[data-plan]").count() == 2
    assert violations(page) == []
    page.get_by_role("button", name="Choose monthly").click()
    sign_up(page, "noor")
    page.wait_for_url("**/membership/")
    page.goto(article.get_absolute_url())
    assert WHOLE not in page.content()  # no trial here: not a member yet

    # Pay with a test card in Stripe's Elements; the webhook makes the membership paid.
    page.goto("/membership/")
    page.get_by_role("button", name="Choose monthly").click()
    pay(page, GOOD_CARD)
    page.wait_for_url("**/accounts/")
    assert "as soon as Stripe confirms the payment" in page.content()
    wait_for_webhook(page, "renews on")
    assert "€8.00" in page.locator("[data-subscription]").inner_text()
    assert violations(page) == []

    page.goto(article.get_absolute_url())
    assert WHOLE in page.locator("[data-article-body]").inner_text()
    assert page.locator("[data-paywall]").count() == 0

    # Cancel: they read until the period's end.
    page.goto("/accounts/")
    page.get_by_role("button", name="Cancel at the end of the period").click()
    page.wait_for_url("**/accounts/")
    assert "is cancelled: you read everything until" in page.locator("[data-subscription]").inner_text()
    page.goto(article.get_absolute_url())
    assert WHOLE in page.locator("[data-article-body]").inner_text()

    # The period ends: the preview and the gate again.
    period_end = Subscription.objects.get(user__username="noor").current_period_end
    with time_machine.travel(period_end + dt.timedelta(hours=1), tick=True):
        sign_in(page, "noor")  # a month on, the session has expired too
        page.goto(article.get_absolute_url())
        assert WHOLE not in page.content()
        assert "Your membership has ended" in page.locator("[data-paywall]").inner_text()
    assert page.console_errors == []


def test_a_card_the_bank_wants_confirmed(page, webhooks):
    page.goto("/accounts/signup/?next=/membership/")
    sign_up(page, "idris")
    page.wait_for_url("**/membership/")
    page.get_by_role("button", name="Choose yearly").click()
    pay(page, SCA_CARD)
    # localstripe's Stripe.js stands in for the bank's 3-D Secure page: once to set the card up,
    # and (localstripe asks again) once for the first payment, on our page after it.
    page.get_by_role("button", name="Complete authentication").click()
    page.get_by_text("Your bank asks you to confirm this payment.").wait_for()
    page.get_by_role("button", name="Complete authentication").click()
    page.wait_for_url("**/accounts/")
    wait_for_webhook(page, "renews on")
    assert "€80.00" in page.locator("[data-subscription]").inner_text()
