"""RSS and Atom feeds: newest articles, free text only, "Continue reading" for gated ones."""

import datetime as dt
import re
import threading
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from .factories import make_article, make_member

pytestmark = pytest.mark.django_db
SECRET = "The members-only sentence about the quinquereme treaty."


def gated():
    return make_article(
        title="Gated Analysis", author="Ana Reyes",
        paragraphs=["Free opening on Kenya.", "Second free paragraph.", SECRET, "More for members."], free_blocks=2,
    )


def test_rss_lists_newest_first_with_free_text_and_a_continue_link(client):
    make_article(title="Older free", access="free", paragraphs=["All of it, about Peru."],
                 published_at=timezone.now() - dt.timedelta(days=3))
    gated()
    response = client.get("/feed/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Gated Analysis", "Older free"]
    description = items[0].findtext("description")
    assert "Second free paragraph." in description and "Continue reading" in description
    assert "http://testserver/articles/gated-analysis/" in description
    assert "Continue reading" not in items[1].findtext("description")
    assert items[0].findtext("category") == "Kenya"
    assert SECRET not in response.content.decode()


def test_atom_feed_carries_the_same(client):
    gated()
    response = client.get("/feed/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    page = response.content.decode()
    assert "<feed" in page and "Gated Analysis" in page and "Continue reading" in page and SECRET not in page


def test_a_member_gets_the_same_public_feed(client):
    gated()
    client.force_login(make_member())
    assert SECRET not in client.get("/feed/").content.decode()


def test_country_feed_has_only_that_countrys_articles(client):
    gated()
    make_article(title="About Peru", paragraphs=["Peru."])
    page = client.get("/countries/ke/feed/").content.decode()
    assert "Gated Analysis" in page and "About Peru" not in page and "newsreader: Kenya" in page
    assert client.get("/countries/zz/feed/").status_code == 404


def test_pages_point_to_their_feeds(client):
    article = gated()
    for url in ["/", article.get_absolute_url(), "/countries/"]:
        page = client.get(url).content.decode()
        assert '<link rel="alternate" type="application/rss+xml" title="newsreader (RSS)" href="/feed/">' in page
        assert 'type="application/atom+xml"' in page
    assert 'href="/countries/ke/feed/"' in client.get("/countries/ke/").content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_feeds_cost_a_constant_number_of_queries(client, django_assert_max_num_queries, count):
    for n in range(count):
        make_article(title=f"Story {n}", paragraphs=["Peru and Chile."])
    with django_assert_max_num_queries(2):
        client.get("/feed/")
    with django_assert_max_num_queries(3):
        client.get("/countries/pe/feed/")


@pytest.mark.django_db(transaction=True)
def test_concurrent_feeds_for_two_hosts_each_link_to_their_own_host():
    """gunicorn serves a worker's requests on two threads, through the one feed view."""
    for number in range(10):
        make_article(title=f"Gated number {number}", paragraphs=["Free, on Kenya.", "Also free.", SECRET], free_blocks=2)
    barrier = threading.Barrier(2)

    def read_feeds(host):
        client, links = Client(), set()
        barrier.wait()
        try:
            for _ in range(15):
                for url in ["/feed/", "/feed/atom/", "/countries/ke/feed/"]:
                    page = client.get(url, HTTP_HOST=host).content.decode()
                    links |= set(re.findall(r'href="https?://([^/"]+)/articles/', page))
        finally:
            connection.close()  # this thread's own
        return links

    with ThreadPoolExecutor(2) as pool:
        assert list(pool.map(read_feeds, ["localhost", "127.0.0.1"])) == [{"localhost"}, {"127.0.0.1"}]
