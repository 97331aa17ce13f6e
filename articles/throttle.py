"""Sign-in throttling against brute force, in the manner of Ghost's.

Failed sign-ins are counted in the database, so every gunicorn worker sees the same count:
per username + address (a guessed password for one account) and per address across usernames
(one machine trying many accounts). Over either limit within the window, a sign-in attempt is
refused with 429 before the form runs, so a throttled attempt costs one indexed query and never
a password hash. An attempt let through is counted as failed before its password is checked,
under a lock per address, so simultaneous attempts on any number of nodes cannot all slip under
the limit. A successful sign-in clears that username's failures from that address.

Both are counted by the key that picks what they stand for, so that no other spelling gets fresh
tries: a username as sign-in looks it up (`login_name`), an address by the network one machine
holds (`client_address`).

Mail that anyone may ask for to any address they type (a password reset, a link to confirm an
email address) is limited the same way, per email address and per client address (`mail_allowed`),
so that no one can make us flood an inbox.
"""

import datetime as dt
import functools
import ipaddress

from django.conf import settings
from django.contrib.auth.forms import UsernameField
from django.db import connection, transaction
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from .models import LoginFailure, MailRequest, email_key

USERNAME_LENGTH = 150  # auth.User's username, as the sign-in form takes it
_COUNTED = "_sign_in_counted"  # on a request whose attempt is already counted as failed


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the one our own reverse proxy appended; for IPv6, its
    /64 network (one machine commonly holds all of one), and an IPv4 address mapped into IPv6 as
    itself."""
    address = request.META.get("REMOTE_ADDR") or "0.0.0.0"
    if settings.NEWSREADER_BEHIND_PROXY:
        address = request.META.get("HTTP_X_FORWARDED_FOR", "").rsplit(",", 1)[-1].strip() or address
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return "0.0.0.0"
    if parsed.version == 6 and parsed.ipv4_mapped:
        return str(parsed.ipv4_mapped)
    if parsed.version == 6:
        return str(ipaddress.IPv6Network((parsed, 64), strict=False).network_address)
    return str(parsed)


def login_name(username: str) -> str:
    """A username as sign-in looks it up: Django's sign-in form strips it and NFKC-normalises it
    (so " alice" and a full-width "ａｌｉｃｅ" both sign in as alice), and the lookup is then exact.
    A name too long to be one is refused by the form before any lookup; it is only cut to fit."""
    return UsernameField(max_length=USERNAME_LENGTH).to_python(username)[:USERNAME_LENGTH]


def _window_start():
    return timezone.now() - dt.timedelta(minutes=settings.NEWSREADER_LOGIN_WINDOW_MINUTES)


def is_throttled(address: str, username: str) -> bool:
    counts = LoginFailure.objects.filter(address=address, failed_at__gte=_window_start()).aggregate(
        per_address=Count("id"), per_user=Count("id", filter=Q(username=username))
    )
    return (
        counts["per_user"] >= settings.NEWSREADER_LOGIN_FAILURES_PER_USER
        or counts["per_address"] >= settings.NEWSREADER_LOGIN_FAILURES_PER_ADDRESS
    )


def record_failure(sender, credentials, request=None, **kwargs):
    """`user_login_failed` receiver: count the failure, and forget this address's expired ones;
    an attempt `throttled` counted before it ran is not counted twice."""
    if request is None or getattr(request, _COUNTED, False):
        return
    address = client_address(request)
    LoginFailure.objects.filter(address=address, failed_at__lt=_window_start()).delete()
    LoginFailure.objects.create(username=login_name(credentials.get("username") or ""), address=address)


def _count_attempt(request, address: str, username: str) -> bool:
    """Count a sign-in attempt as failed before its password is checked (a success clears it), under
    a lock per address, so that attempts sent at once, to any process or node, cannot all pass
    under the limit: False when the limit is reached. Only a form with both fields checks one."""
    if not (request.POST.get("username") and request.POST.get("password")):
        return True
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"sign-in-from:{address}"])
        if is_throttled(address, username):
            return False
        LoginFailure.objects.filter(address=address, failed_at__lt=_window_start()).delete()
        LoginFailure.objects.create(username=username, address=address)
    setattr(request, _COUNTED, True)
    return True


def clear_failures(sender, request, user, **kwargs):
    """`user_logged_in` receiver: a successful sign-in resets the count for this account here."""
    if request is not None:
        LoginFailure.objects.filter(address=client_address(request), username=login_name(user.get_username())).delete()


def _let_through(request) -> bool:
    address, username = client_address(request), login_name(request.POST.get("username", ""))
    return not is_throttled(address, username) and _count_attempt(request, address, username)


def throttled(view):
    """Refuse a sign-in POST with 429 while its username or address is over the limit."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and not _let_through(request):
            context = {"minutes": settings.NEWSREADER_LOGIN_WINDOW_MINUTES}
            response = render(request, "registration/throttled.html", context, status=429)
            response["Retry-After"] = str(settings.NEWSREADER_LOGIN_WINDOW_MINUTES * 60)
            return response
        return view(request, *args, **kwargs)

    return wrapper


def mail_allowed(request, email: str) -> bool:
    """Count a request to mail `email`, unless that email address or this client has had its
    allowance within the window. Locked per email and client address, so simultaneous requests
    cannot all slip under the limit."""
    key, address = email_key(email), client_address(request)
    since = timezone.now() - dt.timedelta(minutes=settings.NEWSREADER_MAIL_WINDOW_MINUTES)
    with transaction.atomic():
        with connection.cursor() as cursor:
            for name in sorted({f"mail-to:{key}", f"mail-from:{address}"}):  # one order: no deadlock
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])
        recent = MailRequest.objects.filter(Q(email=key) | Q(address=address))
        counts = recent.filter(requested_at__gte=since).aggregate(
            per_email=Count("id", filter=Q(email=key)), per_address=Count("id", filter=Q(address=address))
        )
        if (
            counts["per_email"] >= settings.NEWSREADER_MAILS_PER_EMAIL
            or counts["per_address"] >= settings.NEWSREADER_MAILS_PER_ADDRESS
        ):
            return False
        recent.filter(requested_at__lt=since).delete()
        MailRequest.objects.create(email=key, address=address)
    return True


def too_many_mails(request):
    """The answer to a request for mail over the limit: 429, saying when to try again."""
    minutes = settings.NEWSREADER_MAIL_WINDOW_MINUTES
    response = render(request, "registration/too_many_mails.html", {"minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
