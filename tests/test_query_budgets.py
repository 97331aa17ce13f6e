"""Every page's SQL budget, for each kind of reader: the same number of queries whether the site
holds one article or many, with many comments and tags on what is shown."""

import itertools

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article

from .factories import make_article, make_comment, make_member, make_user

pytestmark = pytest.mark.django_db
NUMBERS = itertools.count(1)
SLUG = "the-featured-analysis"

# (url, reader, budget): the most queries the page may cost with the page cache off.
PAGES = [
    ("/", "anonymous", 6),  # the count, the page, the page's country tags; the newest story's date, the top stories, their outlets
    ("/?page=2", "anonymous", 3),
    ("/", "member", 9),  # and session, user, membership
    (f"/articles/{SLUG}/", "anonymous", 5),  # article, comments, country and actor tags, membership-free
    (f"/articles/{SLUG}/", "member", 8),
    (f"/articles/{SLUG}/comments/", "anonymous", 2),
    (f"/articles/{SLUG}/comments/", "member", 5),
    ("/countries/", "anonymous", 1),
    ("/countries/ru/", "anonymous", 8),  # and the newest story's date, its stories, their outlets
    ("/countries/cn/ru/", "anonymous", 8),
    # The query read in every language articles are written in, how many PostgreSQL expects to
    # match, the candidates, the count, the page, its country tags, the country filter.
    ("/search/?q=russia", "anonymous", 7),
    ("/search/?q=russia", "member", 10),
    ("/accounts/", "member", 4),
    # The desk, whatever is followed (tests/test_desk.py follows five subjects at the same cost).
    ("/desk/", "member", 15),
    ("/actors/un/", "anonymous", 4),  # the actor, the count, the page, its tags
    ("/accounts/signup/", "anonymous", 0),
    ("/membership/", "anonymous", 0),
    ("/membership/", "member", 4),
    ("/accounts/login/", "anonymous", 0),
    ("/healthz", "anonymous", 1),
]


def more(*, articles: int, threads: int) -> None:
    """Add articles (all mentioning Russia and China) and comment threads under the featured one."""
    featured = Article.objects.filter(slug=SLUG).first() or make_article(
        title="The Featured Analysis", paragraphs=["Russia and China met.", "China and Russia agreed."]
    )
    for _ in range(threads):
        make_comment(article=featured, parent=make_comment(article=featured))
    for n in range(articles):
        make_article(title=f"Story {next(NUMBERS)}", paragraphs=[f"Russia, China, India and Brazil, part {n}."])
    # And one event reported by two outlets: a story more for the pages that list stories.
    event = next(NUMBERS)
    for outlet in ("Meridian Wire", "Harbour Post"):
        make_article(title=f"Kazan summit {event}: Russia and China sign Volga accord", source_name=f"{outlet} {event}",
                     paragraphs=[f"In Kazan, Russia and China signed the Volga accord worth {event}91,400 roubles."])


def cost(url: str, reader: str) -> int:
    client = Client()
    if reader == "member":
        client.force_login(make_member())
    elif reader == "signed-in":
        client.force_login(make_user())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url,reader,budget", PAGES)
def test_a_page_costs_the_same_few_queries_however_much_it_shows(url, reader, budget, settings):
    settings.NEWSREADER_ARTICLES_PER_PAGE = 10
    more(articles=11, threads=1)
    small = cost(url, reader)
    more(articles=15, threads=8)
    assert small == cost(url, reader) <= budget
