"""Every page marks an article's own words with its language, and a right-to-left language with
its direction: the article page, lists, search results, country pages, feeds and structured data.
The page around them stays in the site's language."""

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import lxml.html
import pytest

from articles.importing.pipeline import import_inputs
from articles.models import Article

from .factories import make_article

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "languages"
ARABIC = "alswdyh-wiyran-twqan-atfaqa-jdyda-lltjarh"
RUSSIAN = "moskva-i-pekin-podpisali-novoe-soglashenie-o-torgovle"
CHINESE = "zhong-guo-yu-yue-nan-qian-shu-xin-de-mao-yi-xie-yi"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture(autouse=True)
def six_languages():
    assert import_inputs([str(FIXTURES / "articles.json")]).ok


def html(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def find(page, xpath):
    return page.xpath(xpath)


def marks(element):
    return element.get("lang"), element.get("dir")


def test_the_article_page_marks_title_dek_and_text_and_names_the_language(client):
    page = html(client, f"/articles/{ARABIC}/")
    assert page.get("lang") == "en"  # the page's own words
    assert marks(find(page, "//h1")[0]) == ("ar", "rtl")
    assert marks(find(page, "//*[@data-article-body]")[0]) == ("ar", "rtl")
    assert find(page, "//*[@data-language]")[0].text_content() == "Arabic"
    russian = html(client, f"/articles/{RUSSIAN}/")
    assert marks(find(russian, "//*[@data-article-body]")[0]) == ("ru", None)


def test_an_article_in_the_sites_language_names_none(client):
    article = make_article(title="Grain", paragraphs=["Grain ships left the port on Monday morning."], language="en")
    page = html(client, article.get_absolute_url())
    assert marks(find(page, "//*[@data-article-body]")[0]) == ("en", None)
    assert not find(page, "//*[@data-language]")


def test_list_items_mark_title_and_excerpt(client):
    page = html(client, "/")
    for slug, language, direction in [(ARABIC, "ar", "rtl"), (CHINESE, "zh", None), (RUSSIAN, "ru", None)]:
        link = find(page, f'//a[@href="/articles/{slug}/"]')[0]
        item = link.getparent().getparent()
        assert link.get("lang") == language
        assert link.getparent().get("dir") == direction  # the title's block is aligned to it
        assert marks(find(item, ".//p[contains(@class, 'article-item__dek')]")[0]) == (language, direction)


def test_search_results_mark_their_snippets(client):
    page = html(client, "/search/?q=السعودية")
    snippet = find(page, "//*[@data-snippet]")[0]
    assert marks(snippet) == ("ar", "rtl")
    page = html(client, "/search/?q=越南")
    assert marks(find(page, "//*[@data-snippet]")[0]) == ("zh", None)


def test_country_pages_mark_their_articles(client):
    page = html(client, "/countries/sa/")
    assert find(page, f'//a[@href="/articles/{ARABIC}/"]')[0].get("lang") == "ar"


def test_rss_items_say_their_language_and_mark_their_text(client):
    channel = ET.fromstring(client.get("/feed/").content).find("channel")
    assert channel.findtext("language") == "en-us"  # six languages: the site's
    items = {item.findtext("title"): item for item in channel.findall("item")}
    arabic = items["السعودية وإيران توقعان اتفاقا جديدا للتجارة"]
    assert arabic.findtext("{http://purl.org/dc/elements/1.1/}language") == "ar"
    assert arabic.findtext("description").startswith('<div lang="ar" dir="rtl">')


def test_atom_entries_carry_xml_lang(client):
    feed = ET.fromstring(client.get("/feed/atom/").content)
    entries = {e.findtext("{http://www.w3.org/2005/Atom}title"): e for e in feed.iter("{http://www.w3.org/2005/Atom}entry")}
    assert entries["中国与越南签署新的贸易协议"].get(XML_LANG) == "zh"
    assert entries["Deutschland und Polen unterzeichnen ein Abkommen"].get(XML_LANG) == "de"


def test_a_feed_of_one_language_says_it(client):
    Article.objects.exclude(slug=RUSSIAN).delete()
    channel = ET.fromstring(client.get("/feed/").content).find("channel")
    assert channel.findtext("language") == "ru"
    assert ET.fromstring(client.get("/feed/atom/").content).get(XML_LANG) == "ru"


def test_structured_data_gives_the_language(client):
    page = client.get(f"/articles/{CHINESE}/").content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["inLanguage"] == "zh"


def test_a_chinese_articles_excerpt_and_description_are_short(client):
    article = Article.objects.get(slug=CHINESE)
    assert len(article.excerpt) < 160  # 40 "words" of text without spaces would be all of it
    page = html(client, article.get_absolute_url())
    assert find(page, '//meta[@name="description"]')[0].get("content") == article.excerpt
