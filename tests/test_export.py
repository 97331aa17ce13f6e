"""`manage.py export` and `manage.py import_export`: a site written out and read into a fresh one
shows the same pages, page by page, to a reader without an account and to a member (who signs in
there with the password they had); `import_articles` reads an export's articles."""

import datetime as dt
import difflib
import json
import os
import re
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from django.utils import timezone

from articles import contentversion
from articles.actions.comments import hide_comment
from articles.actions.moderation import ban_commenter
from articles.actions.stories import rename
from articles.models import Article, Comment, Country, FeedSource, Source, Story

from .factories import make_article, make_comment, make_member, make_user

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "a-long-test-password"  # the factories'
# What is made anew for each response: the CSRF token, in forms and in htmx's headers.
CSRF_TOKEN = re.compile(r'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+"')


def manage(database_url: str, *args: str) -> subprocess.CompletedProcess:
    env = os.environ | {"DATABASE_URL": database_url}
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def fresh_site():
    """A second database on the same server, migrated as a new site's is: its name and its URL."""
    name = f"{connection.settings_dict['NAME']}_copy"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = f"postgres://{connection.settings_dict['USER']}@/{name}?host={connection.settings_dict['HOST']}"
    migrated = manage(url, "migrate", "--noinput", "-v0")
    assert migrated.returncode == 0, migrated.stderr
    yield name, url
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def reading(database: str):
    """This process's pages read from another database meanwhile (nothing of the first kept in caches)."""
    first = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = database
    cache.clear()
    contentversion.forget()
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = first
        cache.clear()
        contentversion.forget()


STORIES = ROOT / "tests" / "fixtures" / "stories" / "articles.json"


def build_site(folder: Path) -> dict:
    """Articles imported for real (seeds/, and reports of the same events by several publishers) and
    made by the factories; members, comments, a ban, a renamed story; the URLs of the pages that show them."""
    reports = folder / "reports.json"
    reports.write_text(json.dumps(json.loads(STORIES.read_text())[:20]))
    call_command("import_articles", str(ROOT / "seeds"), str(reports), verbosity=0)
    member, other, moderator = make_member(username="ada"), make_member(username="brook"), make_member(username="mod", is_staff=True)
    make_user(username="nonmember")
    day = timezone.now() - dt.timedelta(days=3)
    members_only = make_article(
        title="Members only: the Danube talks", access="members", free_blocks=1, source_name="River Post",
        paragraphs=["The free opening about Serbia.", "The members' part about Romania.", "More for members."],
        published_at=day, tags=["rs", "ro"],
    )
    free = make_article(title="Free for all: the Baltic grid", access="free", source_name="River Post",
                        paragraphs=["Estonia and Latvia connect.", "Lithuania too."], published_at=day - dt.timedelta(hours=1))
    first = make_comment(article=members_only, user=member, body="First! https://example.org/a")
    make_comment(article=members_only, user=other, body="A reply.", parent=first)
    hide_comment(make_comment(article=members_only, user=other, body="Something hidden."))
    make_comment(article=free, user=member, body="On the grid.")
    ban_commenter(other, reason="Off topic, repeatedly.", by=moderator)
    Source.objects.filter(name="River Post").update(country_id="rs", language="en", description="A river's news.")
    FeedSource.objects.create(url="https://example.org/feed.xml", source=Source.objects.get(name="River Post"))
    story = Story.objects.shown().order_by("pk").first()
    rename(story, "A story staff renamed")
    articles = list(Article.objects.order_by("pk"))
    countries = Country.objects.filter(article_tags__isnull=False).distinct().order_by("code")
    urls = [
        "/", "/?page=2", "/stories/", "/countries/", "/feed/", "/sitemap.xml", "/search/?q=border",
        *(f"/articles/{a.slug}/" for a in articles),
        *(f"/articles/{a.slug}/comments/" for a in articles if a.comment_count),
        *(f"/stories/{s.slug}/" for s in Story.objects.shown()),
        *(f"/countries/{c.code}/" for c in countries),
    ]
    return {"urls": urls, "member": member.username, "counts": {
        "articles": len(articles), "comments": Comment.objects.count(), "stories": Story.objects.shown().count(),
    }}


def pages(urls: list[str], username: str | None) -> dict[str, tuple[int, str]]:
    client = Client()
    if username:
        assert client.login(username=username, password=PASSWORD), f"{username} cannot sign in"
    found = {}
    for url in urls:
        response = client.get(url)
        found[url] = (response.status_code, CSRF_TOKEN.sub(r'\1…"', response.content.decode()))
    return found


@pytest.mark.django_db(transaction=True)
def test_a_site_exported_and_imported_shows_the_same_pages(tmp_path, fresh_site):
    site = build_site(tmp_path)
    assert site["counts"]["stories"] >= 1 and site["counts"]["comments"] == 4
    export = tmp_path / "site.jsonl"
    call_command("export", str(export), "--with-credentials")
    before = {"anonymous": pages(site["urls"], None), "member": pages(site["urls"], site["member"])}

    name, url = fresh_site
    loaded = manage(url, "import_export", str(export))
    assert loaded.returncode == 0, loaded.stderr
    assert f"article {site['counts']['articles']}" in loaded.stdout
    with reading(name):
        after = {"anonymous": pages(site["urls"], None), "member": pages(site["urls"], site["member"])}
        assert Story.objects.get(title="A story staff renamed").title_locked

    for reader in before:
        for page in site["urls"]:
            assert before[reader][page][0] == 200, (reader, page)
            assert after[reader][page] == before[reader][page], f"{page} differs for the {reader} reader:\n" + "\n".join(
                difflib.unified_diff(before[reader][page][1].splitlines(), after[reader][page][1].splitlines(), lineterm="", n=1))
    # Not the same page twice: the member reads what the anonymous reader does not.
    article = "/articles/members-only-the-danube-talks/"
    assert "More for members." in after["member"][article][1]
    assert "More for members." not in after["anonymous"][article][1]
    assert "Something hidden." not in after["member"][f"{article}comments/"][1]


@pytest.mark.django_db(transaction=True)
def test_an_export_without_credentials_leaves_members_to_set_a_password(tmp_path, fresh_site):
    make_member(username="ada")
    make_article(title="Anything at all")
    export = tmp_path / "site.jsonl"
    call_command("export", str(export))
    assert '"password"' not in export.read_text()
    name, url = fresh_site
    assert manage(url, "import_export", str(export)).returncode == 0
    with reading(name):
        assert not Client().login(username="ada", password=PASSWORD)
        from django.contrib.auth import get_user_model

        ada = get_user_model().objects.get(username="ada")
        assert not ada.has_usable_password() and ada.membership.ends_at > timezone.now()
        # The ids it kept are behind the new site's: what is written next takes fresh ones.
        assert make_article(title="Written on the new site").pk > Article.objects.get(title="Anything at all").pk


def records(export: Path) -> list[dict]:
    return [json.loads(line) for line in export.read_text().splitlines()]


@pytest.mark.django_db
def test_the_export_keeps_free_and_members_text_apart(tmp_path):
    make_article(title="Split", access="members", free_blocks=1, paragraphs=["Free words.", "Members' words."])
    export = tmp_path / "site.jsonl"
    call_command("export", str(export), "--with-credentials")
    header, *rest = records(export)
    assert header["format"] == "newsreader-export" and header["version"] == 1 and header["with_credentials"]
    article = next(r for r in rest if r["kind"] == "article")
    assert article["free_html"] == "<p>Free words.</p>" and article["members_html"] == "<p>Members' words.</p>"
    assert article["access"] == "members" and article["slug"] == "split"
    assert rest[-1] == {"kind": "end", "counts": {"country": Country.objects.count(), "actor": rest[-1]["counts"]["actor"],
                                                  "article": 1}}
    assert os.stat(export).st_mode & 0o077 == 0  # password hashes: the operator's alone


@pytest.mark.django_db
def test_import_articles_reads_an_export_whatever_its_name(tmp_path):
    make_article(title="Split", access="members", free_blocks=1, paragraphs=["Free words.", "Members' words."],
                 source_name="River Post", tags=["fr"])
    make_article(title="Open", access="free", paragraphs=["All of it."])
    export = tmp_path / "anything.json"
    call_command("export", str(export))
    Article.objects.all().delete()
    call_command("import_articles", str(export), verbosity=0)
    split = Article.objects.get(title="Split")
    assert (split.free_html, split.members_html, split.access) == ("<p>Free words.</p>", "<p>Members' words.</p>", "members")
    assert split.source.name == "River Post" and split.country_tags.filter(country_id="fr", origin="editor").exists()
    assert Article.objects.get(title="Open").members_html == ""


@pytest.mark.django_db(transaction=True)
def test_a_bad_export_imports_nothing_and_says_why(tmp_path, fresh_site):
    make_member(username="ada")
    for number in range(3):
        make_article(title=f"Article {number}")
    export = tmp_path / "site.jsonl"
    call_command("export", str(export))
    lines = export.read_text().splitlines()
    name, url = fresh_site

    cut = tmp_path / "cut.jsonl"
    cut.write_text("\n".join(lines[:-2]) + "\n")  # a copy that stopped short
    result = manage(url, "import_export", str(cut))
    assert result.returncode == 1 and "without its end line: the export is incomplete" in result.stderr

    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([*lines[:-2], "{not json", *lines[-1:]]) + "\n")
    result = manage(url, "import_export", str(broken))
    assert f"line {len(lines) - 1}: it is not JSON" in result.stderr

    other = tmp_path / "other.json"
    other.write_text('[{"title": "T", "body": "B"}]')
    assert "line 1: it is not a newsreader-export file" in manage(url, "import_export", str(other)).stderr
    with reading(name):
        assert not Article.objects.exists() and not Story.objects.exists()

    assert manage(url, "import_export", str(export)).returncode == 0
    again = manage(url, "import_export", str(export))  # the site is no longer fresh
    assert again.returncode == 1 and "this site already has articles" in again.stderr
    with reading(name):
        assert Article.objects.count() == 3


def test_an_export_that_cannot_be_written_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="cannot write"):
        call_command("export", str(tmp_path / "no-such-folder" / "site.jsonl"))


@pytest.mark.django_db
def test_a_large_export_is_loaded_a_batch_at_a_time(tmp_path, monkeypatch):
    from django.contrib.auth import get_user_model

    from articles.exports import loader

    members = [make_member(username=f"member{n}") for n in range(3)]
    for n in range(5):
        make_comment(article=make_article(title=f"Batch {n}", source_name=f"Publisher {n % 2}"), user=members[n % 3])
    export = tmp_path / "site.jsonl"
    call_command("export", str(export), "--with-credentials")
    kept = {(c.article.slug, c.user.username, c.body) for c in Comment.objects.select_related("article", "user")}
    # This database emptied of what a fresh site lacks, and loaded in batches of two.
    Article.objects.all().delete()
    for model in (Story, Source, get_user_model()):
        model.objects.all().delete()
    monkeypatch.setattr(loader, "BATCH", 2)
    with export.open() as lines:
        counts = loader.load_export(lines)
    assert (counts["member"], counts["article"], counts["comment"], counts["publisher"]) == (3, 5, 5, 2)
    assert {(c.article.slug, c.user.username, c.body) for c in Comment.objects.select_related("article", "user")} == kept
    assert all(user.membership for user in get_user_model().objects.all())
