"""What paying changes: a reader's Stripe customer and subscription, the events Stripe sends,
and gifts. Each webhook event is stored by its id and applied once; whatever it says, the
subscription's current state is fetched from Stripe and the membership follows it
(memberships.follow_subscription), so events may come in any order. See docs/members.md."""

import datetime as dt
import functools
import secrets

from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .. import mail
from ..models import Gift, StripeEvent, Subscription
from ..payments import stripe_api
from ..payments.plans import GIFT_DAYS, gift_amount, plan_for_interval
from ..payments.stripe_api import PaymentError
from . import memberships


def customer_of(user) -> Subscription:
    """The reader's Stripe customer, made the first time they pay."""
    row = Subscription.objects.filter(user=user).first()
    if row is None:
        row, _ = Subscription.objects.get_or_create(
            user=user, defaults={"customer_id": stripe_api.create_customer(email=user.email, user_id=user.pk)})
    return row


def subscribed(row: Subscription | None) -> bool:
    """A subscription that is running (paid, or past due while Stripe retries): not one to start again."""
    return row is not None and row.status in {"active", "trialing", "past_due"}


def subscribe(user, *, plan: str, setup_intent_id: str) -> str:
    """Start the reader's subscription on the card they just set up. Returns the client secret of
    a first payment that waits on their authentication, else "". The membership is not changed
    here: it starts when Stripe's webhook says the subscription is paid."""
    row = customer_of(user)
    if subscribed(row):
        raise PaymentError("You already have a subscription: change its plan on your account page.")
    stripe_api.save_card(row.customer_id, setup_intent_id)
    subscription = stripe_api.subscribe(row.customer_id, plan, user_id=user.pk)
    Subscription.objects.filter(pk=row.pk).update(subscription_id=subscription["id"], plan=plan, cancel_at_period_end=False)
    return stripe_api.action_secret(subscription)


def update_card(user, *, setup_intent_id: str) -> None:
    stripe_api.save_card(customer_of(user).customer_id, setup_intent_id)


def _running(user) -> Subscription:
    row = Subscription.objects.filter(user=user).first()
    if not subscribed(row):
        raise PaymentError("You have no subscription to change.")
    return row


def cancel(user) -> Subscription:
    """Cancel at the end of the period paid for: they read until then."""
    row = _running(user)
    return follow(stripe_api.set_cancel_at_period_end(row.subscription_id, True))


def resume(user) -> Subscription:
    row = _running(user)
    return follow(stripe_api.set_cancel_at_period_end(row.subscription_id, False))


def change_plan(user, *, plan: str) -> Subscription:
    row = _running(user)
    return follow(stripe_api.change_plan(row.subscription_id, plan))


def follow(subscription: dict) -> Subscription | None:
    """Store what Stripe says of the subscription now and set the membership from it; nothing for
    a subscription that is not the customer's current one (an older one's late event)."""
    terms = stripe_api.terms(subscription)
    with transaction.atomic():
        row = Subscription.objects.select_for_update().filter(customer_id=subscription["customer"]).first()
        if row is None or row.subscription_id not in ("", subscription["id"]):
            return None
        past_due = terms["status"] == "past_due"
        row.subscription_id = subscription["id"]
        row.status = terms["status"]
        row.plan = plan_for_interval(terms["interval"]) or row.plan
        row.current_period_start = terms["current_period_start"]
        row.current_period_end = terms["current_period_end"]
        row.cancel_at_period_end = terms["cancel_at_period_end"]
        row.past_due_since = (row.past_due_since or timezone.now()) if past_due else None
        row.amount, row.currency = terms["amount"], terms["currency"]
        row.save()
        memberships.follow_subscription(row.user, plan=row.plan, status=row.status,
                                        period_end=row.current_period_end, past_due_since=row.past_due_since)
    return row


def apply_event(event: dict, *, site_url: str) -> bool:
    """Apply one verified webhook event, once: False when it had been applied already."""
    obj = event["data"]["object"]
    with transaction.atomic():
        stored, created = StripeEvent.objects.get_or_create(id=event["id"], defaults={
            "type": event["type"], "payload": event,
            "created": dt.datetime.fromtimestamp(int(event["created"]), dt.UTC)})
        if not created:
            return False
        subscription_id = obj["id"] if event["type"].startswith("customer.subscription.") else obj.get("subscription")
        if subscription_id:
            stored.subscription = follow(stripe_api.subscription(subscription_id))
            stored.save(update_fields=["subscription"])
        if event["type"] == "payment_intent.succeeded" and (obj.get("metadata") or {}).get("gift"):
            gift_paid(obj, site_url=site_url)
    return True


# Gifts ----------------------------------------------------------------------------------------

def buy_gift(user, *, email: str, months: int, currency: str, setup_intent_id: str) -> tuple[Gift, str]:
    """Charge the buyer's new card for the gift; it is mailed once Stripe's webhook says it is paid.
    Returns the gift and the client secret of a payment that waits on authentication (else "")."""
    row = customer_of(user)
    stripe_api.save_card(row.customer_id, setup_intent_id)
    gift = Gift.objects.create(token=secrets.token_urlsafe(24), buyer=user, recipient_email=email, months=months,
                               amount=gift_amount(months), currency=currency)
    intent = stripe_api.pay_once(row.customer_id, amount=gift.amount, currency=currency, metadata={"gift": str(gift.pk)})
    Gift.objects.filter(pk=gift.pk).update(payment_intent_id=intent["id"])
    return gift, intent["client_secret"] if intent["status"] == "requires_action" else ""


def gift_paid(intent: dict, *, site_url: str) -> None:
    gift = Gift.objects.select_for_update().filter(pk=intent["metadata"]["gift"], payment_intent_id=intent["id"], paid_at=None).first()
    if gift is None:
        return
    gift.paid_at = timezone.now()
    gift.save(update_fields=["paid_at"])
    link = f"{site_url.rstrip('/')}/gifts/{gift.token}/"
    transaction.on_commit(lambda: mail.mail_sender.submit(functools.partial(send_gift, gift, link)))


def send_gift(gift: Gift, link: str) -> None:
    context = {"gift": gift, "link": link, "buyer": gift.buyer}
    send_mail(f"A gift: {gift.months} months of newsreader", render_to_string("membership/gift_mail.txt", context),
              None, [gift.recipient_email])


def redeem_gift(gift: Gift, user) -> bool:
    """Start or extend the reader's membership by the gift's months, once (False: already redeemed or unpaid)."""
    with transaction.atomic():
        claimed = Gift.objects.filter(pk=gift.pk, paid_at__isnull=False, redeemed_at=None).update(
            redeemed_by=user, redeemed_at=timezone.now())
        if claimed:
            memberships.grant(user, days=GIFT_DAYS[gift.months], plan="gift")
    return bool(claimed)
