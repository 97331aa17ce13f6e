"""Sign-in throttling against brute force, in the manner of Ghost's.

Failed sign-ins are counted in the database, so every gunicorn worker sees the same count:
per username + address (a guessed password for one account) and per address across usernames
(one machine trying many accounts). Over either limit within the window, a sign-in attempt is
refused with 429 before the form runs, so a throttled attempt costs one indexed query and never
a password hash. A successful sign-in clears that username's failures from that address.
"""

import datetime as dt
import functools

from django.conf import settings
from django.db.models import Count, Q
from django.shortcuts import render
from django.utils import timezone

from .models import LoginFailure


def client_address(request) -> str:
    """The client's address: REMOTE_ADDR, or the one our own reverse proxy appended."""
    if settings.NEWSREADER_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


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
    """`user_login_failed` receiver: count the failure, and forget this address's expired ones."""
    if request is None:
        return
    address = client_address(request)
    LoginFailure.objects.filter(address=address, failed_at__lt=_window_start()).delete()
    LoginFailure.objects.create(username=(credentials.get("username") or "")[:150], address=address)


def clear_failures(sender, request, user, **kwargs):
    """`user_logged_in` receiver: a successful sign-in resets the count for this account here."""
    if request is not None:
        LoginFailure.objects.filter(address=client_address(request), username=user.get_username()).delete()


def throttled(view):
    """Refuse a sign-in POST with 429 while its username or address is over the limit."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method == "POST" and is_throttled(client_address(request), request.POST.get("username", "")[:150]):
            context = {"minutes": settings.NEWSREADER_LOGIN_WINDOW_MINUTES}
            response = render(request, "registration/throttled.html", context, status=429)
            response["Retry-After"] = str(settings.NEWSREADER_LOGIN_WINDOW_MINUTES * 60)
            return response
        return view(request, *args, **kwargs)

    return wrapper
