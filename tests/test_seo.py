"""Meta tags, JSON-LD, sitemap and robots.txt: built from what anyone may read."""

import json
import re

import pytest

from .factories import make_article, make_member

pytestmark = pytest.mark.django_db
SECRET = "The members-only sentence about the quinquereme treaty."


def gated(**fields):
    return make_article(
        title="Gated Analysis", author="Ana Reyes",
        paragraphs=["Free opening on Kenya.", "Second free paragraph.", SECRET, "More for members."],
        free_blocks=2, **fields,
    )


def json_ld(page):
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_gated_article_has_paywall_structured_data_from_the_free_text(client):
    article = gated()
    page = client.get(article.get_absolute_url()).content.decode()
    data = json_ld(page)
    assert data["@type"] == "NewsArticle" and data["headline"] == "Gated Analysis"
    assert data["author"] == [{"@type": "Person", "name": "Ana Reyes"}]
    assert data["publisher"]["name"] == "newsreader"
    assert data["datePublished"].startswith(article.published_at.date().isoformat())
    assert data["isAccessibleForFree"] is False
    assert data["hasPart"] == {"@type": "WebPageElement", "isAccessibleForFree": False, "cssSelector": ".paywall"}
    assert 'class="paywall"' in page  # the selector names an element on the page
    assert data["description"].startswith("Free opening on Kenya.")


def test_a_members_page_carries_the_same_public_metadata(client):
    article = gated()
    client.force_login(make_member())
    page = client.get(article.get_absolute_url()).content.decode()
    assert SECRET in page  # the member reads it…
    head = page.split("</head>")[0]
    assert SECRET not in head and "More for members" not in head  # …but no meta tag carries it
    assert json_ld(page)["isAccessibleForFree"] is False


def test_free_article_is_accessible_for_free(client):
    article = make_article(title="Open", access="free", paragraphs=["Everything."])
    data = json_ld(client.get(article.get_absolute_url()).content.decode())
    assert data["isAccessibleForFree"] is True and "hasPart" not in data


def test_meta_tags_canonical_open_graph_and_twitter(client):
    article = gated(dek="A standfirst & more")
    page = client.get(article.get_absolute_url()).content.decode()
    url = f"http://testserver{article.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in page
    assert '<meta name="description" content="A standfirst &amp; more">' in page
    assert '<meta property="og:type" content="article">' in page
    assert f'<meta property="og:url" content="{url}">' in page
    assert '<meta property="og:title" content="Gated Analysis">' in page
    assert '<meta name="twitter:card"' in page and '<meta name="twitter:title" content="Gated Analysis">' in page


def test_json_ld_cannot_be_broken_out_of(client):
    article = make_article(title="</script><script>alert(1)</script>", access="free", paragraphs=["x"])
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert json_ld(page)["headline"] == "</script><script>alert(1)</script>"


def test_sitemap_lists_articles_countries_and_pages(client):
    article = gated()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    page = response.content.decode()
    assert f"<loc>http://testserver{article.get_absolute_url()}</loc>" in page
    assert "<loc>http://testserver/countries/ke/</loc>" in page
    assert "<loc>http://testserver/countries/</loc>" in page and "<lastmod>" in page
    assert "/countries/pe/" not in page  # no article mentions Peru


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "User-agent: *" in text and "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
