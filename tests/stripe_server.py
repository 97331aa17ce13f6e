"""A local Stripe for the tests: localstripe (a fake but stateful Stripe server, with a mock of
Stripe.js) started as a process of the test session, and the steps tests share with it:
a card set up the way Elements set it up, events delivered to our webhook signed like Stripe's."""

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time

import pytest
import stripe

SECRET_KEY = "sk_test_newsreader"
PUBLISHABLE_KEY = "pk_test_newsreader"
WEBHOOK_SECRET = "whsec_newsreader_test"
GOOD_CARD = "4242424242424242"
DECLINED_ON_CHARGE = "4000000000000341"  # attaches, then every charge fails: a renewal that fails
SCA_CARD = "4000002500003155"  # the bank asks for 3-D Secure when it is set up


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe(tmp_path_factory):
    """The server's base URL; it runs for the whole session (no network: it answers on 127.0.0.1)."""
    port = free_port()
    folder = tmp_path_factory.mktemp("localstripe")
    with open(folder / "log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "localstripe", "--port", str(port), "--from-scratch"],
                                   cwd=folder, stdout=log, stderr=subprocess.STDOUT, preexec_fn=lambda: os.nice(5))
    base = f"http://localhost:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("localhost", port), timeout=1).close()
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail(f"localstripe did not start: {(folder / 'log').read_text()}")
            time.sleep(0.1)
    yield base
    process.terminate()
    process.wait(10)


@pytest.fixture
def stripe_on(settings, localstripe):
    """Payments configured against the local Stripe, with Plans and our own self-service pages
    (localstripe implements neither Prices nor the customer portal)."""
    from articles.payments import stripe_api

    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_API_BASE = localstripe
    settings.NEWSREADER_STRIPE_PRICES = False
    stripe_api._stripe_id.cache_clear()
    return localstripe


def api(localstripe) -> stripe.StripeClient:
    """The test's own client, for what a reader's browser or Stripe itself does."""
    return stripe.StripeClient(SECRET_KEY, base_addresses={"api": localstripe})


def card_set_up(localstripe, customer_id: str, number: str = GOOD_CARD) -> str:
    """A SetupIntent confirmed with a card, as Stripe.js confirms it on the payment page; its id."""
    client = api(localstripe)
    intent = client.v1.setup_intents.create(params={"customer": customer_id})
    client.v1.setup_intents.confirm(intent.id, params={"payment_method_data": {
        "type": "card", "card": {"number": number, "exp_month": "12", "exp_year": "2034", "cvc": "123"}}})
    return intent.id


def signed(payload: bytes, secret: str = WEBHOOK_SECRET, at: int | None = None) -> str:
    """A Stripe-Signature header for the payload, as Stripe signs it."""
    at = at or int(time.time())
    digest = hmac.new(secret.encode(), f"{at}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={at},v1={digest}"


def deliver(client, event: dict, *, secret: str = WEBHOOK_SECRET, signature: str | None = None):
    """POST one event to our webhook as Stripe does."""
    payload = json.dumps(event).encode()
    headers = {} if signature == "" else {"Stripe-Signature": signature or signed(payload, secret)}
    return client.post("/stripe/webhook/", payload, content_type="application/json", headers=headers)


def events_of(localstripe, customer_id: str, *, since: int = 0) -> list[dict]:
    """The events Stripe made about one customer (their subscription, invoices, payments), oldest first."""
    found = api(localstripe).v1.events.list(params={"limit": 100, "created": {"gte": since}}).auto_paging_iter()
    mine = []
    for event in (event.to_dict() for event in found):
        obj = event["data"]["object"]
        if event["created"] >= since and customer_id in (obj.get("customer"), obj.get("id")):
            mine.append(event)
    return sorted(mine, key=lambda event: (event["created"], event["id"]))
