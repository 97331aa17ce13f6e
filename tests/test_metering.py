"""The metered paywall (NEWSREADER_METERED_ARTICLES, off by default): a signed-in reader without
membership reads so many members' articles a month in full, counted on the server."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from articles.models import MeteredRead

from .factories import make_article, make_lapsed_member, make_user

pytestmark = pytest.mark.django_db

MEMBERS = "The members-only paragraph."


def gated(number):
    return make_article(title=f"Gated {number}", paragraphs=["Free one.", "Free two.", MEMBERS], free_blocks=2)


def reads_whole(client, article) -> bool:
    page = client.get(article.get_absolute_url()).content.decode()
    assert (MEMBERS in page) is ("data-paywall" not in page)
    return MEMBERS in page


def test_off_by_default(client):
    client.force_login(make_user())
    assert not reads_whole(client, gated(1))
    assert not MeteredRead.objects.exists()


def test_a_non_member_reads_their_allowance_each_month(client, settings):
    settings.NEWSREADER_METERED_ARTICLES = 2
    first, second, third = gated(1), gated(2), gated(3)
    reader = make_user()
    client.force_login(reader)
    assert reads_whole(client, first) and reads_whole(client, second)
    assert not reads_whole(client, third)
    assert reads_whole(client, first)  # one already counted reads again
    assert MeteredRead.objects.filter(user=reader).count() == 2
    # A lapsed member is metered too; a reader signed out never is.
    client.force_login(make_lapsed_member())
    assert reads_whole(client, third)
    client.logout()
    assert not reads_whole(client, first)
    # Next month, a new allowance.
    next_month = (timezone.now().replace(day=1) + dt.timedelta(days=32)).replace(day=2)
    with time_machine.travel(next_month, tick=False):
        client.force_login(reader)
        assert reads_whole(client, third)


def test_a_metered_page_is_not_shared_with_other_non_members(client, settings, page_cache_on, committed):
    settings.NEWSREADER_METERED_ARTICLES = 1
    article, other = gated(1), gated(2)
    reader = make_user()
    client.force_login(reader)
    assert reads_whole(client, article)
    client.force_login(make_user())
    assert reads_whole(client, other)
    assert not reads_whole(client, article)  # their allowance is spent on the other


def test_a_metered_read_costs_two_queries_more(client, settings, django_assert_max_num_queries):
    """The allowance read once (readers.metered_reads), the read counted once: 8 for a member's page."""
    settings.NEWSREADER_METERED_ARTICLES = 5
    article = gated(1)
    client.force_login(make_user())
    with django_assert_max_num_queries(10):
        assert reads_whole(client, article)
