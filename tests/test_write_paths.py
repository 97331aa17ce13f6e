"""Every way a change readers can see is written, and a page cached before it: the page is never
served stale after it. The content version notices the writes itself (contentversion.py), so the
last case, a write path nobody has written yet, is covered too."""

import datetime as dt
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from articles.actions import desk, memberships, stories
from articles.actions.comments import edit_comment, hide_comment, post_comment, remove_comment
from articles.actions.moderation import ban_commenter
from articles.geo.tag_rows import retag, sync_vocabulary
from articles.importing.pipeline import import_inputs
from articles.models import Article, Country, Source, Story

from .factories import make_article, make_comment, make_lapsed_member, make_member, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def article_with(text="A quiet paragraph about nothing in particular.", **fields):
    return make_article(paragraphs=[text, "Second paragraph."], access="free", **fields)


def import_file(tmp_path, name, text):
    path = Path(tmp_path) / name
    path.write_text(text)
    return import_inputs([str(path)])


def case_post_comment(tmp_path):
    article = article_with()
    return article.get_absolute_url(), lambda: post_comment(article=article, user=make_member(), body="A fresh remark"), "A fresh remark"


def case_edit_comment(tmp_path):
    comment = make_comment(article=article_with(), body="First words")
    return comment.article.get_absolute_url(), lambda: edit_comment(comment, body="Second thoughts"), "Second thoughts"


def case_hide_comment(tmp_path):
    comment = make_comment(article=article_with(), body="Rude words")
    return comment.article.get_absolute_url(), lambda: hide_comment(comment), "0 comments"


def case_remove_comment(tmp_path):
    comment = make_comment(article=article_with(), body="Regretted words")
    return comment.article.get_absolute_url(), lambda: remove_comment(comment), "0 comments"


def case_import_new(tmp_path):
    article_with()
    return "/", lambda: import_file(tmp_path, "new.md", "# Harbour Talks Resume\n\nThe talks resumed.\n"), "Harbour Talks Resume"


def case_import_update(tmp_path):
    import_file(tmp_path, "story.md", "---\ntitle: Ceasefire Holds\nurl: https://example.org/ceasefire\n---\n\nFirst version.\n")
    article = Article.objects.get(title="Ceasefire Holds")
    changed = "---\ntitle: Ceasefire Holds\nurl: https://example.org/ceasefire\n---\n\nSecond version, corrected.\n"
    return article.get_absolute_url(), lambda: import_file(tmp_path, "story.md", changed), "Second version, corrected."


def case_retag(tmp_path):
    article = article_with()
    Article.objects.filter(pk=article.pk).update(free_text="Talks in Nairobi with Kenya's ministers.")
    return "/countries/ke/", lambda: retag([Article.objects.get(pk=article.pk)]), article.title


def case_sync_vocabulary(tmp_path):
    Country.objects.filter(code="ke").update(name="Kenya (stale name)")
    article_with(text="Kenya's ministers met.")
    return "/countries/", sync_vocabulary, ">Kenya<"


def case_admin_edits_an_article(tmp_path):
    article = article_with(title="Draft Headline")
    admin = Client()
    admin.force_login(make_user(is_staff=True, is_superuser=True))
    form = admin.get(f"/admin/articles/article/{article.pk}/change/").context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {"title": "Final Headline", "published_at_0": article.published_at.strftime("%Y-%m-%d"),
             "published_at_1": article.published_at.strftime("%H:%M:%S")}
    for prefix in ("country_tags", "actor_tags"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    return article.get_absolute_url(), lambda: admin.post(f"/admin/articles/article/{article.pk}/change/", data), "Final Headline"


def case_publisher_renamed(tmp_path):
    article = article_with(source_name="Old Gazette")
    return article.get_absolute_url(), lambda: Source.objects.filter(name="Old Gazette").update(name="New Gazette"), "New Gazette"


def case_a_write_path_nobody_wrote_yet(tmp_path):
    article = article_with(title="Before Any Change")
    return article.get_absolute_url(), lambda: Article.objects.filter(pk=article.pk).update(title="After A Raw Update"), "After A Raw Update"


STORY = """[{"title": "Ports reopen in Mombasa after strike", "source": "Nairobi Ledger", "url": "https://example.org/a",
  "published_at": "2026-11-03T08:00:00Z", "body": "Dockworkers in Mombasa, Kenya, ended their 9-day strike on Monday after the Kenya Ports Authority agreed a 14 percent raise."},
 {"title": "Mombasa strike ends with 14% raise", "source": "Meridian Wire", "url": "https://example.org/b",
  "published_at": "2026-11-03T10:00:00Z", "body": "The 9-day strike at Mombasa port in Kenya ended after the Kenya Ports Authority offered dockworkers a 14 percent raise."}]"""


def story_case(tmp_path):
    import_file(tmp_path, "story.json", STORY)
    return Story.objects.get()


def case_story_grows(tmp_path):
    story = story_case(tmp_path)
    more = STORY.replace("Nairobi Ledger", "Gulf Herald").replace("https://example.org/a", "https://example.org/c")
    return story.get_absolute_url(), lambda: import_file(tmp_path, "more.json", more), "3 articles"


def case_story_renamed(tmp_path):
    story = story_case(tmp_path)
    return story.get_absolute_url(), lambda: stories.rename(story, "The Mombasa dock strike"), "The Mombasa dock strike"


def case_story_split(tmp_path):
    story = story_case(tmp_path)
    return "/stories/", lambda: stories.split([story.headline_id]), "No story has been reported"


CONTENT_CASES = [
    case_post_comment, case_edit_comment, case_hide_comment, case_remove_comment, case_import_new,
    case_import_update, case_retag, case_sync_vocabulary, case_admin_edits_an_article, case_publisher_renamed,
    case_a_write_path_nobody_wrote_yet, case_story_grows, case_story_renamed, case_story_split,
]


@pytest.mark.parametrize("case", CONTENT_CASES, ids=lambda case: case.__name__.removeprefix("case_"))
def test_a_page_cached_before_a_write_is_not_served_after_it(client, committed, tmp_path, case):
    url, change, expected = case(tmp_path)
    before = client.get(url).content.decode()
    assert expected not in before
    assert client.get(url).content.decode() == before  # kept: served from the cache
    committed(change)
    assert expected in client.get(url).content.decode()


SECRET = "The members-only sentence about the Zanzibar accord."


def reader_page(reader):
    article = make_article(paragraphs=["Free opening.", "Second free.", SECRET], free_blocks=2)
    client = Client()
    client.force_login(reader)
    return client, article.get_absolute_url()


@pytest.mark.parametrize(("make_reader", "change", "shown", "expected"), [
    (make_user, lambda user: memberships.grant(user, days=30), True, "full text after a grant"),
    (make_lapsed_member, lambda user: memberships.grant(user, days=30), True, "full text after a renewal"),
    (make_member, memberships.end, False, "gate after the end"),
    (make_user, lambda user: memberships.follow_subscription(
        user, plan="monthly", status="active", period_end=timezone.now() + dt.timedelta(days=30)), True, "full text once paid"),
    (make_member, lambda user: memberships.follow_subscription(
        user, plan="monthly", status="past_due", period_end=None, past_due_since=timezone.now() - dt.timedelta(days=30)),
     False, "gate after the grace period"),
    (make_member, lambda user: memberships.follow_subscription(user, plan="monthly", status="canceled", period_end=None),
     False, "gate once the subscription ended"),
    (make_member, lambda user: ban_commenter(user, reason="Personal attacks", by=None), True, "the ban's reason"),
], ids=lambda value: value if isinstance(value, str) else None)
def test_a_change_to_a_reader_shows_on_their_next_page(committed, make_reader, change, shown, expected):
    reader = make_reader()
    client, url = reader_page(reader)
    client.get(url)
    committed(lambda: change(reader))
    page = client.get(url).content.decode()
    if expected == "the ban's reason":
        assert "Personal attacks" in page
    else:
        assert (SECRET in page) is shown


def follow_kenya(reader):
    make_article(title="Kenya votes", paragraphs=["Kenya held an election.", "Nairobi."], language="en")
    return "/countries/ke/", lambda: desk.follow(reader, kind="country", key="ke", label="Kenya"), "data-following"


def bookmark_article(reader):
    article = article_with()
    return article.get_absolute_url(), lambda: desk.bookmark(reader, article, keep=True), "data-bookmarked"


@pytest.mark.parametrize("case", [follow_kenya, bookmark_article], ids=["follow", "bookmark"])
def test_a_readers_own_button_shows_its_new_state_on_their_next_page(committed, case):
    """Desk writes are not content: the page is kept per audience and button state
    (pagecache reader_part), and the reader's next page is the copy of their new state."""
    reader = committed(make_member)
    url, change, marker = committed(lambda: case(reader))
    client = Client()
    client.force_login(reader)
    before = client.get(url).content.decode()
    assert marker not in before
    committed(lambda: change())
    assert marker in client.get(url).content.decode()
