"""Paying for membership on Stripe: each reader's subscription as Stripe last told us, the events
Stripe sent (each applied once), gifts of membership, and the metered paywall's reads.

What a subscription's state means for reading is the membership's period (models/members.py),
which actions/memberships.py sets from it; see docs/members.md."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class Subscription(models.Model):
    """A reader's Stripe customer and subscription, as the last fetch from Stripe said."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription")
    customer_id = models.CharField(max_length=255, unique=True)
    subscription_id = models.CharField(max_length=255, blank=True, db_index=True)
    plan = models.CharField(max_length=20, blank=True, help_text="monthly or yearly")
    status = models.CharField(max_length=30, blank=True, help_text="Stripe's: active, past_due, canceled, …")
    current_period_start = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    past_due_since = models.DateTimeField(null=True, blank=True, help_text="When we first saw a renewal fail.")
    amount = models.PositiveIntegerField(default=0, help_text="Each renewal, in the currency's smallest unit.")
    currency = models.CharField(max_length=3, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.user} ({self.plan or 'no plan'}, {self.status or 'no subscription'})"


class StripeEvent(models.Model):
    """One event Stripe sent, stored by its id: an event delivered again is not applied again."""

    id = models.CharField(max_length=255, primary_key=True)
    type = models.CharField(max_length=100)
    created = models.DateTimeField(help_text="When Stripe made it.")
    received_at = models.DateTimeField(default=timezone.now)
    subscription = models.ForeignKey(Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="events")
    payload = models.JSONField()

    class Meta:
        indexes = [models.Index(fields=["subscription", "-created"], name="stripe_event_subscription")]

    def __str__(self):
        return f"{self.type} {self.id}"


class Gift(models.Model):
    """Months of membership bought for an email address; its link starts or extends the
    membership of whoever signs in with it (once)."""

    MONTHS = (3, 6, 12)

    token = models.CharField(max_length=64, unique=True, help_text="The secret in its link.")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="gifts_bought")
    recipient_email = models.EmailField()
    months = models.PositiveSmallIntegerField(choices=[(m, f"{m} months") for m in MONTHS])
    amount = models.PositiveIntegerField(help_text="Paid, in the currency's smallest unit.")
    currency = models.CharField(max_length=3)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    paid_at = models.DateTimeField(null=True, blank=True)
    redeemed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="gifts_redeemed")
    redeemed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"{self.months} months for {self.recipient_email}"


class MeteredRead(models.Model):
    """A members' article a signed-in non-member read in full under the metered paywall, in a month."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    article = models.ForeignKey("articles.Article", on_delete=models.CASCADE, related_name="+")
    month = models.DateField(help_text="The first day of the month it counts in.")
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "month", "article"], name="metered_read_once_a_month")]

    def __str__(self):
        return f"{self.user} read {self.article_id} in {self.month:%Y-%m}"
