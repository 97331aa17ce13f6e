import unicodedata

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

TRIAL = "trial"  # the plan of a membership a sign-up starts


class Membership(models.Model):
    """A reader's paid or trial membership; access.py decides what "active" means."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    plan = models.CharField(max_length=50, default=TRIAL)
    starts_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField()
    reminded_at = models.DateTimeField(null=True, blank=True, help_text="When a trial member was mailed the plans.")

    class Meta:
        indexes = [models.Index(fields=["ends_at"], name="membership_ends_at")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="membership_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.user} ({self.plan} until {self.ends_at:%Y-%m-%d})"


def email_key(email: str) -> str:
    """An email address as we compare it: NFKC-normalised (a full-width domain is the same
    domain), stripped, and case-folded (one mailbox, however it is capitalised)."""
    return unicodedata.normalize("NFKC", email).strip().casefold()


class Trial(models.Model):
    """The trial membership an email address has had: one per address, ever (the row outlives the
    account, so deleting it and signing up again starts none). The unique key decides between
    simultaneous sign-ups (actions.memberships.start_trial)."""

    email = models.CharField(max_length=254, unique=True, help_text="As compared: see email_key.")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.email} at {self.started_at:%Y-%m-%d}"
