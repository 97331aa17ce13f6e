"""Search in the language each article is written in: PostgreSQL's stemming for Russian, German,
French, Spanish, Arabic…; Chinese, Japanese and Korean found by word (pairs of letters); the
query read in every language the site carries; the gate holds in every script."""

from pathlib import Path

import pytest
from django.db import connection

from articles.importing.pipeline import import_inputs
from articles.models import Article
from articles.models.search import BIGRAM_RUN, bigrams, with_phrases

from .factories import make_article, make_member
from .test_search import search

pytestmark = pytest.mark.django_db
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "languages"


@pytest.fixture
def six_languages():
    assert import_inputs([str(FIXTURES / "articles.json")]).ok


def found(client, query, **params):
    """The slugs of the articles a search finds, best first."""
    page = search(client, query, **params)
    return [slug for slug in Article.objects.values_list("slug", flat=True) if f'href="/articles/{slug}/"' in page]


@pytest.mark.parametrize("query,article", [
    ("соглашения", "moskva-i-pekin-podpisali-novoe-soglashenie-o-torgovle"),  # the text says соглашение
    ("переговор", "moskva-i-pekin-podpisali-novoe-soglashenie-o-torgovle"),  # Переговоры
    ("Abkommens", "deutschland-und-polen-unterzeichnen-ein-abkommen"),  # Abkommen
    ("Regierung", "deutschland-und-polen-unterzeichnen-ein-abkommen"),  # Regierungen
    ("négociation", "lalgerie-et-le-maroc-relancent-leurs-negociations"),  # négociations
    ("acuerdos", "mexico-y-colombia-firman-un-acuerdo-comercial"),  # acuerdo
    ("الاتفاقات", "alswdyh-wiyran-twqan-atfaqa-jdyda-lltjarh"),  # الاتفاق
])
def test_an_inflected_word_finds_the_other_forms_in_the_articles_language(client, six_languages, query, article):
    assert found(client, query) == [article]


@pytest.mark.parametrize("query", ["越南", "贸易协议", "越南政府", '"边境贸易"', "农产品 关税"])
def test_chinese_is_found_by_word(client, six_languages, query):
    assert found(client, query) == ["zhong-guo-yu-yue-nan-qian-shu-xin-de-mao-yi-xie-yi"]


def test_a_chinese_snippet_marks_the_word_found(client, six_languages):
    page = search(client, "越南政府")
    assert "<mark>越南政府</mark>表示" in page
    assert "\ue002" not in page  # the letters' separators are taken out of the snippet


def test_chinese_words_match_whole_not_letter_by_letter(client, six_languages):
    assert found(client, "南越") == []  # both letters are in the text, never together
    assert found(client, "越南 -贸易") == []


def test_japanese_and_korean_are_found_by_word(client):
    japanese = make_article(title="日本と韓国が新しい貿易協定に署名した", paragraphs=["両国の首脳は東京で会談した。"])
    korean = make_article(title="한국과 일본이 새로운 무역 협정에 서명했다", paragraphs=["양국 정상은 서울에서 만났다."])
    assert (japanese.language, korean.language) == ("ja", "ko")
    assert found(client, "貿易協定") == [japanese.slug]
    assert found(client, "首脳") == [japanese.slug]
    assert found(client, "무역") == [korean.slug]
    assert found(client, "한국") == [korean.slug]  # 한국과: "Korea" with its particle joined


def test_english_is_still_stemmed_beside_other_languages(client, six_languages):
    make_article(title="Sanctions", paragraphs=["Ministers sanctioned three banks."], language="en")
    assert found(client, "sanctioning") == ["sanctions"]


def test_members_text_in_chinese_stays_behind_the_gate(client):
    article = make_article(
        title="边境贸易谈判", paragraphs=["双方在河内举行会谈。", "第二段公开文字。", "会员才能读到的机密条款涉及关税。"],
        free_blocks=2,
    )
    assert found(client, "机密条款") == []
    page = search(client, "边境贸易")
    assert article.slug in page and "机密" not in page
    client.force_login(make_member())
    assert "<mark>机密条款</mark>" in search(client, "机密条款")


def test_the_search_function_pairs_letters_as_the_query_does():
    """The SQL function that indexes (migration 0018) and the Python that reads a query find the
    same runs and make the same pairs, at every edge of every range of letters."""
    text = "々〆〇ぁゟ゠ヿ㐀䶿一鿿豈﫿ｦﾟ𠀀𱍏가힯 x 中 〄ｚ 中国与越南"
    with connection.cursor() as cursor:
        cursor.execute("SELECT article_search_bigrams(%s)", [text])
        indexed = cursor.fetchone()[0].split()
    assert indexed == [pair for run in BIGRAM_RUN.findall(text) for pair in bigrams(run)]
    assert indexed[-4:] == ["中国", "国与", "与越", "越南"]


@pytest.mark.parametrize("query,read", [
    ("越南", '"越南" '),
    ("越南政府", '"越南 南政 政府" '),
    ('"越南政府 协议"', '"越南 南政 政府  协议 "'),
    ("-越南 trade", '-"越南"  trade'),
    ("G20峰会", 'G20 "峰会" '),
])
def test_a_querys_chinese_words_become_phrases_of_pairs(query, read):
    assert with_phrases(query, bigrams) == read


def test_a_query_is_read_in_every_language_articles_are_written_in_and_the_sites(six_languages):
    (readings,) = Article.objects.readings("Abkommens", also="en")
    # German's stem, English's (a plural -s), and the word whole (French, Spanish, Russian, Arabic, simple).
    assert readings == ["'abkomm'", "'abkommen'", "'abkommens'"]
    assert Article.objects.readings("the", also="en") == [["'the'"]]  # an English stop word, a word in simple
    Article.objects.exclude(language="en").delete()
    assert Article.objects.readings("the government", also="en") == [["'govern'"]]
