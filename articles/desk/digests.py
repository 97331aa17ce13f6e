"""Email digests: what is new in what a member follows, daily or weekly, in their time zone.

One digest per member per period, whoever sends it: before a digest is built, its `DigestSent`
row (member, period, first day of the period) is inserted and committed; the unique key makes a
second insert fail, so a second worker, or a run after one that crashed, sends nothing. A digest
whose mail fails is given back (its row deleted) for the next run; a process killed between the
insert and the mail leaves the period without a digest rather than risk two.

What a digest quotes of an article is what its reader may read (access.reading): the free text
only, for anyone without an active membership.
"""

import datetime as dt
import logging
import zoneinfo
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator

from .. import access
from ..models import Article, Desk, Digest, DigestSent, Follow, Subject
from .news import new_articles

log = logging.getLogger(__name__)

UNSUBSCRIBE_SALT = "newsreader.desk.unsubscribe"
PER_FOLLOW = 10  # articles of one follow in one mail
QUOTED_WORDS = 60
LENGTH = {Digest.DAILY: dt.timedelta(days=1), Digest.WEEKLY: dt.timedelta(days=7)}


def period_start(period: str, now: dt.datetime, time_zone: str) -> dt.date:
    """The first day of the member's current day or week (weeks start on Monday), where they are."""
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = dt.UTC
    day = now.astimezone(zone).date()
    return day if period == Digest.DAILY else day - dt.timedelta(days=day.weekday())


def unsubscribe_token(user) -> str:
    return signing.dumps({"user": user.pk}, salt=UNSUBSCRIBE_SALT, compress=True)


def user_id_of(token: str) -> int | None:
    """The member an unsubscribe link was made for; None for a token we did not sign."""
    try:
        return signing.loads(token, salt=UNSUBSCRIBE_SALT)["user"]
    except (signing.BadSignature, KeyError, TypeError):
        return None


def unsubscribe_url(user) -> str:
    return f"{settings.NEWSREADER_SITE_URL}/desk/unsubscribe/{unsubscribe_token(user)}/"


@dataclass
class Item:
    """One article in a mail: its title, outlet, link, and the words its reader may read."""

    title: str
    outlet: str
    url: str
    quote: str
    withheld: bool


def item(article: Article, user) -> Item:
    reading = access.reading(article, user)
    return Item(
        title=article.title,
        outlet=article.source.name if article.source else "",
        url=f"{settings.NEWSREADER_SITE_URL}{article.get_absolute_url()}",
        quote=Truncator(" ".join(reading.text.split())).words(QUOTED_WORDS),
        withheld=reading.withheld,
    )


def sections(user, follows: list[Follow], since: dict[int, dt.datetime]) -> list[tuple[Follow, list[Item]]]:
    """Each follow with its new articles, as the member may read them; follows with none left out."""
    found = new_articles(follows, user, since=since, per=PER_FOLLOW)
    return [(follow, [item(article, user) for article in found[follow.pk]]) for follow in follows if found.get(follow.pk)]


def mail(user, *, subject: str, template: str, context: dict) -> EmailMultiAlternatives:
    """A mail to a member with plain-text and HTML parts and one-click unsubscribe headers (RFC 8058)."""
    context = context | {"user": user, "unsubscribe_url": unsubscribe_url(user), "site_url": settings.NEWSREADER_SITE_URL}
    message = EmailMultiAlternatives(
        subject, render_to_string(f"{template}.txt", context), settings.DEFAULT_FROM_EMAIL, [user.email],
        headers={"List-Unsubscribe": f"<{context['unsubscribe_url']}>",
                 "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message


def claim(user, period: str, starts_on: dt.date) -> DigestSent | None:
    """The period's digest for this member, claimed now and committed; None when it is already
    claimed (sent, being sent, or lost to a crash)."""
    try:
        with transaction.atomic():
            return DigestSent.objects.create(user=user, period=period, starts_on=starts_on)
    except IntegrityError:
        return None


def send_digest(desk: Desk, period: str, now: dt.datetime) -> bool:
    """This member's digest of the current period, if they have not had it; whether one was sent."""
    user, starts_on = desk.user, period_start(period, now, desk.time_zone)
    previous = DigestSent.objects.filter(user=user, period=period, sent_at__isnull=False).order_by("-claimed_at").first()
    sent = claim(user, period, starts_on)
    if sent is None:
        return False
    window = previous.claimed_at if previous else now - LENGTH[period]
    follows = list(Follow.objects.filter(user=user).exclude(kind=Subject.THREAD))
    try:
        found = sections(user, follows, {follow.pk: max(window, follow.created_at) for follow in follows})
        count = sum(len(items) for _, items in found)
        if count:
            subject = f"Your {period} digest: {count} new article{'' if count == 1 else 's'}"
            mail(user, subject=subject, template="desk/digest_mail",
                 context={"sections": found, "period": period, "starts_on": starts_on}).send()
    except Exception:
        sent.delete()  # given back: the next run sends it
        raise
    DigestSent.objects.filter(pk=sent.pk).update(sent_at=timezone.now(), articles=count)
    return bool(count)


def send_digests(period: str, *, now: dt.datetime | None = None) -> int:
    """Send the current period's digest to every member who chose it and has not had it; how many
    were sent. A member whose mail fails is logged and left for the next run."""
    now = now or timezone.now()
    sent = 0
    for desk in Desk.objects.filter(digest=period).select_related("user").exclude(user__email="").order_by("pk"):
        try:
            sent += send_digest(desk, period, now)
        except Exception:
            log.exception("The %s digest to member %s failed", period, desk.user_id)
    return sent

