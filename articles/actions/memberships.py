"""Starting, extending and ending memberships: on sign-up, by an editor in the admin, and by
`manage.py membership`. What "active" means is access.py's to say."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from ..models import Membership
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
