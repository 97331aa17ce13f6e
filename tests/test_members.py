import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles import access
from articles.actions import memberships
from articles.models import Membership

from .factories import make_lapsed_member, make_member, make_user
from .test_accounts import run_manage

pytestmark = pytest.mark.django_db


def membership(user):
    return Membership.objects.get(user=user)


def test_grant_starts_a_membership_for_a_reader_without_one():
    user = make_user()
    memberships.grant(user, days=7)
    assert access.member_state(user) is access.MemberState.ACTIVE
    assert (membership(user).ends_at - timezone.now()).days == 6  # 7 days less the moments since


def test_grant_extends_a_running_membership_from_its_end():
    user = make_member(days=10)
    ends_at = membership(user).ends_at
    memberships.grant(user, days=30)
    assert membership(user).ends_at == ends_at + dt.timedelta(days=30)


def test_grant_restarts_a_lapsed_membership_from_now():
    user = make_lapsed_member()
    before = timezone.now()
    memberships.grant(user, days=30)
    renewed = membership(user)
    assert renewed.starts_at >= before and access.membership_is_active(renewed)


def test_end_makes_a_member_lapsed():
    user = make_member()
    memberships.end(user)
    user.refresh_from_db()
    assert access.member_state(user) is access.MemberState.LAPSED


def test_access_rule_and_its_filter_agree():
    active, lapsed, future = make_member(), make_lapsed_member(), make_user()
    now = timezone.now()
    Membership.objects.create(user=future, starts_at=now + dt.timedelta(days=1), ends_at=now + dt.timedelta(days=2))
    filtered = set(Membership.objects.filter(access.active_memberships()).values_list("user_id", flat=True))
    by_rule = {m.user_id for m in Membership.objects.all() if access.membership_is_active(m)}
    assert filtered == by_rule == {active.pk}
    assert lapsed.pk not in filtered


def test_command_grant_end_show(capsys):
    make_user(username="alice")
    call_command("membership", "grant", "alice", "--days", "45")
    assert "alice: active (trial)" in capsys.readouterr().out
    call_command("membership", "end", "alice")
    assert "alice: lapsed" in capsys.readouterr().out
    call_command("membership", "show", "alice")
    assert "alice: lapsed" in capsys.readouterr().out


def test_command_show_without_membership(capsys):
    make_user(username="bob")
    call_command("membership", "show", "bob")
    assert capsys.readouterr().out.strip() == "bob: no membership"


def test_command_refuses_an_unknown_user():
    with pytest.raises(CommandError, match="No user named 'nobody'"):
        call_command("membership", "grant", "nobody")


@pytest.mark.django_db(transaction=True)
def test_command_exits_non_zero_for_an_unknown_user(test_database_url):
    result = run_manage("membership", "show", "nobody-at-all", DATABASE_URL=test_database_url)
    assert result.returncode == 1
    assert "No user named 'nobody-at-all'" in result.stderr


def test_admin_filters_active_and_lapsed_and_extends_by_30_days(admin_client):
    active, lapsed = make_member(username="still-in"), make_lapsed_member(username="gone-away")
    page = admin_client.get("/admin/articles/membership/?state=lapsed").content.decode()
    assert "gone-away" in page and "still-in" not in page
    page = admin_client.get("/admin/articles/membership/?state=active").content.decode()
    assert "still-in" in page and "gone-away" not in page
    ends_at = membership(active).ends_at
    response = admin_client.post(
        "/admin/articles/membership/",
        {"action": "extend", "_selected_action": [membership(active).pk, membership(lapsed).pk]},
        follow=True,
    )
    assert "Extended 2 memberships by 30 days." in response.content.decode()
    assert membership(active).ends_at == ends_at + dt.timedelta(days=30)
    assert access.membership_is_active(membership(lapsed))
