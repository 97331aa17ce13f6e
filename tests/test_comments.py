import datetime as dt
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.actions import memberships
from articles.elements import COMMENTS
from articles.models import Comment

from .commenting import HTMX, comments_url, count, page_of
from .factories import make_article, make_comment, make_lapsed_member, make_member, make_user

pytestmark = pytest.mark.django_db
# Who may post


def test_member_post_without_javascript_redirects_back_to_the_comments(client):
    article = make_article()
    client.force_login(make_member(username="alice"))
    response = client.post(comments_url(article), {"body": "A first thought."})
    assert response.status_code == 302 and response["Location"] == f"{article.get_absolute_url()}#{COMMENTS}"
    page = page_of(client, article)
    assert 'data-comment-count="1"' in page and "<p>A first thought.</p>" in page
    assert "1 comment" in client.get("/").content.decode()


def test_member_post_with_htmx_answers_the_comments_fragment(client):
    article = make_article()
    client.force_login(make_member())
    response = client.post(comments_url(article), {"body": "Posted with htmx."}, **HTMX)
    fragment = response.content.decode()
    assert response.status_code == 200
    assert fragment.lstrip().startswith('<section class="comments" id="comments" data-comments data-comment-count="1"')
    assert "<html" not in fragment and "Posted with htmx." in fragment
    assert fragment.count("data-comment ") + fragment.count("data-comment\n") == 1


def test_anonymous_post_is_sent_to_sign_in_and_stores_nothing(client):
    article = make_article()
    response = client.post(comments_url(article), {"body": "Let me in."})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    response = client.post(comments_url(article), {"body": "Let me in."}, **HTMX)
    # With htmx, the reason in plain text, which static/js/errors.js shows at the form (a member
    # whose session ended meanwhile posts from a page that still has the form).
    assert response.status_code == 403 and response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == "You are signed out. Sign in to take part in the discussion."
    assert not Comment.objects.exists() and count(article) == 0


@pytest.mark.parametrize(("make_reader", "told"), [
    (make_lapsed_member, "Your membership has ended. Renew your membership to take part in the discussion."),
    (make_user, "Join to take part in the discussion."),
], ids=["lapsed", "never-a-member"])
def test_non_member_post_is_refused_and_stores_nothing(client, make_reader, told):
    article = make_article()
    client.force_login(make_reader())
    page = page_of(client, article)
    assert told in page and 'name="body"' not in page
    response = client.post(comments_url(article), {"body": "Still here."})
    assert response.status_code == 403
    assert client.post(comments_url(article), {"body": "Still here."}, **HTMX).status_code == 403
    assert not Comment.objects.exists() and count(article) == 0


def test_lapsed_member_is_told_to_renew(client):
    article = make_article()
    client.force_login(make_lapsed_member())
    response = client.post(comments_url(article), {"body": "Hello"})
    assert response.status_code == 403
    assert "Your membership has ended. Renew your membership to take part in the discussion." in response.content.decode()


def test_post_without_csrf_token_is_refused_and_stores_nothing():
    article = make_article()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_member())
    assert client.post(comments_url(article), {"body": "Forged."}).status_code == 403
    assert client.post(comments_url(article), {"body": "Forged."}, **HTMX).status_code == 403
    assert not Comment.objects.exists()


def test_anonymous_reader_sees_comments_count_and_join_links(client):
    article = make_article()
    make_comment(article=article, body="Visible to all.")
    page = page_of(client, article)
    assert 'data-comment-count="1"' in page and "Visible to all." in page
    assert "Join to take part in the discussion" in page
    assert f'href="/accounts/signup/?next={article.get_absolute_url()}"' in page.replace("%2F", "/")


# What may be posted


def test_blank_comment_is_rejected_with_the_form_and_its_error(client):
    article = make_article()
    client.force_login(make_member())
    response = client.post(comments_url(article), {"body": "  \n  "})
    assert response.status_code == 422
    assert "Write something before you post." in response.content.decode()
    response = client.post(comments_url(article), {"body": ""}, **HTMX)
    assert response.status_code == 422 and "Write something before you post." in response.content.decode()
    assert not Comment.objects.exists()


def test_too_long_comment_is_rejected_and_kept_in_the_form(client, settings):
    settings.NEWSREADER_COMMENT_MAX_LENGTH = 20
    article = make_article()
    client.force_login(make_member())
    response = client.post(comments_url(article), {"body": "x" * 21})
    page = response.content.decode()
    assert response.status_code == 422
    assert "Keep it to 20 characters (this one has 21)." in page and "x" * 21 in page
    assert not Comment.objects.exists()


def test_honeypot_filled_by_a_bot_stores_nothing(client):
    article = make_article()
    client.force_login(make_member())
    response = client.post(comments_url(article), {"body": "Buy now", "website": "http://spam.example"})
    assert response.status_code == 422 and "This looks automated" in response.content.decode()
    assert not Comment.objects.exists()


def test_posting_rate_limit_per_member(client, settings):
    settings.NEWSREADER_COMMENTS_PER_MINUTE = 2
    article = make_article()
    client.force_login(make_member())
    for number in range(2):
        assert client.post(comments_url(article), {"body": f"Post {number}"}).status_code == 302
    response = client.post(comments_url(article), {"body": "One too many"}, **HTMX)
    assert response.status_code == 429
    assert "at most 2 comments a minute" in response.content.decode()
    assert Comment.objects.count() == 2
    Comment.objects.update(created_at=timezone.now() - dt.timedelta(minutes=2))
    assert client.post(comments_url(article), {"body": "Later"}).status_code == 302
    second = Client()
    second.force_login(make_member())
    assert second.post(comments_url(article), {"body": "Someone else"}).status_code == 302


def test_xss_payloads_come_out_escaped(client):
    article = make_article()
    client.force_login(make_member())
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)> javascript:alert(1)'
    client.post(comments_url(article), {"body": payload})
    page = page_of(client, article)
    assert "<script>alert" not in page and "<img src=x" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page or "&lt;script&gt;alert(\"x\")&lt;/script&gt;" in page


def test_links_in_comments_are_nofollow(client):
    article = make_article()
    make_comment(article=article, body="See https://example.org/source")
    assert '<a href="https://example.org/source" rel="nofollow ugc noopener">' in page_of(client, article)


# Threads and order


def test_replies_are_one_level_deep_and_order_is_the_readers_choice(client):
    article = make_article()
    now = timezone.now()
    first = make_comment(article=article, body="First top.", created_at=now - dt.timedelta(minutes=3))
    second = make_comment(article=article, body="Second top.", created_at=now - dt.timedelta(minutes=2))
    client.force_login(make_member())
    client.post(comments_url(article), {"body": "Reply to first.", "parent": first.pk})
    reply = Comment.objects.get(body="Reply to first.")
    client.post(comments_url(article), {"body": "Reply to the reply.", "parent": reply.pk})
    assert Comment.objects.get(body="Reply to the reply.").parent == first
    assert count(article) == 4
    oldest = page_of(client, article)
    assert oldest.index("First top.") < oldest.index("Reply to first.") < oldest.index("Reply to the reply.") < oldest.index("Second top.")
    newest = page_of(client, article, order="newest")
    assert newest.index("Second top.") < newest.index("First top.") < newest.index("Reply to first.")
    response = client.post(comments_url(article), {"body": "Kept order.", "order": "newest"})
    assert response["Location"] == f"{article.get_absolute_url()}?order=newest#comments"
    assert second.pk


def test_reply_to_a_comment_of_another_article_is_refused(client):
    article, other = make_article(), make_article()
    elsewhere = make_comment(article=other)
    client.force_login(make_member())
    response = client.post(comments_url(article), {"body": "Misdirected", "parent": elsewhere.pk})
    assert response.status_code == 422 and "no longer there" in response.content.decode()
    assert count(article) == 0


def test_comment_fragment_lists_in_the_chosen_order(client):
    article = make_article()
    now = timezone.now()
    make_comment(article=article, body="Older one.", created_at=now - dt.timedelta(minutes=2))
    make_comment(article=article, body="Newer one.", created_at=now - dt.timedelta(minutes=1))
    fragment = client.get(comments_url(article), {"order": "newest"}).content.decode()
    assert fragment.index("Newer one.") < fragment.index("Older one.")


# Editing and deleting one's own


def test_author_edits_within_the_window_and_it_shows_edited(client):
    member = make_member()
    article = make_article()
    comment = make_comment(article=article, user=member, body="Teh typo.")
    client.force_login(member)
    assert "Edit</a>" in page_of(client, article)
    edit_url = reverse("comment_edit", args=[article.slug, comment.pk])
    assert "Teh typo." in client.get(edit_url).content.decode()
    response = client.post(edit_url, {"body": "The typo, <fixed>."})
    assert response["Location"] == f"{article.get_absolute_url()}#{COMMENTS}"
    page = page_of(client, article)
    assert "The typo, &lt;fixed&gt;." in page and ">edited</span>" in page
    assert client.post(edit_url, {"body": " "}).status_code == 422


def test_edit_window_closes(client, settings):
    settings.NEWSREADER_COMMENT_EDIT_MINUTES = 15
    member = make_member()
    article = make_article()
    comment = make_comment(article=article, user=member, body="Old words.", created_at=timezone.now() - dt.timedelta(minutes=16))
    client.force_login(member)
    assert "Edit</a>" not in page_of(client, article)
    response = client.post(reverse("comment_edit", args=[article.slug, comment.pk]), {"body": "New words."})
    assert response.status_code == 403 and "15 minutes" in response.content.decode()
    assert Comment.objects.get(pk=comment.pk).body == "Old words."


def test_an_author_whose_membership_ended_is_told_that_rather_than_the_edit_window(client):
    member = make_member()
    article = make_article()
    comment = make_comment(article=article, user=member, body="Old words.")
    memberships.end(member)
    client.force_login(member)
    response = client.get(reverse("comment_edit", args=[article.slug, comment.pk]))
    assert response.status_code == 403 and "Your membership has ended" in response.content.decode()
    assert "15 minutes" not in response.content.decode()


def test_nobody_edits_or_deletes_someone_elses_comment(client):
    article = make_article()
    comment = make_comment(article=article, body="Mine, not yours.")
    client.force_login(make_member())
    assert client.post(reverse("comment_edit", args=[article.slug, comment.pk]), {"body": "Yours now."}).status_code == 403
    assert client.post(reverse("comment_delete", args=[article.slug, comment.pk])).status_code == 403
    assert Comment.objects.get(pk=comment.pk).body == "Mine, not yours." and count(article) == 1


def test_author_deletes_their_comment_with_its_replies_and_the_count_follows(client):
    member = make_member()
    article = make_article()
    comment = make_comment(article=article, user=member)
    make_comment(article=article, parent=comment)
    make_comment(article=article, body="Stays.")
    client.force_login(member)
    response = client.post(reverse("comment_delete", args=[article.slug, comment.pk]), **HTMX)
    assert 'data-comment-count="1"' in response.content.decode()
    assert count(article) == 1 and Comment.objects.get().body == "Stays."


@pytest.mark.parametrize("comments", [1, 25])
def test_article_page_with_comments_costs_constant_queries(client, django_assert_max_num_queries, comments, moderator):
    article = make_article()
    for _ in range(comments):
        parent = make_comment(article=article)
        make_comment(article=article, parent=parent)
    client.force_login(moderator)
    # Five, and the article's country and actor tags.
    with django_assert_max_num_queries(7):
        assert client.get(article.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(5):
        assert client.get(comments_url(article)).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_fifty_simultaneous_posts_are_all_stored_and_counted_exactly():
    article = make_article()
    members = [make_member() for _ in range(50)]
    start = threading.Barrier(50)
    statuses = []

    def post(member):
        client = Client()
        client.force_login(member)
        start.wait()
        try:
            statuses.append(client.post(comments_url(article), {"body": f"From {member.username}"}).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=[member]) for member in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302] * 50
    assert Comment.objects.filter(article=article).count() == 50
    assert count(article) == 50
