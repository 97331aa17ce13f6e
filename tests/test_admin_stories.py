"""Staff merge, split and rename stories in the admin."""

import json
from pathlib import Path

import pytest

from articles.importing.pipeline import import_inputs
from articles.models import Story, StoryArticle

pytestmark = pytest.mark.django_db
LABELLED = json.loads((Path(__file__).parent / "fixtures" / "stories" / "articles.json").read_text())


@pytest.fixture
def two_stories(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps([item for item in LABELLED if item["story"] in ("estonia-airspace", "haiti-mission")]))
    assert not import_inputs([str(path)]).failed
    return list(Story.objects.order_by("pk"))


def test_staff_merge_stories(admin_client, two_stories):
    response = admin_client.post("/admin/articles/story/", {
        "action": "merge_stories", "_selected_action": [story.pk for story in two_stories]})
    assert response.status_code == 302
    assert Story.objects.get().article_count == 7
    assert StoryArticle.objects.filter(pinned=True).count() == 7


def test_staff_rename_a_story_and_see_its_articles(admin_client, two_stories):
    story = two_stories[0]
    page = admin_client.get(f"/admin/articles/story/{story.pk}/change/").content.decode()
    assert story.headline.title in page
    response = admin_client.post(f"/admin/articles/story/{story.pk}/change/", {
        "title": "Russian jets over Estonia", "links-TOTAL_FORMS": 0, "links-INITIAL_FORMS": 0})
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.title, story.title_locked) == ("Russian jets over Estonia", True)


def test_staff_split_articles_out(admin_client, two_stories):
    story = two_stories[1]
    chosen = list(StoryArticle.objects.filter(story=story).values_list("pk", flat=True)[:2])
    response = admin_client.post("/admin/articles/storyarticle/", {"action": "split_out", "_selected_action": chosen})
    assert response.status_code == 302
    story.refresh_from_db()
    assert story.article_count == 2 and Story.objects.count() == 3
