"""Country pages: the index by region, one country, two countries, and tags on other pages."""

import datetime as dt

import pytest
from django.utils import timezone

from .factories import make_article

pytestmark = pytest.mark.django_db


def days_ago(n):
    return timezone.now() - dt.timedelta(days=n)


def test_index_lists_countries_with_articles_by_region_with_counts(client):
    make_article(title="One", paragraphs=["Kenya and Peru."])
    make_article(title="Two", paragraphs=["Kenya again."])
    page = client.get("/countries/").content.decode()
    assert page.index("Africa") < page.index("Kenya") < page.index("Americas") < page.index("Peru")
    assert '<a href="/countries/ke/" data-country="ke">Kenya</a> <span class="count">2</span>' in page
    assert "Chile" not in page


def test_country_page_lists_its_articles_newest_first_paginated(client, settings):
    settings.NEWSREADER_ARTICLES_PER_PAGE = 2
    for days, title in [(3, "Oldest"), (1, "Newest"), (2, "Middle")]:
        make_article(title=f"{title} story", paragraphs=["Mali and Niger signed."], published_at=days_ago(days))
    make_article(title="Elsewhere", paragraphs=["Peru."])
    page = client.get("/countries/ml/").content.decode()
    assert "<h1 class=\"page-title\">Mali</h1>" in page
    assert page.index("Newest story") < page.index("Middle story")
    assert "Oldest story" not in page and "Elsewhere" not in page
    assert "Oldest story" in client.get("/countries/ml/?page=2").content.decode()
    assert 'href="/countries/ml/ne/"' in page  # Niger appears alongside, linking to the pair


def test_unknown_country_is_404(client):
    assert client.get("/countries/zz/").status_code == 404
    assert client.get("/countries/zz/ml/").status_code == 404
    assert client.get("/countries/usa/").status_code == 404


def test_pair_page_redirects_to_one_order(client):
    response = client.get("/countries/ua/ru/")
    assert response.status_code == 301 and response["Location"] == "/countries/ru/ua/"
    assert client.get("/countries/ru/ru/")["Location"] == "/countries/ru/"


def test_pair_page_lists_articles_mentioning_both_with_a_timeline(client):
    make_article(title="Both now", paragraphs=["Russia and Ukraine."], published_at=days_ago(1))
    make_article(title="Both before", paragraphs=["Moscow and Kyiv."], published_at=days_ago(70))
    make_article(title="Only Russia", paragraphs=["Russia."])
    page = client.get("/countries/ru/ua/").content.decode()
    assert "Russia and Ukraine" in page
    assert page.index("Both now") < page.index("Both before") and "Only Russia" not in page
    months = {days_ago(1).strftime("%Y-%m"), days_ago(70).strftime("%Y-%m")}
    for month in months:
        assert f'data-month="{month}" data-count="1"' in page
    assert page.count("data-month=") == 2


@pytest.mark.parametrize("count", [1, 25])
def test_country_pages_cost_a_constant_number_of_queries(client, django_assert_max_num_queries, count):
    for n in range(count):
        make_article(title=f"Story {n}", paragraphs=["Chile, Peru and Bolivia."])
    # A country's or a relation's page: five, and its stories with their outlets.
    for url, queries in [("/countries/", 1), ("/countries/cl/", 7), ("/countries/cl/pe/", 7)]:
        with django_assert_max_num_queries(queries):
            assert client.get(url).status_code == 200


def test_list_items_and_article_pages_link_their_countries(client):
    article = make_article(title="Seoul and Tokyo", paragraphs=["South Korea met Japan at the UN."])
    listing = client.get("/").content.decode()
    assert 'href="/countries/kr/" data-country="kr">South Korea</a>' in listing
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'href="/countries/jp/" data-country="jp">Japan</a>' in page
    assert 'data-actor="un">United Nations<' in page


def test_the_companions_of_a_country_are_counted_in_its_latest_articles(client, monkeypatch):
    from articles.views import countries

    monkeypatch.setattr(countries, "RELATED_FROM", 2)
    day = timezone.now() - dt.timedelta(days=10)
    make_article(title="Old Peru and Chile", paragraphs=["Peru and Chile met."], published_at=day)
    for n in range(2):
        make_article(title=f"Peru and Bolivia {n}", paragraphs=["Peru and Bolivia met."], published_at=day + dt.timedelta(days=n + 1))
    page = client.get("/countries/pe/").content.decode()
    assert 'data-country-pair="bo"' in page and 'data-country-pair="cl"' not in page
    assert "Most often alongside Peru lately" in page
