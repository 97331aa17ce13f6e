"""Alerts: a followed story's or saved search's new articles, mailed as they come, batched: at most
one mail every NEWSREADER_ALERT_MINUTES per member, holding every alerting follow's news.

Workers share the work with `SELECT … FOR UPDATE SKIP LOCKED` on the members' desks: a desk
another worker is mailing is passed over, never mailed twice at once."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Desk, Follow
from .digests import mail, sections


def send_alerts(*, now: dt.datetime | None = None) -> int:
    """Mail each member whose alerting follows have new articles and who had no alert within the
    window; how many were mailed."""
    now = now or timezone.now()
    quiet = Q(alerted_at__isnull=True) | Q(alerted_at__lte=now - dt.timedelta(minutes=settings.NEWSREADER_ALERT_MINUTES))
    waiting = Desk.objects.filter(quiet, user__follows__alert=True).exclude(user__email="").values_list("pk", flat=True).distinct()
    mailed = 0
    for desk_id in list(waiting):
        with transaction.atomic():
            desk = Desk.objects.select_for_update(skip_locked=True, of=("self",)).select_related("user").filter(quiet, pk=desk_id).first()
            if desk is None:  # another worker has it, or it was mailed since
                continue
            follows = list(Follow.objects.filter(user=desk.user, alert=True))
            found = sections(desk.user, follows, {follow.pk: follow.alerted_up_to or follow.created_at for follow in follows})
            if not found:
                continue
            count = sum(len(items) for _, items in found)
            mail(desk.user, subject=f"New on newsreader: {count} article{'' if count == 1 else 's'} you follow",
                 template="desk/alert_mail", context={"sections": found}).send()
            Follow.objects.filter(pk__in=[follow.pk for follow in follows]).update(alerted_up_to=now)
            Desk.objects.filter(pk=desk.pk).update(alerted_at=now)
            mailed += 1
    return mailed
