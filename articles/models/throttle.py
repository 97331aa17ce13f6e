from django.db import models
from django.utils import timezone


class LoginFailure(models.Model):
    """One failed sign-in; articles/throttle.py counts recent ones to refuse brute force.

    Kept in the database (not the per-process cache) so every gunicorn worker sees them all.
    """

    username = models.CharField(max_length=150)
    address = models.GenericIPAddressField()
    failed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["address", "failed_at"], name="loginfailure_address_time")]

    def __str__(self):
        return f"{self.username} from {self.address} at {self.failed_at:%Y-%m-%d %H:%M:%S}"


class MailRequest(models.Model):
    """One request that had us mail an address someone typed (a password reset, a link to confirm an
    email address); articles/throttle.py counts recent ones per email address and per client."""

    email = models.CharField(max_length=254, help_text="As compared: see members.email_key.")
    address = models.GenericIPAddressField()
    requested_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["email", "requested_at"], name="mailrequest_email_time"),
            models.Index(fields=["address", "requested_at"], name="mailrequest_address_time"),
        ]

    def __str__(self):
        return f"{self.email} from {self.address} at {self.requested_at:%Y-%m-%d %H:%M:%S}"
