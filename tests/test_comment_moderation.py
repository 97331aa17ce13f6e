"""Moderation: staff hide, delete and ban, on the page and in the admin; members cannot."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.elements import COMMENTS
from articles.models import Comment, CommentBan

from .commenting import HTMX, comments_url, count, page_of
from .factories import make_article, make_comment, make_member

pytestmark = pytest.mark.django_db


def test_staff_hide_a_comment_and_show_it_again(client, moderator):
    article = make_article()
    comment = make_comment(article=article, body="Off-topic rant.")
    make_comment(article=article, parent=comment, body="A reply that stays.")
    client.force_login(moderator)
    hide_url = reverse("comment_hide", args=[article.slug, comment.pk])
    assert client.post(hide_url, {"hidden": "1"})["Location"].endswith(f"#{COMMENTS}")
    assert count(article) == 1
    staff_page = page_of(client, article)
    assert "Off-topic rant." in staff_page and "data-comment-hidden" in staff_page and "Show again" in staff_page
    reader_page = page_of(Client(), article)
    assert "Off-topic rant." not in reader_page
    assert "This comment has been hidden by a moderator." in reader_page and "A reply that stays." in reader_page
    assert 'data-comment-count="1"' in reader_page
    client.post(hide_url, {"hidden": "1"})  # twice is still once
    assert count(article) == 1
    client.post(hide_url, {"hidden": "0"})
    assert count(article) == 2 and "Off-topic rant." in page_of(Client(), article)


def test_staff_delete_any_comment(client, moderator):
    article = make_article()
    comment = make_comment(article=article)
    client.force_login(moderator)
    client.post(reverse("comment_delete", args=[article.slug, comment.pk]))
    assert not Comment.objects.exists() and count(article) == 0


def test_staff_ban_a_member_with_a_reason(client, moderator):
    article = make_article()
    troll = make_member(username="troll")
    comment = make_comment(article=article, user=troll)
    client.force_login(moderator)
    ban_url = reverse("ban_comment_author", args=[article.slug, comment.pk])
    response = client.post(ban_url, {"reason": " "}, **HTMX)
    assert response.status_code == 422 and "Give a reason" in response.content.decode()
    client.post(ban_url, {"reason": "Repeated abuse."})
    assert CommentBan.objects.get(user=troll).banned_by == moderator
    banned = Client()
    banned.force_login(troll)
    page = page_of(banned, article)
    assert "You can no longer comment here: Repeated abuse." in page and 'name="body"' not in page
    response = banned.post(comments_url(article), {"body": "Let me back."})
    assert response.status_code == 403 and count(article) == 1


def test_members_cannot_moderate(client):
    article = make_article()
    comment = make_comment(article=article)
    client.force_login(make_member())
    assert client.post(reverse("comment_hide", args=[article.slug, comment.pk]), {"hidden": "1"}).status_code == 403
    assert client.post(reverse("ban_comment_author", args=[article.slug, comment.pk]), {"reason": "x"}).status_code == 403
    assert count(article) == 1 and not CommentBan.objects.exists()
    assert "Ban from commenting" not in page_of(client, article)


# Moderation in the admin


def test_admin_actions_hide_delete_and_ban_keep_the_count(admin_client):
    article = make_article()
    first, second, third = (make_comment(article=article) for _ in range(3))
    make_comment(article=article, parent=third)
    changelist = "/admin/articles/comment/"
    admin_client.post(changelist, {"action": "hide", "_selected_action": [first.pk]})
    assert count(article) == 3
    admin_client.post(changelist, {"action": "delete_with_replies", "_selected_action": [second.pk, third.pk]})
    assert count(article) == 0 and Comment.objects.count() == 1
    admin_client.post(changelist, {"action": "show_again", "_selected_action": [first.pk]})
    assert count(article) == 1
    admin_client.post(changelist, {"action": "ban_authors", "_selected_action": [first.pk]})
    assert CommentBan.objects.filter(user=first.user).exists()
    admin_client.post(f"/admin/articles/comment/{first.pk}/delete/", {"post": "yes"})
    assert count(article) == 0


# Costs and concurrency
