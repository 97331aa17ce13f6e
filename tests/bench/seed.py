"""Readers and discussion for the benchmark corpus, added after the import: a signed-in member
(whose session cookie the load generator sends), and comments under one article in ten.

run.py calls main() through `manage.py shell`: the member's cookie and the article to load.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from articles.models import Article, Comment, Membership, Story

COMMENTERS = 20
COMMENTS_PER_ARTICLE = 3
ARTICLE_COMMENTS = 20  # under the article the load generator reads
BATCH = 5000


def member(username: str):
    user = get_user_model().objects.create_user(username=username, password=None, email=f"{username}@example.org")
    Membership.objects.create(user=user, ends_at=timezone.now() + dt.timedelta(days=365))
    return user


def comment(article_id: int, user, number: int) -> Comment:
    body = f"Comment {number}: the analysis of the talks is right about the timetable."
    return Comment(article_id=article_id, user=user, body=body, body_html=f"<p>{escape(body)}</p>")


def add_comments(users, article_ids: list[int], featured_id: int) -> int:
    batch, total = [], 0
    for number, article_id in enumerate(article_ids[::10]):
        for k in range(ARTICLE_COMMENTS if article_id == featured_id else COMMENTS_PER_ARTICLE):
            batch.append(comment(article_id, users[(number + k) % len(users)], k))
        if len(batch) >= BATCH:
            total += len(Comment.objects.bulk_create(batch))
            batch = []
    total += len(Comment.objects.bulk_create(batch))
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article a SET comment_count = c.n FROM "
            "(SELECT article_id, count(*) AS n FROM articles_comment GROUP BY article_id) c WHERE a.id = c.article_id"
        )
    return total


def main() -> dict:
    users = [member(f"bench-commenter-{n}") for n in range(COMMENTERS)]
    reader = member("bench-member")
    article_ids = list(Article.objects.order_by("id").values_list("id", flat=True))
    # An article in the middle of the list, one of those that get comments (the corpus is all gated).
    featured_id = article_ids[(len(article_ids) // 20) * 10]
    comments = add_comments(users, article_ids, featured_id)
    slug = Article.objects.get(id=featured_id).slug
    story_slug = Story.objects.recent().most_covered().values_list("slug", flat=True).first()  # /stories/'s first
    client = Client()
    client.force_login(reader)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return {"member_cookie": cookie, "article_slug": slug, "story_slug": story_slug, "comments": comments}

