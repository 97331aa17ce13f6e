"""Full-text search: syntax, ranking, snippets, filters, gated text, htmx, bad input."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.elements import SEARCH_RESULTS
from articles.models import Article
from articles.models import articles as articles_models
from articles.models.search import ReadQuery

from .factories import make_article, make_lapsed_member, make_member

pytestmark = pytest.mark.django_db
LIVE = {"HX-Request": "true", "HX-Target": SEARCH_RESULTS}


def days_ago(n):
    return timezone.now() - dt.timedelta(days=n)


def search(client, query="", **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return response.content.decode()


def gated(**fields):
    return make_article(
        title=fields.pop("title", "Harbour Diplomacy"),
        paragraphs=["The free opening speaks of harbours.", "The second free paragraph.",
                    "Members read that the quartermaster signed the zephyrine accord.", "More members text."],
        free_blocks=2,
        **fields,
    )


def test_finds_by_words_ranked_with_highlighted_snippets(client):
    make_article(title="Grain exports recover", paragraphs=["Grain ships left Odesa.", "Grain prices fell."])
    make_article(title="Fisheries", paragraphs=["A note on fish, and one mention of grain."])
    make_article(title="Unrelated", paragraphs=["Nothing to see."])
    page = search(client, "grain")
    assert 'data-result-count="2"' in page
    assert page.index("Grain exports recover") < page.index("Fisheries")
    assert "<mark>Grain</mark> ships" in page
    assert "Unrelated" not in page


def test_websearch_syntax_phrases_exclusion_and_or(client):
    make_article(title="One", paragraphs=["The black sea fleet moved."])
    make_article(title="Two", paragraphs=["A sea that is black with oil; grain too."])
    assert 'data-result-count="1"' in search(client, '"black sea"')
    assert 'data-result-count="1"' in search(client, "black sea -grain")
    assert 'data-result-count="2"' in search(client, "fleet or grain")


def test_stemming_finds_other_forms(client):
    make_article(title="Sanctions", paragraphs=["Ministers sanctioned three banks."])
    assert 'data-result-count="1"' in search(client, "sanctioning")


def test_filters_by_country_and_date_range(client):
    make_article(title="Old Peru grain", paragraphs=["Peru grain."], published_at=days_ago(40))
    make_article(title="New Peru grain", paragraphs=["Peru grain."], published_at=days_ago(2))
    make_article(title="New Chile grain", paragraphs=["Chile grain."], published_at=days_ago(2))
    page = search(client, "grain", country="pe")
    assert "Old Peru grain" in page and "New Peru grain" in page and "Chile grain" not in page
    since = days_ago(10).date().isoformat()
    page = search(client, "grain", since=since, until=timezone.now().date().isoformat())
    assert "New Peru grain" in page and "New Chile grain" in page and "Old Peru grain" not in page
    page = search(client, "grain", until=days_ago(30).date().isoformat())
    assert "Old Peru grain" in page and "New Peru grain" not in page


def test_results_are_paginated_with_the_query_kept(client, settings):
    settings.NEWSREADER_ARTICLES_PER_PAGE = 2
    for n in range(5):
        make_article(title=f"Grain story {n}", paragraphs=["Grain."])
    page = search(client, "grain")
    assert 'href="?q=grain&amp;page=2"' in page
    assert page.count("data-snippet") == 2
    assert search(client, "grain", page=3).count("data-snippet") == 1


@pytest.mark.parametrize("query", ["", "   ", "the", "!!!", "a & | ! ( ) : * <>", "x" * 200, '"unterminated', "-"])
def test_empty_and_absurd_queries_answer_200(client, query):
    make_article(title="Something", paragraphs=["Text."])
    search(client, query)


def test_bad_input_re_renders_the_form_with_errors(client):
    page = search(client, "grain", since="2030-01-01", until="2020-01-01", country="zz")
    assert "The end date is before the start date." in page
    assert "Select a valid choice" in page
    assert search(client, "x" * 201).count("at most 200 characters") == 1


def test_query_is_echoed_escaped(client):
    page = search(client, '<script>alert("x")</script>')
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_snippet_text_is_escaped_even_inside_highlights(client):
    make_article(title="Markup", paragraphs=["Beware &lt;b&gt;bold&lt;/b&gt; grain claims."])
    page = search(client, "grain")
    assert "<mark>grain</mark>" in page and "<b>bold" not in page


@pytest.mark.parametrize("reader", ["anonymous", "lapsed"])
def test_non_members_never_find_or_see_gated_text(client, reader):
    gated()
    if reader == "lapsed":
        client.force_login(make_lapsed_member())
    page = search(client, "zephyrine accord")
    assert 'data-result-count="0"' in page and "Harbour Diplomacy" not in page
    assert "quartermaster" not in page
    # Found by its free text, the snippet is the free text, with the Members badge.
    page = search(client, "harbours")
    assert "Harbour Diplomacy" in page and "Members</span>" in page
    assert "quartermaster" not in page and "zephyrine" not in page and "More members text" not in page


def test_members_search_everything_and_see_it_quoted(client):
    gated()
    client.force_login(make_member())
    page = search(client, "zephyrine accord")
    assert 'data-result-count="1"' in page
    assert "<mark>zephyrine</mark> <mark>accord</mark>" in page


def test_live_search_answers_only_the_results(client):
    make_article(title="Grain", paragraphs=["Grain."])
    response = client.get("/search/", {"q": "grain"}, headers=LIVE)
    html = response.content.decode()
    assert html.lstrip().startswith(f'<div id="{SEARCH_RESULTS}"') and "<html" not in html
    assert "HX-Request" in response["Vary"]
    # A history restore (the browser's back button) gets the whole page.
    restore = client.get("/search/", {"q": "grain"}, headers=LIVE | {"HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


def test_common_words_are_bounded_to_the_newest_candidates(client, settings, monkeypatch):
    monkeypatch.setattr("articles.views.search.SEARCH_CANDIDATES", 3)
    for n in range(5):
        make_article(title=f"Grain {n}", paragraphs=["Grain."], published_at=days_ago(n))
    page = search(client, "grain")
    assert 'data-result-count="3"' in page and "3+ articles" in page
    assert "Grain 4" not in page and "Grain 0" in page


@pytest.mark.parametrize("count", [1, 25])
def test_search_costs_a_constant_number_of_queries(client, django_assert_max_num_queries, count):
    for n in range(count):
        make_article(title=f"Grain {n}", paragraphs=["Grain and Peru."])
    # The chosen country, the form's countries, the query read in every language articles are
    # written in, how many PostgreSQL expects to match, the candidates, the count, the page, its tags.
    with django_assert_max_num_queries(8):
        search(client, "grain", country="pe")


@pytest.mark.parametrize("few_matches", [0, 1_000_000])
def test_the_newest_matches_are_the_same_taken_from_either_index(monkeypatch, few_matches):
    """Many expected: read newest first until enough match; few: all matches, then sorted. Both
    give the newest, in order, ties by id."""
    monkeypatch.setattr(articles_models, "FEW_MATCHES", few_matches)
    day = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)
    made = [make_article(title=f"Harbour {n}", paragraphs=["Harbour talks."], published_at=day + dt.timedelta(days=n % 4))
            for n in range(8)]
    make_article(title="Unrelated", paragraphs=["Nothing here."], published_at=day + dt.timedelta(days=9))
    query = ReadQuery(Article.objects.readings("harbour", also="en")[0])
    newest = sorted(made, key=lambda a: (a.published_at, a.pk), reverse=True)
    assert Article.objects.matching(query, ["search_public"]).newest_ids(5) == [a.pk for a in newest[:5]]


def test_candidate_ids_go_to_the_database_as_one_array():
    """`id__any`: the SQL is the same for 2 candidates or 300, and it matches exactly those ids."""
    first, _, third = (make_article(title=f"Array {n}", paragraphs=["Text."]) for n in range(3))
    chosen = Article.objects.filter(pk__any=[first.pk, third.pk])
    assert sorted(chosen.values_list("title", flat=True)) == ["Array 0", "Array 2"]
    assert not Article.objects.filter(pk__any=[]).exists()
    sql, params = chosen.query.sql_with_params()
    many_sql, many_params = Article.objects.filter(pk__any=list(range(300))).query.sql_with_params()
    assert sql == many_sql and len(params) == len(many_params) == 1
