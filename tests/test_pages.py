import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import make_article, make_lapsed_member, make_member

pytestmark = pytest.mark.django_db
SECRET = "The members-only sentence about the Zanzibar accord."


def gated_article():
    return make_article(
        title="Gated Analysis",
        paragraphs=["Free opening paragraph.", "Second free paragraph.", SECRET, "Another members paragraph."],
        free_blocks=2,
    )


def test_list_is_newest_first_and_paginated(client, settings):
    settings.NEWSREADER_ARTICLES_PER_PAGE = 2
    now = timezone.now()
    for days, title in [(3, "Oldest"), (1, "Newest"), (2, "Middle")]:
        make_article(title=title, published_at=now - dt.timedelta(days=days))
    first = client.get("/").content.decode()
    assert first.index("Newest") < first.index("Middle")
    assert "Oldest" not in first
    assert 'href="?page=2"' in first
    second = client.get("/?page=2").content.decode()
    assert "Oldest" in second and "Newest" not in second


def test_list_item_shows_badge_excerpt_and_comment_count(client):
    gated_article()
    page = client.get("/").content.decode()
    assert "Members</span>" in page
    assert "Free opening paragraph." in page
    assert "0 comments" in page
    assert SECRET not in page


@pytest.mark.parametrize("count", [1, 30])
def test_list_costs_a_constant_number_of_queries(client, django_assert_max_num_queries, count):
    for _ in range(count):
        make_article()
    # The count, the page, the page's country tags, and the top stories (their outlets when there are some).
    with django_assert_max_num_queries(5):
        assert client.get("/").status_code == 200


def test_anonymous_reader_gets_the_preview_and_the_gate_only(client):
    article = gated_article()
    response = client.get(article.get_absolute_url())
    page = response.content.decode()
    assert "data-article-body" in page and "Second free paragraph." in page
    assert SECRET not in page and "Another members paragraph." not in page
    assert "data-paywall" in page
    assert 'href="/accounts/signup/?next=' in page and 'href="/accounts/login/?next=' in page
    assert "available exclusively to members" in page


def test_member_reads_the_whole_text(client):
    article = gated_article()
    client.force_login(make_member())
    page = client.get(article.get_absolute_url()).content.decode()
    assert SECRET in page and "Another members paragraph." in page
    assert "data-paywall" not in page


def test_lapsed_member_is_a_non_member_with_renew_wording(client):
    article = gated_article()
    client.force_login(make_lapsed_member())
    page = client.get(article.get_absolute_url()).content.decode()
    assert SECRET not in page
    assert "data-paywall" in page and "Renew your membership" in page


def test_free_article_is_whole_for_everyone(client):
    article = make_article(access="free", paragraphs=["One.", "Two.", "Three.", "Four is free too."])
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Four is free too." in page and "data-paywall" not in page


def test_source_truncation_is_said_to_every_reader(client):
    article = make_article(source_truncated=True, source_name="The Dispatch", source_url="https://example.org/a")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "data-source-truncated" in page
    assert "The Dispatch" in page and 'href="https://example.org/a"' in page
    plain = make_article()
    assert "data-source-truncated" not in client.get(plain.get_absolute_url()).content.decode()


def test_comments_section_empty_state(client):
    article = make_article()
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'data-comments data-comment-count="0"' in page
    assert "Join to take part in the discussion" in page
    client.force_login(make_member())
    page = client.get(article.get_absolute_url()).content.decode()
    assert "No responses yet. Be the first to respond." in page


def test_comment_list_partial(client):
    article = make_article()
    response = client.get(reverse("comments", args=[article.slug]))
    assert response.status_code == 200
    assert b"data-comments" in response.content and b"<html" not in response.content


def test_article_page_queries_are_constant(client, django_assert_max_num_queries):
    article = gated_article()
    client.force_login(make_member())
    # Session, user, membership, article, comments, and its country and actor tags.
    with django_assert_max_num_queries(8):
        assert client.get(article.get_absolute_url()).status_code == 200


def test_unknown_article_is_404(client):
    assert client.get("/articles/no-such-thing/").status_code == 404
