"""Readers and discussion for the benchmark corpus, added after the import: a signed-in member
(whose session cookie the load generator sends) with a desk that follows one subject of each
kind, a member per thousand articles following a country each, and comments under one article in
ten (300,000 at a million articles).

run.py calls main() through `manage.py shell`: the member's cookie and the article to load.
"""

import datetime as dt

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone
from django.utils.html import escape

from articles.actions.desk import bookmark, desk_of, follow
from articles.desk.subjects import search_key
from articles.models import Actor, Article, Comment, Desk, Membership, Story
from tests.bench import corpus

COMMENTERS = 20
ARTICLES_PER_MEMBER = 1000
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


def keep_a_desk(reader, story_slug: str, article_ids: list[int]) -> int:
    """The bench member follows a country, a pair, an actor, a story and a search, has bookmarks,
    and last visited their desk a week before the newest article."""
    actor = Actor.objects.order_by("slug").first()
    subjects = [("country", "ru", "Russia"), ("pair", "cn/ru", "China and Russia"), ("story", story_slug, "A story"),
                ("search", search_key(corpus.COMMON_WORD, country="ru"), corpus.COMMON_WORD)]
    if actor is not None:
        subjects.append(("actor", actor.slug, actor.name))
    for kind, key, label in subjects:
        follow(reader, kind=kind, key=key, label=label)
    for article in Article.objects.filter(id__in=article_ids[-50:]):
        bookmark(reader, article, keep=True)
    newest = Article.objects.order_by("-published_at").values_list("published_at", flat=True).first()
    Desk.objects.filter(pk=desk_of(reader).pk).update(visited_at=newest - dt.timedelta(days=7))
    return len(subjects)


def main() -> dict:
    users = [member(f"bench-commenter-{n}") for n in range(COMMENTERS)]
    reader = member("bench-member")
    article_ids = list(Article.objects.order_by("id").values_list("id", flat=True))
    countries = ["ru", "cn", "ua", "de", "fr", "in", "jp", "br", "tr", "ir"]
    for number in range(len(article_ids) // ARTICLES_PER_MEMBER):
        follow(member(f"bench-reader-{number}"), kind="country", key=countries[number % len(countries)], label="")
    # An article in the middle of the list, one of those that get comments (the corpus is all gated).
    featured_id = article_ids[(len(article_ids) // 20) * 10]
    comments = add_comments(users, article_ids, featured_id)
    slug = Article.objects.get(id=featured_id).slug
    story_slug = Story.objects.recent().most_covered().values_list("slug", flat=True).first()  # /stories/'s first
    follows = keep_a_desk(reader, story_slug, article_ids)
    client = Client()
    client.force_login(reader)
    cookie = f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
    return {"member_cookie": cookie, "article_slug": slug, "story_slug": story_slug, "comments": comments,
            "members": len(article_ids) // ARTICLES_PER_MEMBER + COMMENTERS + 1, "member_follows": follows}

