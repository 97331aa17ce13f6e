"""The stories pages: the list, a story, the link on an article, the home and country pages' blocks,
the feed; each within its query budget."""

import json
import re
from pathlib import Path

import pytest

from articles.importing.pipeline import import_inputs
from articles.models import Article, Story

pytestmark = pytest.mark.django_db
LABELLED = json.loads((Path(__file__).parent / "fixtures" / "stories" / "articles.json").read_text())


@pytest.fixture
def labelled(tmp_path):
    path = tmp_path / "stories.json"
    path.write_text(json.dumps(LABELLED))
    assert not import_inputs([str(path)]).failed


def story_titled(title) -> Story:
    return Story.objects.get(headline__title=title)


def test_the_list_shows_the_most_covered_stories_first_with_outlets_and_countries(client, labelled):
    page = client.get("/stories/").content.decode()
    titles = re.findall(r'<h2 class="article-item__title"[^>]*><a href="/stories/[^"]+/"[^>]*>([^<]+)</a>', page)
    counts = [int(n) for n in re.findall(r'data-outlet-count="(\d+)"', page)]
    # The last week's stories, counted back from the newest (22 November): those since the 15th.
    assert len(titles) == 6 and counts == sorted(counts, reverse=True) and counts[0] == 4
    assert "Chad closes border" not in page
    assert "Meridian Wire (United Kingdom)" in page and "Le Quotidien de Dakar (Senegal)" in page


def test_a_story_page_lists_its_articles_by_time_with_their_coverage_and_blindspot(client, labelled):
    story = story_titled("Chad closes border with Sudan after clashes near Adré")
    page = client.get(story.get_absolute_url()).content.decode()
    linked = re.findall(r'<a href="(/articles/[^"]+/)"[^>]* data-story-article[^>]*>', page)
    articles = Article.objects.filter(story_link__story=story).order_by("published_at")
    assert linked == [article.get_absolute_url() for article in articles]
    assert "4 articles from 4 outlets in 4 countries" in page and "en, fr" in page
    assert "Senegal" in page and "Kenya" in page
    # Chad and Sudan are what it is about; none of the outlets is from either, nor from the region.
    assert re.search(r"Blindspot: no outlet from (Chad, Sudan|Sudan, Chad) reported it", page)


def test_wire_copies_are_shown_once_with_the_outlets_that_also_published_them(client, labelled):
    story = story_titled("Ghana raises cocoa farm-gate price by 12 percent")
    page = client.get(story.get_absolute_url()).content.decode()
    assert len(re.findall("data-story-article", page)) == 2  # the wire text once, the French report
    assert "Also published by Lagos Evening Star, Nairobi Ledger." in page


@pytest.mark.parametrize("url", ["/", "/countries/gh/", "/search/?q=cocoa"])
def test_lists_show_a_wire_text_once_with_the_outlets_that_also_published_it(client, labelled, url):
    page = client.get(url).content.decode()
    copies = Article.objects.filter(story_link__duplicate_of__isnull=False)
    assert copies.count() == 2
    for copy in copies:
        assert copy.get_absolute_url() not in page
    original = copies[0].story_link.duplicate_of
    items = re.findall(r'<li class="article-item"[^>]*>.*?</li>', page, re.DOTALL)
    item = next(item for item in items if f'<a href="{original.get_absolute_url()}"' in item)
    assert "also published by Lagos Evening Star, Nairobi Ledger" in item


def test_an_article_of_a_story_links_to_it_and_one_alone_does_not(client, labelled):
    story = story_titled("Magnitude 6.4 earthquake strikes eastern Turkey")
    page = client.get(story.headline.get_absolute_url()).content.decode()
    assert f'<a data-story href="{story.get_absolute_url()}">Also reported by 3 other outlets</a>' in page
    alone = Article.objects.get(title="Magnitude 5.8 earthquake strikes western Iran")
    assert "data-story" not in client.get(alone.get_absolute_url()).content.decode()


def test_the_home_country_and_relation_pages_show_stories(client, labelled):
    home = client.get("/").content.decode()
    assert "Top stories" in home and "data-top-stories" in home
    nigeria = client.get("/countries/ng/").content.decode()
    assert story_titled("NNPC raises petrol pump price to ₦1,150 per litre").get_absolute_url() in nigeria
    pair = client.get("/countries/au/id/").content.decode()
    assert story_titled("Australia and Indonesia sign defence treaty in Jakarta").get_absolute_url() in pair


def test_the_feed_lists_new_and_growing_stories(client, labelled):
    feed = client.get("/stories/feed/").content.decode()
    assert feed.count("<item>") == 12 and "Reported by 4 outlets" in feed


@pytest.mark.parametrize("url,budget", [
    ("/stories/", 3),  # the newest story's date, the stories, their outlets
    ("/stories/{story}/", 3),  # the story, its articles, its countries
    ("/stories/feed/", 2),
    ("/", 6),  # the list's three, the newest story's date, the top stories and their outlets
    ("/countries/ke/", 8),  # the country page's five, the newest story's date, its stories and their outlets
])
def test_story_pages_cost_the_same_few_queries_however_many_stories(client, tmp_path, url, budget,
                                                                    django_assert_max_num_queries):
    def cost():
        story = Story.objects.shown().filter(links__article__country_tags__country="ke").first()
        with django_assert_max_num_queries(budget) as queries:
            assert client.get(url.format(story=story.slug)).status_code == 200
        return len(queries)

    kenya = [item for item in LABELLED if item["story"] == "kenya-rate"]
    (tmp_path / "few.json").write_text(json.dumps(kenya))
    import_inputs([str(tmp_path / "few.json")])
    few = cost()
    (tmp_path / "many.json").write_text(json.dumps([item for item in LABELLED if item["story"] != "kenya-rate"]))
    import_inputs([str(tmp_path / "many.json")])
    assert cost() == few
