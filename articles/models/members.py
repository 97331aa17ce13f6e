
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

    class Meta:
        indexes = [models.Index(fields=["ends_at"], name="membership_ends_at")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="membership_ends_after_start"),
        ]

    def __str__(self):
        return f"{self.user} ({self.plan} until {self.ends_at:%Y-%m-%d})"
