"""Replies: a member hears of replies to their comments (on the desk, and by email unless they turn
it off), and may follow a discussion they took part in."""

import pytest
from django.core import mail

from articles.actions import desk as actions
from articles.models import Follow

from .factories import make_article, make_comment, make_member

pytestmark = pytest.mark.django_db


def reply(client, article, parent, body):
    return client.post(f"{article.get_absolute_url()}comments/", {"body": body, "parent": parent.pk})


def test_a_reply_is_on_the_desk_and_in_the_mail(client):
    article = make_article(title="Straits", language="en")
    author, replier = make_member(username="amara"), make_member(username="bo")
    first = make_comment(article=article, user=author, body="Both capitals need the strait.")
    client.force_login(replier)
    reply(client, article, first, "The insurers will decide.")
    (message,) = mail.outbox
    assert message.to == [author.email] and "bo replied" in message.subject
    assert "The insurers will decide." in message.body and "#comment-" in message.body

    client.force_login(author)
    desk = client.get("/desk/").content.decode()
    assert "The insurers will decide." in desk and "data-reply" in desk


def test_reply_emails_can_be_turned_off_and_own_replies_are_not_mailed(client):
    article = make_article(title="Straits", language="en")
    author, replier = make_member(), make_member()
    first = make_comment(article=article, user=author)
    actions.set_digest(author, digest="none", reply_emails=False)
    client.force_login(replier)
    reply(client, article, first, "A reply no one is mailed.")
    client.force_login(author)
    reply(client, article, first, "My own reply.")
    assert mail.outbox == []


def test_a_participant_follows_a_discussion_and_hears_of_its_replies(client):
    article = make_article(title="Straits", language="en")
    author, follower, replier = make_member(), make_member(), make_member()
    first = make_comment(article=article, user=author)
    make_comment(article=article, user=follower, parent=first)
    client.force_login(follower)
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Follow this discussion" in page
    response = client.post("/desk/follow/", {"kind": "thread", "key": f"{article.slug}/{first.pk}", "follow": "1",
                                              "next": f"{article.get_absolute_url()}#comment-{first.pk}"})
    assert response.status_code == 302
    assert Follow.objects.get(user=follower).label == "The discussion under “Straits”"
    assert "Stop following this discussion" in client.get(article.get_absolute_url()).content.decode()

    client.force_login(replier)
    assert "Follow this discussion" not in client.get(article.get_absolute_url()).content.decode()
    reply(client, article, first, "A third voice.")
    assert sorted(message.to[0] for message in mail.outbox) == sorted([author.email, follower.email])
    client.force_login(follower)
    assert "A third voice." in client.get("/desk/").content.decode()
