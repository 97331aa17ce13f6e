"""Grouping at import and on edit, and staff decisions that later imports respect."""

import datetime as dt
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.actions import stories
from articles.importing.pipeline import import_inputs
from articles.models import Article, Source, Story, StoryArticle
from articles.stories import grouping

pytestmark = pytest.mark.django_db
LABELLED = json.loads((Path(__file__).parent / "fixtures" / "stories" / "articles.json").read_text())


def labelled(story: str) -> list[dict]:
    return [dict(item) for item in LABELLED if item["story"] == story]  # a test may change its copies


def imported(tmp_path, items, name="in.json"):
    path = tmp_path / name
    path.write_text(json.dumps(items))
    report = import_inputs([str(path)])
    assert not report.failed, report.failed
    return report


def story_of(item) -> Story | None:
    return StoryArticle.objects.get(article__source_url=item["url"]).story


def test_reports_of_one_event_by_several_outlets_become_one_story(tmp_path):
    chad = labelled("chad-border")
    imported(tmp_path, chad)
    story = story_of(chad[0])
    assert story is not None and all(story_of(item) == story for item in chad)
    assert (story.article_count, story.outlet_count, story.country_count) == (4, 4, 4)
    assert story.title == chad[0]["title"] and story.headline.source_url == chad[0]["url"]


def test_an_article_imported_later_joins_the_story(tmp_path):
    quake = labelled("turkey-quake")
    imported(tmp_path, quake[:2], "first.json")
    imported(tmp_path, quake[2:], "later.json")
    assert Story.objects.count() == 1 and Story.objects.get().article_count == 4


def test_templated_reports_follow_ups_and_opinion_stay_apart(tmp_path):
    chosen = [label for label in ("kenya-rate", "nigeria-rate-hold", "india-china-run-up", "india-china-talks",
                                  "india-china-opinion", "bangladesh-cyclone", "bangladesh-rebuild")]
    imported(tmp_path, [item for item in LABELLED if item["story"] in chosen])
    for distractor in ("nigeria-rate-hold", "india-china-run-up", "india-china-opinion", "bangladesh-rebuild"):
        assert story_of(labelled(distractor)[0]) is None, distractor


def test_the_same_wire_copy_is_marked_as_a_duplicate_of_the_first(tmp_path):
    cocoa = labelled("ghana-cocoa")
    imported(tmp_path, cocoa)
    first = Article.objects.get(source_url=cocoa[0]["url"])
    duplicates = StoryArticle.objects.filter(duplicate_of=first).values_list("article__source_url", flat=True)
    assert set(duplicates) == {cocoa[1]["url"], cocoa[2]["url"]}  # the French report is written anew


def test_an_edit_that_changes_the_event_takes_the_article_out(tmp_path):
    peru = labelled("peru-protests")
    imported(tmp_path, peru)
    changed = peru[2] | {"title": "Le Ghana relève le prix du cacao", "body": "Accra a relevé de 12 % le prix du cacao."}
    imported(tmp_path, [changed], "changed.json")
    assert story_of(peru[2]) is None and story_of(peru[0]).article_count == 2


def test_a_split_and_a_rename_survive_later_imports(tmp_path):
    quake = labelled("turkey-quake")
    imported(tmp_path, quake)
    story = story_of(quake[0])
    stories.rename(story, "The Malatya earthquake")
    alone = Article.objects.get(source_url=quake[3]["url"])
    assert stories.split([alone.pk]) is None
    # The article comes again, changed; and a new report of the event arrives.
    imported(tmp_path, [quake[3] | {"body": quake[3]["body"] + "\n\nThe toll rose to 31."}], "again.json")
    imported(tmp_path, [quake[0] | {"url": "https://example.org/new", "source": "Another Wire"}], "new.json")
    assert story_of(quake[3]) is None
    story.refresh_from_db()
    assert story.title == "The Malatya earthquake" and story.article_count == 4  # three, and the new one


def test_merged_stories_stay_merged(tmp_path):
    india, opinion = labelled("india-china-talks"), labelled("india-china-opinion")
    imported(tmp_path, india + opinion)
    essay = Article.objects.get(source_url=opinion[0]["url"])
    stories.split([essay.pk])
    assert story_of(opinion[0]) is None
    alone = stories.split([Article.objects.get(source_url=india[0]["url"]).pk, essay.pk], title="Border diplomacy")
    merged = stories.rename(stories.merge([alone, story_of(india[1])]), "Border diplomacy")
    imported(tmp_path, [opinion[0] | {"body": opinion[0]["body"] + "\n\nA postscript."}], "again.json")
    merged.refresh_from_db()
    assert story_of(opinion[0]) == merged and merged.article_count == 5 and merged.title == "Border diplomacy"


def test_grouping_a_new_article_costs_the_same_queries_however_many_are_stored(tmp_path):
    def cost(item, name):
        with CaptureQueriesContext(connection) as queries:
            imported(tmp_path, [item], name)
        return len(queries)

    quake = labelled("turkey-quake")
    for item in LABELLED:  # every publisher already known, so that both imports write the same
        Source.objects.get_or_create(name=item["source"], country_id=item["source_country"],
                                     language=item["source_language"])
    imported(tmp_path, quake[:2])
    few = cost(quake[2], "few.json")  # joins the story of the first two
    imported(tmp_path, [item for item in LABELLED if item["story"] != "turkey-quake"], "many.json")
    assert cost(quake[3], "many-more.json") == few


def test_articles_stored_before_stories_existed_are_grouped_by_the_command(tmp_path):
    chad = labelled("chad-border")
    imported(tmp_path, chad)
    StoryArticle.objects.all().delete()
    Story.objects.all().delete()
    call_command("group_stories", "--batch-size", "2", stdout=StringIO())
    assert Story.objects.get().article_count == 4


def test_a_story_does_not_grow_link_by_link_past_days_after_its_first_report(tmp_path):
    """Each report is within the window of the one before, but the last two came five days after
    the first: they are not taken into its story."""
    quake = labelled("turkey-quake")
    start = dt.datetime.fromisoformat(quake[0]["published_at"])
    for item, days in zip(quake, [0, 2.5, 5, 5.1], strict=True):
        item["published_at"] = (start + dt.timedelta(days=days)).isoformat()
    imported(tmp_path, quake)
    first, second, third, fourth = (story_of(item) for item in quake)
    assert first is not None and first == second
    assert first not in (third, fourth)


def test_features_reach_the_database_as_they_were_whatever_they_hold():
    tokens = ["w:plain", 'e:say"s', "w:back\\slash", "n:1.5", "w:{brace}", "w:a,b", "w:NULL", "t:ünï"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::text[]", [grouping.array_literal(tokens)])
        assert cursor.fetchone()[0] == tokens


def test_a_run_of_batches_reads_what_staff_changed_and_not_the_tokens_it_has_seen(tmp_path, settings):
    """`group_stories` and an import group batch after batch with one `Seen`: a candidate grouped
    in an earlier batch is compared with the tokens worked out then (no query reads them again),
    in the story it is in now: staff moved it since, and the next report joins it there."""
    from articles.management.commands.group_stories import stored_tags

    settings.NEWSREADER_GROUP_STORIES_AT_IMPORT = False
    quake = labelled("turkey-quake")
    imported(tmp_path, quake)
    settings.NEWSREADER_GROUP_STORIES_AT_IMPORT = True
    articles = [Article.objects.get(source_url=item["url"]) for item in quake]
    items = [grouping.item_of_article(article, stored_tags(article)) for article in articles]

    def grouped(batch, seen):
        with CaptureQueriesContext(connection) as queries:
            grouping.group(batch, seen)
        return len(queries)

    seen = grouping.Seen()
    grouped(items[:2], seen)
    first = story_of(quake[0])
    assert first is not None and story_of(quake[1]) == first
    moved = stories.split([articles[0].pk, articles[1].pk], title="The Malatya earthquake")
    assert not Story.objects.filter(pk=first.pk).exists()
    assert grouped([items[2]], seen) == grouped([items[3]], grouping.Seen()) - 1  # no tokens read again
    assert story_of(quake[2]) == moved and story_of(quake[3]) == moved
    moved.refresh_from_db()
    assert moved.article_count == 4
