import datetime as dt

import pytest
from django.utils import timezone

from articles.elements import ARTICLE_LIST

from .factories import make_article

pytestmark = pytest.mark.django_db

LOAD_MORE = {"HX-Request": "true", "HX-Target": ARTICLE_LIST}


@pytest.fixture
def five_articles(settings):
    settings.NEWSREADER_ARTICLES_PER_PAGE = 2
    now = timezone.now()
    return [make_article(title=f"Story {n}", published_at=now - dt.timedelta(days=n)) for n in range(1, 6)]


def test_list_has_a_real_page_link_and_a_load_more_link_for_htmx(client, five_articles):
    page = client.get("/").content.decode()
    assert 'href="?page=2"' in page
    assert 'hx-get="?page=2"' in page and f'hx-target="#{ARTICLE_LIST}"' in page
    assert f'id="{ARTICLE_LIST}"' in page
    assert "1–2 of 5" in page


def test_load_more_answers_the_next_items_and_a_new_pager_only(client, five_articles, django_assert_max_num_queries):
    # The count, the items, and their country tags.
    with django_assert_max_num_queries(3):
        response = client.get("/?page=2", headers=LOAD_MORE)
    html = response.content.decode()
    assert "<html" not in html and "masthead" not in html
    assert "Story 3" in html and "Story 4" in html and "Story 1" not in html
    assert html.count("autofocus") == 1  # htmx moves focus to the first new item
    assert 'hx-swap-oob="true"' in html and 'hx-get="?page=3"' in html
    assert "1–4 of 5" in html
    assert "HX-Request" in response["Vary"] and "HX-Target" in response["Vary"]


def test_last_page_has_no_load_more(client, five_articles):
    html = client.get("/?page=3", headers=LOAD_MORE).content.decode()
    assert "Story 5" in html and "Load more" not in html


def test_other_htmx_requests_get_the_whole_page(client, five_articles):
    html = client.get("/", headers={"HX-Request": "true"}).content.decode()
    assert "<html" in html
