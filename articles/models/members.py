import datetime as dt

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone

TRIAL = "trial"  # the plan of a membership a sign-up starts
GRANT_DAYS = 30  # what an editor grants or extends by unless they say


class MembershipQuerySet(models.QuerySet):
    def grant(self, user, *, days: int, plan: str = "") -> "Membership":
        """Start a membership of `days` days, or extend the running one by as many.

        A lapsed membership starts afresh from now; a running one is extended from its end.
        """
        now = timezone.now()
        with transaction.atomic():
            membership = self.select_for_update().filter(user=user).first()
            if membership is None:
                return self.create(user=user, plan=plan or TRIAL, starts_at=now, ends_at=now + dt.timedelta(days=days))
            if membership.ends_at <= now:
                membership.starts_at = now
            membership.ends_at = max(membership.ends_at, now) + dt.timedelta(days=days)
            membership.plan = plan or membership.plan
            membership.save(update_fields=["starts_at", "ends_at", "plan"])
            return membership

    def end(self, user) -> "Membership | None":
        """End the membership now; a membership that has not started yet ends before it starts."""
        now = timezone.now()
        with transaction.atomic():
            membership = self.select_for_update().filter(user=user).first()
            if membership is not None and membership.ends_at > now:
                membership.starts_at = min(membership.starts_at, now)
                membership.ends_at = now
                membership.save(update_fields=["starts_at", "ends_at"])
            return membership


class Membership(models.Model):
    """A reader's paid or trial membership; access.py decides what "active" means."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    plan = models.CharField(max_length=50, default=TRIAL)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["ends_at"], name="membership_ends_at")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="membership_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.user} ({self.plan} until {self.ends_at:%Y-%m-%d})"
