"""A signed-in reader's session and account, read through the cache: a change made in this
process shows at once, one made in another within NEWSREADER_READER_CACHE_SECONDS."""

import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from articles.actions import memberships
from articles.models import Membership

from .factories import make_article, make_member

pytestmark = pytest.mark.django_db
SECRET = "The members-only sentence about the Zanzibar accord."


@pytest.fixture
def article():
    return make_article(paragraphs=["Free opening.", "Second free.", SECRET, "More."], free_blocks=2)


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_a_reader_seen_before_costs_at_most_one_query_on_a_kept_page(settings, article, django_assert_num_queries):
    settings.NEWSREADER_PAGE_CACHE_SECONDS = 600
    signed_in(make_member()).get(article.get_absolute_url())  # the members' copy of the page
    reader = signed_in(make_member())
    reader.get("/")  # their session and account, read once
    # One statement: the reader's read mark and their bookmark's state (docs/desk.md); the page
    # itself is the members' kept copy.
    with django_assert_num_queries(1) as queries:
        page = reader.get(article.get_absolute_url())
    assert "articles_readmark" in queries.captured_queries[0]["sql"]
    assert SECRET in page.content.decode()
    # Opened again within the reader-cache period, it is read already: nothing to record.
    with django_assert_num_queries(0):
        assert SECRET in reader.get(article.get_absolute_url()).content.decode()


def test_a_membership_ended_here_shows_on_the_next_page(article):
    member = make_member()
    reader = signed_in(member)
    assert SECRET in reader.get(article.get_absolute_url()).content.decode()
    memberships.end(member)
    page = reader.get(article.get_absolute_url()).content.decode()
    assert SECRET not in page and "Your membership has ended" in page


def test_a_change_made_elsewhere_shows_once_the_kept_copy_lapses(settings, article):
    settings.NEWSREADER_READER_CACHE_SECONDS = 1
    member = make_member()
    reader = signed_in(member)
    assert SECRET in reader.get(article.get_absolute_url()).content.decode()
    # As another process's write looks from here: no signal reaches this process.
    Membership.objects.filter(user=member).update(ends_at=timezone.now())
    assert SECRET in reader.get(article.get_absolute_url()).content.decode()  # this process's copy
    time.sleep(1.1)
    assert "Your membership has ended" in reader.get(article.get_absolute_url()).content.decode()
    get_user_model().objects.filter(pk=member.pk).update(is_active=False)
    time.sleep(1.1)
    assert reader.get("/accounts/").status_code == 302  # signed out: the account is no longer active


def test_a_session_ended_elsewhere_ends_here_once_the_kept_copy_lapses(settings):
    if settings.CACHE_URL:
        pytest.skip("with a shared cache (Redis) a sign-out anywhere deletes the one cached copy at once")
    settings.NEWSREADER_READER_CACHE_SECONDS = 1
    reader = signed_in(make_member())
    assert reader.get("/accounts/").status_code == 200  # reads the session into this process's cache
    Session.objects.all().delete()  # signed out by another process, whose own cached copy went with it
    time.sleep(1.1)
    response = reader.get("/accounts/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_followed_country_page_costs_no_follow_query_when_seen_again(settings, django_assert_num_queries):
    settings.NEWSREADER_PAGE_CACHE_SECONDS = 600
    make_article(title="Lima Talks", paragraphs=["Peru said so.", "More."])
    signed_in(make_member()).get("/countries/pe/")  # the members' copy of the page
    reader = signed_in(make_member())
    reader.post("/desk/follow/", {"kind": "country", "key": "pe"})
    assert "Following" in reader.get("/countries/pe/").content.decode()  # what they follow, read once
    with django_assert_num_queries(0):
        assert "Following" in reader.get("/countries/pe/").content.decode()


def test_a_reader_who_follows_sees_it_on_their_next_page_though_a_process_kept_the_old_set(settings):
    from django.core.cache import cache

    from articles import readers

    make_article(title="Lima Talks", paragraphs=["Peru said so.", "More."])
    member = make_member()
    reader = signed_in(member)
    reader.get("/countries/pe/")  # this process keeps "follows nothing"
    stale = cache.get(readers._follows_key(member.pk))
    response = reader.post("/desk/follow/", {"kind": "country", "key": "pe"})
    assert response.status_code == 302 and readers.FOLLOWS_COOKIE in response.cookies
    cache.set(readers._follows_key(member.pk), stale, 600)  # as another process, that did not follow, kept it
    assert "Following" in reader.get("/countries/pe/").content.decode()
    other_device = signed_in(member)  # unmarked, and served the set the marked request read again
    assert "Following" in other_device.get("/countries/pe/").content.decode()
