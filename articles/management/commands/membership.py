"""`manage.py membership grant|end|show USERNAME [--days N]`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from articles import access
from articles.actions import memberships
from articles.actions.memberships import GRANT_DAYS
from articles.models import Membership


class Command(BaseCommand):
    help = "Start or extend a membership (grant), end it now (end), or print its state (show)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["grant", "end", "show"])
        parser.add_argument("username")
        parser.add_argument("--days", type=int, default=GRANT_DAYS, help=f"days to grant or add (default {GRANT_DAYS})")

    def handle(self, *, action, username, days, **options):
        if days < 1:
            raise CommandError("--days must be at least 1")
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        if action == "grant":
            memberships.grant(user, days=days)
        elif action == "end":
            memberships.end(user)
        self.stdout.write(describe(user))


def describe(user) -> str:
    membership = Membership.objects.filter(user=user).first()
    if membership is None:
        return f"{user.username}: no membership"
    state = "active" if access.membership_is_active(membership) else "lapsed"
    return (
        f"{user.username}: {state} ({membership.plan}) "
        f"from {membership.starts_at:%Y-%m-%d %H:%M} until {membership.ends_at:%Y-%m-%d %H:%M} UTC"
    )
