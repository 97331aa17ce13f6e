"""The member's desk: following from a subject's page (with and without htmx), what is new since
the last visit, bookmarks, read marks, the private feed, export and deletion."""

import datetime as dt
import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.actions import desk as actions
from articles.models import Article, Bookmark, Desk, Follow, ReadMark
from articles.models import articles as articles_models

from .factories import make_article, make_lapsed_member, make_member, make_user

pytestmark = pytest.mark.django_db


def new_counts(page: str) -> dict[str, int]:
    """Each followed subject's link text → its data-new-count, as the desk shows them."""
    found = re.findall(r'data-new-count="(\d+)".*?<a href="[^"]*">([^<]+)</a>', page, re.S)
    return {label: int(count) for count, label in found}


def test_anonymous_readers_are_sent_to_sign_in(client):
    response = client.get("/desk/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/desk/")


def test_following_a_country_without_javascript_and_seeing_what_is_new(client):
    make_article(language="en", title="Kenya votes", paragraphs=["Kenya held an election.", "Kenya counted."])
    member = make_member()
    client.force_login(member)
    page = client.get("/countries/ke/").content.decode()
    assert "data-follow" in page and 'name="follow" value="1"' in page

    response = client.post("/desk/follow/", {"kind": "country", "key": "ke", "follow": "1", "next": "/countries/ke/"})
    assert response.status_code == 302 and response["Location"] == "/countries/ke/"
    assert 'name="follow" value="0"' in client.get("/countries/ke/").content.decode()

    first = client.get("/desk/").content.decode()
    assert new_counts(first) == {"Kenya": 0}  # what was there before they followed is not new
    make_article(language="en", title="Kenya counts again", paragraphs=["Kenya recounted the votes.", "Nairobi waited."])
    make_article(language="en", title="Nothing about it", paragraphs=["Peru and Chile.", "Lima."])
    page = client.get("/desk/").content.decode()
    assert new_counts(page) == {"Kenya": 1}
    assert "Kenya counts again" in page and "Kenya votes" in page
    assert new_counts(client.get("/desk/").content.decode()) == {"Kenya": 0}  # seen on the last visit


def test_follow_answers_htmx_with_the_button_and_unfollows(client):
    client.force_login(make_member())
    response = client.post("/desk/follow/", {"kind": "pair", "key": "cn/ru", "follow": "1", "next": "/countries/cn/ru/"},
                           headers={"HX-Request": "true"})
    assert response.status_code == 200 and "data-following" in response.content.decode()
    assert Follow.objects.get().label == "China and Russia"
    client.post("/desk/follow/", {"kind": "pair", "key": "cn/ru", "follow": "0"})
    assert not Follow.objects.exists()



@pytest.mark.parametrize("few_matches", [0, 1_000_000])
def test_a_saved_search_shows_its_newest_matches_however_they_are_read(client, monkeypatch, few_matches):
    """A rare word's matches are read from the search index and sorted, a common word's off the
    date index: the desk shows the same newest three, in order, ties by id, and counts the new."""
    monkeypatch.setattr(articles_models, "FEW_MATCHES", few_matches)
    member = make_member()
    client.force_login(member)
    actions.follow(member, kind="search", key="q=harbour", label="“harbour”")
    Follow.objects.update(created_at=timezone.now() - dt.timedelta(hours=1))
    day = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    made = [make_article(title=f"Harbour {n}", paragraphs=["Harbour talks."], published_at=day + dt.timedelta(days=n % 3))
            for n in range(6)]
    make_article(title="Unrelated", paragraphs=["Nothing here."], published_at=day + dt.timedelta(days=9))
    page = client.get("/desk/").content.decode()
    newest = sorted(made, key=lambda article: (article.published_at, article.pk), reverse=True)[:3]
    assert re.findall(r'<li data-article-id="(\d+)"', page) == [str(article.pk) for article in newest]
    assert new_counts(page) == {"“harbour”": 6}

@pytest.mark.parametrize("kind, key", [("country", "zz"), ("pair", "ru/cn"), ("story", "nope"), ("search", "q="), ("actor", "nobody")])
def test_nothing_else_can_be_followed(client, kind, key):
    client.force_login(make_member())
    assert client.post("/desk/follow/", {"kind": kind, "key": key, "follow": "1"}).status_code == 400
    assert not Follow.objects.exists()


def test_a_saved_search_counts_what_it_matches_as_the_member_may_search(client):
    member = make_member()
    client.force_login(member)
    client.post("/desk/follow/", {"kind": "search", "key": "q=drought&country=", "follow": "1"})
    follow = Follow.objects.get()
    assert (follow.key, follow.label) == ("q=drought", "“drought”")
    Follow.objects.update(created_at=timezone.now() - dt.timedelta(hours=1))
    make_article(language="en", title="Rain at last", paragraphs=["The drought in the Sahel ended.", "Farmers planted."])
    make_article(language="en", title="Elections", paragraphs=["Nothing dry here.", "Votes."])
    assert new_counts(client.get("/desk/").content.decode()) == {"“drought”": 1}


def test_the_search_page_follows_its_query_and_filters(client):
    client.force_login(make_member())
    page = client.get("/search/?q=sahel+drought&country=ne").content.decode()
    assert 'name="key" value="q=sahel+drought&amp;country=ne"' in page


def test_bookmarks_and_read_marks(client):
    article = make_article(language="en", title="Long read")
    member = make_member()
    client.force_login(member)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "data-bookmark" in page
    assert ReadMark.objects.filter(user=member, article=article).exists()
    assert f'[data-article-id="{article.pk}"]' in client.get("/desk/read.css").content.decode()
    assert f'data-article-id="{article.pk}"' in client.get("/").content.decode()

    response = client.post("/desk/bookmark/", {"slug": article.slug, "keep": "1"})
    assert response.status_code == 302 and response["Location"] == article.get_absolute_url()
    assert "data-bookmarked" in client.get(article.get_absolute_url()).content.decode()
    assert "Long read" in client.get("/desk/").content.decode().split("Read later", 1)[1]
    client.post("/desk/bookmark/", {"slug": article.slug, "keep": "0"}, headers={"HX-Request": "true"})
    assert not Bookmark.objects.exists()


def test_a_members_rows_are_theirs_alone(client):
    article = make_article(language="en", title="Kept by one")
    owner, other = make_member(), make_member()
    actions.follow(owner, kind="country", key="ke", label="Kenya")
    actions.bookmark(owner, article, keep=True)
    client.force_login(other)
    page = client.get("/desk/").content.decode()
    assert "Kenya" not in page and "Kept by one" not in page
    assert json.loads(client.get("/desk/export.json").content)["follows"] == []
    assert "Kenya" not in client.get("/desk/read.css").content.decode()


def test_export_and_forget(client):
    article = make_article(language="en", title="Exported")
    member = make_member()
    client.force_login(member)
    actions.follow(member, kind="country", key="ke", label="Kenya")
    actions.bookmark(member, article, keep=True)
    actions.mark_read(member, article.pk)
    data = json.loads(client.get("/desk/export.json").content)
    assert [f["key"] for f in data["follows"]] == ["ke"]
    assert [b["article"] for b in data["bookmarks"]] == [article.slug] == [r["article"] for r in data["read"]]
    client.post("/desk/forget/")
    assert not (Follow.objects.exists() or Bookmark.objects.exists() or ReadMark.objects.exists())


def test_deleting_the_account_deletes_the_desk():
    member = make_member()
    actions.follow(member, kind="country", key="ke", label="Kenya")
    actions.bookmark(member, make_article(language="en"), keep=True)
    get_user_model().objects.filter(pk=member.pk).delete()
    assert not (Follow.objects.exists() or Bookmark.objects.exists() or Desk.objects.exists())


def test_private_feed_carries_full_text_only_while_the_membership_lasts(client):
    article = make_article(language="en", title="Secret talks", paragraphs=["Kenya met.", "Kenya agreed.", "MEMBERSWORD one.", "MEMBERSWORD two."])
    assert "MEMBERSWORD" in Article.objects.get(pk=article.pk).members_text
    member, lapsed = make_member(), make_lapsed_member()
    for user in (member, lapsed):
        actions.follow(user, kind="country", key="ke", label="Kenya")
    url = lambda user: f"/desk/feed/{Desk.objects.get(user=user).feed_token}/"  # noqa: E731
    assert "MEMBERSWORD" in client.get(url(member)).content.decode()
    lapsed_feed = client.get(url(lapsed)).content.decode()
    assert "Secret talks" in lapsed_feed and "MEMBERSWORD" not in lapsed_feed
    assert "MEMBERSWORD" not in client.get(url(lapsed) + "atom/").content.decode()

    old = url(member)
    client.force_login(member)
    assert "data-private-feed" in client.get("/desk/").content.decode()
    client.post("/desk/feed/reset/")
    assert client.get(old).status_code == 404 and client.get(url(member)).status_code == 200


def test_the_desk_costs_the_same_queries_however_much_is_followed(client, django_assert_max_num_queries):
    member = make_member()
    client.force_login(member)
    client.get("/desk/")
    for n in range(8):
        article = make_article(language="en", title=f"Kenya and Russia {n}", paragraphs=["Kenya and Russia.", "Moscow, Nairobi."])
        actions.bookmark(member, article, keep=True)
    for kind, key in [("country", "ke"), ("country", "ru"), ("pair", "ke/ru"), ("search", "q=kenya"), ("search", "q=moscow")]:
        actions.follow(member, kind=kind, key=key, label=key)
    with django_assert_max_num_queries(15):  # session, user; desk (3); follows; search words; new, newest; articles, tags; replies (2); bookmarks; threads
        page = client.get("/desk/").content.decode()
    assert page.count("data-followed") == 5


def test_follow_state_is_kept_apart_in_the_page_cache(client, page_cache_on, committed):
    committed(lambda: make_article(language="en", title="Kenya", paragraphs=["Kenya.", "Nairobi."]))
    follower, other = committed(make_member), committed(make_member)
    committed(lambda: actions.follow(follower, kind="country", key="ke", label="Kenya"))
    client.force_login(follower)
    assert "data-following" in client.get("/countries/ke/").content.decode()
    client.force_login(other)
    assert "data-following" not in client.get("/countries/ke/").content.decode()
    client.logout()
    anonymous = client.get("/countries/ke/")
    assert "Sign in to follow" in anonymous.content.decode() and "public" in anonymous["Cache-Control"]
    assert client.get("/countries/ke/").status_code == 200


def test_signed_in_non_members_may_follow_too(client):
    client.force_login(make_user())
    client.post("/desk/follow/", {"kind": "country", "key": "ke", "follow": "1"})
    assert Follow.objects.count() == 1


def form_fields(page: str, marker: str) -> dict[str, str]:
    """The hidden fields of the page's form carrying `marker`, as a browser would post them."""
    form = re.search(rf'<form method="post"[^>]*\b{marker}\b.*?</form>', page, re.S).group(0)
    return dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))


@pytest.mark.parametrize("url, label", [
    ("/countries/kr/", "South Korea"),
    ("/countries/jp/kr/", "Japan and South Korea"),
    ("/actors/un/", "United Nations"),
    ("/search/?q=seoul", "“seoul”"),
    ("STORY", "Seoul and Tokyo meet at the UN"),
])
def test_every_subject_page_has_a_follow_form_that_follows_it(client, url, label):
    from articles.actions import stories

    first = make_article(language="en", title="Seoul and Tokyo meet at the UN", source_name="Korea Wire",
                         paragraphs=["South Korea met Japan at the UN in Seoul.", "Tokyo agreed."])
    second = make_article(language="en", title="Seoul and Tokyo at the UN", source_name="Japan Post",
                          paragraphs=["Japan and South Korea met at the UN.", "Seoul agreed."])
    story = stories.split([first.pk, second.pk])
    url = story.get_absolute_url() if url == "STORY" else url
    client.force_login(make_member())
    page = client.get(url).content.decode()
    fields = form_fields(page, "data-follow")
    assert fields["follow"] == "1"
    assert client.post("/desk/follow/", fields).status_code == 302
    assert Follow.objects.get().label == label
    assert form_fields(client.get(url).content.decode(), "data-follow")["follow"] == "0"
    desk = client.get("/desk/").content.decode()
    assert re.search(rf'data-followed[^>]*>\s*<h3[^>]*><a href="{re.escape(url).replace("&", "&amp;")}">', desk)


def test_members_who_follow_the_same_subject_share_its_newest_articles_until_they_change(
        client, page_cache_on, committed, django_assert_max_num_queries):
    committed(lambda: make_article(language="en", title="Kenya votes", paragraphs=["Kenya voted.", "Nairobi."]))
    first, second = committed(make_member), committed(make_member)
    for member in (first, second):
        committed(lambda member=member: actions.follow(member, kind="country", key="ke", label="Kenya"))
        committed(lambda member=member: actions.follow(member, kind="search", key="q=nairobi", label="nairobi"))
    client.force_login(first)
    assert "Kenya votes" in client.get("/desk/").content.decode()
    client.force_login(second)
    with django_assert_max_num_queries(8):  # the visit, follows, new counts, replies (2), bookmarks, threads, session
        assert client.get("/desk/").content.decode().count("Kenya votes") == 2
    committed(lambda: make_article(language="en", title="Kenya counts", paragraphs=["Kenya counted.", "Nairobi."]))
    page = client.get("/desk/").content.decode()
    assert page.count("Kenya counts") == 2 and new_counts(page) == {"Kenya": 1, "nairobi": 1}
