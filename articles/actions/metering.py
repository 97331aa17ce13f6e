"""The metered paywall's count: a members' article a signed-in non-member read in full this month
(access.py decides whether they may; readers.metered_reads reads the count)."""

from ..models import MeteredRead
from ..readers import metering_month


def record_read(user, article) -> None:
    """Count the article once a month, whichever process or request reads it first."""
    MeteredRead.objects.bulk_create([MeteredRead(user=user, article=article, month=metering_month())], ignore_conflicts=True)
