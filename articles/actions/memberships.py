"""Starting, extending and ending memberships: on sign-up, by an editor in the admin, and by
`manage.py membership`. What "active" means is access.py's to say."""

import datetime as dt

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..models import Membership, Trial, email_key
from ..models.members import TRIAL

GRANT_DAYS = 30  # what an editor grants or extends by unless they say


def grant(user, *, days: int, plan: str = "") -> Membership:
    """Start a membership of `days` days, or extend the running one by as many.

    A lapsed membership starts afresh from now; a running one is extended from its end.
    """
    now = timezone.now()
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(user=user).first()
        if membership is None:
            return Membership.objects.create(user=user, plan=plan or TRIAL, starts_at=now, ends_at=now + dt.timedelta(days=days))
        if membership.ends_at <= now:
            membership.starts_at = now
        membership.ends_at = max(membership.ends_at, now) + dt.timedelta(days=days)
        membership.plan = plan or membership.plan
        membership.save(update_fields=["starts_at", "ends_at", "plan"])
        return membership


def start_trial(user) -> bool:
    """Start the user's trial membership, unless their email address has had one (then False).

    The address's row is claimed first, under its unique key: of two simultaneous sign-ups with
    one address, only one starts a trial."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                Trial.objects.create(email=email_key(user.email), user=user)
        except IntegrityError:
            return False
        grant(user, days=settings.NEWSREADER_TRIAL_DAYS, plan=TRIAL)
    return True


def end(user) -> Membership | None:
    """End the membership now; a membership that has not started yet ends before it starts."""
    now = timezone.now()
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(user=user).first()
        if membership is not None and membership.ends_at > now:
            membership.starts_at = min(membership.starts_at, now)
            membership.ends_at = now
            membership.save(update_fields=["starts_at", "ends_at"])
        return membership


# Paid membership follows the subscription's state on Stripe (actions/billing.py reads it).
PAID = {"active", "trialing"}
ENDED = {"canceled", "unpaid", "incomplete_expired"}


def follow_subscription(user, *, plan: str, status: str, period_end, past_due_since=None) -> Membership | None:
    """Set the membership's period from the subscription's: paid through the period's end at least
    while it is active (also when it cancels at that end); past due, until the grace period after the failed
    renewal runs out; ended (cancelled, unpaid), now. An incomplete one (first payment not made)
    changes nothing."""
    if status in ENDED:
        return end(user)
    if status in PAID:
        until = period_end
    elif status == "past_due":
        until = past_due_since + dt.timedelta(days=settings.NEWSREADER_GRACE_DAYS)
    else:
        return None
    now = timezone.now()
    with transaction.atomic():
        membership = Membership.objects.select_for_update().filter(user=user).first()
        if membership is None:
            return Membership.objects.create(user=user, plan=plan, starts_at=now, ends_at=max(until, now))
        if membership.ends_at <= now:
            membership.starts_at = now
        # A paid period never shortens what the member has (a gift, an editor's grant, the rest of
        # a trial); a failed renewal or an ended subscription does.
        kept = membership.ends_at if status in PAID else membership.starts_at
        membership.ends_at = max(until, kept, membership.starts_at)
        membership.plan = plan
        membership.save(update_fields=["starts_at", "ends_at", "plan"])
        return membership


def trials_to_remind(now=None):
    """Trial memberships ending within NEWSREADER_TRIAL_REMINDER_DAYS whose member has not been offered the plans."""
    now = now or timezone.now()
    soon = now + dt.timedelta(days=settings.NEWSREADER_TRIAL_REMINDER_DAYS)
    return Membership.objects.filter(plan=TRIAL, ends_at__gt=now, ends_at__lte=soon, reminded_at__isnull=True)


def mark_reminded(membership: Membership) -> bool:
    """Claim the reminder of one trial (False: another worker has): the mail goes out once."""
    return bool(Membership.objects.filter(pk=membership.pk, reminded_at__isnull=True).update(reminded_at=timezone.now()))
