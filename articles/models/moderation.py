from django.conf import settings
from django.db import models
from django.utils import timezone


class CommentBan(models.Model):
    """A member a moderator has barred from commenting, and why."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comment_ban")
    reason = models.TextField()
    banned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"{self.user} banned: {self.reason}"
