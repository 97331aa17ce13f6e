"""The one interface to Stripe's API, through its official library (`stripe`), pointed at
STRIPE_API_BASE. Everything returns plain dicts, the same from real Stripe and from localstripe.

NEWSREADER_STRIPE_PRICES chooses between Stripe's two ways of saying what a subscription costs:
Prices, with the customer portal for self-service (real Stripe); or Plans, with our own
self-service pages (localstripe implements neither Prices nor the portal). Nothing else differs:
cards are entered with Stripe Elements and a SetupIntent either way.
"""

import datetime as dt
import functools
import json
from urllib.parse import urlsplit

import stripe
from django.conf import settings

from .plans import Plan, plans

PRODUCT_ID = "newsreader-membership"
PORTAL = "portal"
OWN_PAGES = "own pages"


class PaymentError(Exception):
    """Stripe refused (a declined card, a subscription that cannot change): the reader is shown why."""


def enabled() -> bool:
    """Payments are configured: without a secret key every page about paying is hidden."""
    return bool(settings.STRIPE_SECRET_KEY)


def _client() -> stripe.StripeClient:
    return _client_for(settings.STRIPE_SECRET_KEY, settings.STRIPE_API_BASE)


@functools.cache
def _client_for(key: str, base: str) -> stripe.StripeClient:
    return stripe.StripeClient(key, base_addresses={"api": base}, max_network_retries=2)


def _call(method, *args, **params) -> dict:
    try:
        return method(*args, params=params or None).to_dict()
    except stripe.CardError as error:
        raise PaymentError(error.user_message or "Your card was declined.") from error
    except stripe.InvalidRequestError as error:
        raise PaymentError(error.user_message or str(error)) from error


def js_url() -> str:
    """Stripe.js: from Stripe itself, or the mock a local Stripe server serves beside its API."""
    base = settings.STRIPE_API_BASE.rstrip("/")
    if urlsplit(base).hostname == "api.stripe.com":
        return "https://js.stripe.com/v3/"
    return f"{base}/js.stripe.com/v3/"


def payment_page_policy() -> str:
    """The Content-Security-Policy of the payment page, the one page that loads Stripe.js: the
    site's own, with Stripe's script, frames and API added."""
    js = "{0.scheme}://{0.netloc}".format(urlsplit(js_url()))
    api = "{0.scheme}://{0.netloc}".format(urlsplit(settings.STRIPE_API_BASE))
    frames = f"{js} https://hooks.stripe.com"
    extra = {"script-src": js, "frame-src": frames, "connect-src": api}
    directives = [d.strip() for d in settings.NEWSREADER_CONTENT_SECURITY_POLICY.split(";") if d.strip()]
    named = {d.split()[0]: d for d in directives}
    for name, sources in extra.items():
        named[name] = f"{named[name]} {sources}" if name in named else f"{name} 'self' {sources}"
    return "; ".join(named.values())


def self_service() -> str:
    """How members manage their subscription: Stripe's customer portal, or our own pages."""
    return PORTAL if settings.NEWSREADER_STRIPE_PRICES else OWN_PAGES


# Plans or prices -----------------------------------------------------------------------------

def _ensure_product():
    try:
        _call(_client().v1.products.retrieve, PRODUCT_ID)
    except PaymentError:
        _call(_client().v1.products.create, id=PRODUCT_ID, name="Membership")


@functools.cache
def _stripe_id(plan: Plan, base: str, prices: bool) -> str:
    """The Plan's id, or the Price's id found by its lookup key; made the first time it is asked for."""
    _ensure_product()
    if prices:
        found = _call(_client().v1.prices.list, lookup_keys=[plan.key], limit=1)["data"]
        if found:
            return found[0]["id"]
        price = _call(_client().v1.prices.create, product=PRODUCT_ID, unit_amount=plan.amount, currency=plan.currency,
                      recurring={"interval": plan.interval}, lookup_key=plan.key)
        return price["id"]
    try:
        return _call(_client().v1.plans.retrieve, plan.key)["id"]
    except PaymentError:
        return _call(_client().v1.plans.create, id=plan.key, product=PRODUCT_ID, amount=plan.amount,
                     currency=plan.currency, interval=plan.interval)["id"]


def _item(plan_name: str) -> dict:
    plan = plans()[plan_name]
    prices = settings.NEWSREADER_STRIPE_PRICES
    return {("price" if prices else "plan"): _stripe_id(plan, settings.STRIPE_API_BASE, prices)}


# Customers and cards ------------------------------------------------------------------------

def create_customer(*, email: str, user_id: int) -> str:
    return _call(_client().v1.customers.create, email=email, metadata={"user_id": str(user_id)})["id"]


def setup_intent(customer_id: str) -> dict:
    """A SetupIntent the payment page's Elements confirm with the card the reader types."""
    return _call(_client().v1.setup_intents.create, customer=customer_id, usage="off_session")


def save_card(customer_id: str, setup_intent_id: str) -> str:
    """The card of a confirmed SetupIntent becomes the customer's default; returns its id."""
    intent = _call(_client().v1.setup_intents.retrieve, setup_intent_id)
    if intent.get("customer") != customer_id or intent.get("status") != "succeeded" or not intent.get("payment_method"):
        raise PaymentError("Your card could not be set up. Please try again.")
    method = intent["payment_method"]
    if _call(_client().v1.payment_methods.retrieve, method).get("customer") != customer_id:
        _call(_client().v1.payment_methods.attach, method, customer=customer_id)
    _call(_client().v1.customers.update, customer_id, invoice_settings={"default_payment_method": method})
    return method


def card(customer_id: str) -> dict | None:
    """The customer's default card: brand, last four digits, expiry."""
    customer = _call(_client().v1.customers.retrieve, customer_id)
    method = (customer.get("invoice_settings") or {}).get("default_payment_method")
    if not method:
        return None
    return _call(_client().v1.payment_methods.retrieve, method).get("card")


# Subscriptions ------------------------------------------------------------------------------

def subscribe(customer_id: str, plan_name: str, *, user_id: int) -> dict:
    """Start a subscription on the customer's default card. Its first payment may need the
    reader's authentication (SCA): then `action_secret(subscription)` is for Stripe.js."""
    return _call(_client().v1.subscriptions.create, customer=customer_id, items=[_item(plan_name)],
                 metadata={"user_id": str(user_id)}, expand=["latest_invoice.payment_intent"])


def action_secret(subscription: dict) -> str:
    """The client secret of a first payment that waits on the reader (3-D Secure), else ""."""
    intent = (subscription.get("latest_invoice") or {}).get("payment_intent") or {}
    return intent.get("client_secret", "") if intent.get("status") == "requires_action" else ""


def subscription(subscription_id: str) -> dict:
    """The subscription as Stripe has it now: what every webhook is applied from."""
    return _call(_client().v1.subscriptions.retrieve, subscription_id)


def set_cancel_at_period_end(subscription_id: str, cancel: bool) -> dict:
    return _call(_client().v1.subscriptions.update, subscription_id, cancel_at_period_end=cancel)


def change_plan(subscription_id: str, plan_name: str) -> dict:
    current = subscription(subscription_id)
    item = current["items"]["data"][0]
    return _call(_client().v1.subscriptions.update, subscription_id, items=[{"id": item["id"], **_item(plan_name)}])


def invoices(customer_id: str) -> list[dict]:
    return _call(_client().v1.invoices.list, customer=customer_id, limit=24)["data"]


def portal_url(customer_id: str, return_url: str) -> str:
    """Stripe's customer portal for this customer (real Stripe only)."""
    return _call(_client().v1.billing_portal.sessions.create, customer=customer_id, return_url=return_url)["url"]


def pay_once(customer_id: str, *, amount: int, currency: str, metadata: dict) -> dict:
    """Charge the customer's default card once (a gift); may need authentication like subscribe."""
    method = (_call(_client().v1.customers.retrieve, customer_id).get("invoice_settings") or {}).get("default_payment_method")
    return _call(_client().v1.payment_intents.create, amount=amount, currency=currency, customer=customer_id,
                 payment_method=method, confirm=True, off_session=True, metadata=metadata)


# What a subscription says -------------------------------------------------------------------

def moment(seconds) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(int(seconds), dt.UTC) if seconds else None


def terms(subscription: dict) -> dict:
    """A subscription's state in our words: status, plan interval, period, amount, cancelling."""
    item = subscription["items"]["data"][0]
    price = item.get("price") or item.get("plan") or {}
    interval = (price.get("recurring") or {}).get("interval") or price.get("interval", "")
    # Since API version 2025-03-31 the period is on the item; before, and in localstripe, on the subscription.
    return {
        "status": subscription["status"],
        "interval": interval,
        "amount": price.get("unit_amount") or price.get("amount") or 0,
        "currency": price.get("currency", ""),
        "current_period_start": moment(subscription.get("current_period_start") or item.get("current_period_start")),
        "current_period_end": moment(subscription.get("current_period_end") or item.get("current_period_end")),
        "cancel_at_period_end": bool(subscription.get("cancel_at_period_end")),
    }


def verified_event(payload: bytes, signature: str) -> dict:
    """The event Stripe signed, or ValueError for a missing, wrong or stale signature."""
    if not signature or not settings.STRIPE_WEBHOOK_SECRET:
        raise ValueError("no signature")
    try:
        stripe.WebhookSignature.verify_header(payload.decode(), signature, settings.STRIPE_WEBHOOK_SECRET,
                                              stripe.Webhook.DEFAULT_TOLERANCE)
    except (stripe.SignatureVerificationError, UnicodeDecodeError) as error:
        raise ValueError(str(error)) from error
    return json.loads(payload)
