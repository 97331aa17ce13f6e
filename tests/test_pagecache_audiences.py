"""The page cache for signed-in readers: one copy per audience, each reader's own CSRF token put in,
and never a page that shows one reader something of their own served to another."""

import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.http import HttpResponse
from django.test import Client

from articles import contentversion, pagecache
from articles.models import CommentBan

from .factories import make_article, make_comment, make_lapsed_member, make_member, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]
SECRET = "The members-only sentence about the Zanzibar accord."
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def gated_article(**fields):
    return make_article(paragraphs=["Free opening.", "Second free.", SECRET, "More."], free_blocks=2, **fields)


def without_tokens(page: str) -> str:
    for token in set(TOKEN.findall(page)):
        page = page.replace(token, "")
    return page


def signed_in(user, **options):
    client = Client(**options)
    client.force_login(user)
    return client


def test_a_second_member_is_served_the_audience_copy_with_a_token_of_their_own(django_assert_max_num_queries):
    article = gated_article()
    url = article.get_absolute_url()
    first = signed_in(make_member()).get(url).content.decode()
    second_member = signed_in(make_member(), enforce_csrf_checks=True)
    with django_assert_max_num_queries(3):  # session, user, membership: not the article, comments or tags
        second = second_member.get(url).content.decode()
    assert SECRET in second and second.count("csrfmiddlewaretoken") == first.count("csrfmiddlewaretoken") > 1
    tokens = set(TOKEN.findall(second))
    assert len(tokens) == 1 and tokens.isdisjoint(TOKEN.findall(first))
    assert f'"X-CSRFToken": "{next(iter(tokens))}"' in second
    assert without_tokens(first) == without_tokens(second)  # the same page but for the tokens
    posted = second_member.post(url + "comments/", {"body": "Posted with the token from a shared copy.",
                                                   "csrfmiddlewaretoken": TOKEN.search(second)[1]})
    assert posted.status_code == 302
    assert article.comments.get().body == "Posted with the token from a shared copy."


def test_a_commenter_keeps_their_controls_and_no_one_else_gets_them():
    article = gated_article()
    author = make_member(username="author")
    make_comment(article=article, user=author, body="My own remark")
    url = article.get_absolute_url()
    for reader in ["other", "author", "third"]:  # the author before, between and after the shared copy
        page = signed_in(author if reader == "author" else make_member(username=reader)).get(url).content.decode()
        assert "My own remark" in page
        assert ("/edit/" in page) is (reader == "author")
        assert ("Delete</button>" in page) is (reader == "author")


def test_lapsed_and_non_members_get_their_own_audiences_copy():
    article = gated_article()
    url = article.get_absolute_url()
    assert SECRET in signed_in(make_member()).get(url).content.decode()
    for user, paywall in [(make_lapsed_member(), "Your membership has ended"),
                          (make_user(), "The rest of this article is for members")]:
        for _ in range(2):
            page = signed_in(user).get(url).content.decode()
            assert SECRET not in page and paywall in page


def test_staff_and_banned_members_get_pages_of_their_own(django_assert_max_num_queries):
    article = gated_article()
    make_comment(article=article, body="A remark to moderate")
    url = article.get_absolute_url()
    staff_page = signed_in(make_member(is_staff=True)).get(url).content.decode()
    assert "/hide/" in staff_page
    banned = make_member()
    CommentBan.objects.create(user=banned, reason="Repeated personal attacks")
    banned_page = signed_in(banned).get(url).content.decode()
    assert "Repeated personal attacks" in banned_page and "/hide/" not in banned_page
    member_page = signed_in(make_member()).get(url).content.decode()
    assert "/hide/" not in member_page and "Repeated personal attacks" not in member_page
    assert "Post comment" in member_page
    assert "/hide/" in signed_in(make_member(is_staff=True)).get(url).content.decode()


@pytest.mark.parametrize("storage", [CookieStorage, SessionStorage])
def test_a_reader_with_a_message_to_show_gets_it(storage, settings, rf):
    settings.MESSAGE_STORAGE = f"{storage.__module__}.{storage.__name__}"
    article = gated_article()
    url = article.get_absolute_url()
    signed_in(make_member()).get(url)  # the audience copy, without messages
    member = signed_in(make_member())
    request = rf.get(url)
    request.session = member.session
    waiting = storage(request)  # a message left by an earlier request, where Django keeps it
    waiting.add(messages.SUCCESS, "Welcome back to newsreader.")
    left = HttpResponse()
    waiting.update(left)
    request.session.save()
    if "messages" in left.cookies:
        member.cookies["messages"] = left.cookies["messages"].value
    assert "Welcome back to newsreader." in member.get(url).content.decode()
    assert "Welcome back" not in member.get(url).content.decode()  # shown once


def test_a_members_search_is_kept_for_every_member_and_never_for_readers(django_assert_max_num_queries):
    make_article(title="Grain Corridor Reopens", paragraphs=["Opening.", "Free.", "The zanzibar grain.", "End."],
                 free_blocks=2)
    assert "Grain Corridor Reopens" in signed_in(make_member()).get("/search/?q=zanzibar").content.decode()
    another_member = signed_in(make_member())
    with django_assert_max_num_queries(3):
        again = another_member.get("/search/?q=zanzibar").content.decode()
    assert "Grain Corridor Reopens" in again
    assert "Grain Corridor Reopens" not in Client().get("/search/?q=zanzibar").content.decode()
    assert "Grain Corridor Reopens" not in signed_in(make_lapsed_member()).get("/search/?q=zanzibar").content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_reader_sees_their_own_comment_whichever_process_serves_the_next_page():
    article = gated_article()
    url = article.get_absolute_url()
    signed_in(make_member()).get(url)  # the members' copy, before the comment
    stale = contentversion._version  # what another gunicorn process still believes the version is
    poster = signed_in(make_member())
    posted = poster.post(url + "comments/", {"body": "A remark of mine, posted without JavaScript"})
    assert posted.status_code == 302 and posted.cookies[pagecache.SEEN_COOKIE].value
    contentversion._version = stale  # the redirect lands on that other process, which has not reread yet
    assert "A remark of mine" in poster.get(url).content.decode()
