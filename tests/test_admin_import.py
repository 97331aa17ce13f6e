"""The admin import page, through Django's test client: form, permissions, reports, runs."""

import io
import time
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile

from articles.importing.fetch import Deadline
from articles.importing.pipeline import Importer, Input
from articles.models import Article, ImportRun, ImportUpload, Source
from articles.tasks import run_queued_import

from .factories import make_user

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
URL = "/admin/articles/article/import/"
pytestmark = pytest.mark.django_db


def make_editor(**fields):
    user = make_user(is_staff=True, **fields)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_article", "change_article", "view_article", "view_importrun"]))
    return user


@pytest.fixture
def editor_client(client):
    client.force_login(make_editor(username="editor"))
    return client


def upload(name, content=None):
    return SimpleUploadedFile(name, content if content is not None else (FIXTURES / name).read_bytes())


def test_only_staff_with_permission_to_add_articles_may_import(client):
    assert client.get(URL).status_code == 302  # to the admin sign-in
    client.force_login(make_user(username="reader"))
    assert client.get(URL).status_code == 302
    client.force_login(make_user(username="staff-without-permission", is_staff=True))
    assert client.get(URL).status_code == 403


def test_the_changelist_links_to_the_import_page(editor_client):
    page = editor_client.get("/admin/articles/article/").content.decode()
    assert f'href="{URL}"' in page and "Import articles" in page


def test_a_post_without_input_re_renders_with_an_error(editor_client):
    response = editor_client.post(URL, {"source": "Kept"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose at least one file, or give a URL." in page
    assert 'value="Kept"' in page
    assert not ImportRun.objects.exists()


def test_dry_run_reports_what_would_happen_and_writes_no_article(editor_client):
    response = editor_client.post(
        URL, {"files": [upload("content-encoded.rss"), upload("page-with-chrome.html")], "dry_run": "on"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Dry run: nothing was written" in page
    assert 'data-count="created">3<' in page
    assert "Pilots Return to the Strait" in page and "Ines Carvalho" in page
    assert "The first pilots boarded at dawn" in page  # the first lines of the text
    assert "/articles/pilots-return-to-the-strait/" in page
    assert not Article.objects.exists() and not Source.objects.exists()
    run = ImportRun.objects.get()
    assert run.dry_run and run.channel == "admin" and run.started_by.username == "editor"
    assert run.inputs == ["content-encoded.rss", "page-with-chrome.html"]


def test_real_run_of_a_zip_applies_the_defaults_and_links_the_articles(editor_client):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("a.txt", "Harbour Pilots Strike\n\nBy Ana Lopes\n\nThe pilots stopped work.\n\nComments (0)\nBe the first to respond.\n")
        zipped.writestr("b.txt", "")
    response = editor_client.post(
        URL, {"files": [upload("bundle.zip", archive.getvalue())], "access": "free", "source": "Harbour Desk"}
    )
    page = response.content.decode()
    article = Article.objects.get()
    assert (article.access, article.source.name, article.author) == ("free", "Harbour Desk", "Ana Lopes")
    assert f'href="{article.get_absolute_url()}"' in page
    assert "bundle.zip/b.txt: the file is empty" in page
    assert "Publisher chrome stripped" in page and "Be the first to respond." in page
    run = ImportRun.objects.get()
    assert (run.created_count, run.failed_count, run.dry_run) == (1, 1, False)
    assert run.report["failed"][0]["error"] == "bundle.zip/b.txt: the file is empty"


def test_an_input_that_says_its_access_keeps_it(editor_client):
    editor_client.post(URL, {"files": [upload("articles.json")], "access": "members"})
    assert Article.objects.get(title="Lighthouse Keepers Vote to Stay").access == "free"


def test_an_upload_a_parser_chokes_on_fails_in_the_report_and_the_rest_import(editor_client):
    files = [upload("deep.json", b"[" * 100_000), upload("articles.json")]
    response = editor_client.post(URL, {"files": files})
    assert response.status_code == 200
    assert "deep.json: it is nested too deeply to read" in response.content.decode()
    run = ImportRun.objects.get()
    assert (run.status, run.created_count, run.failed_count) == ("done", 2, 1)


def test_warnings_show_in_the_report_and_on_the_run_and_fail_nothing(editor_client):
    feed = b"\n\n" + (FIXTURES / "content-encoded.rss").read_bytes().replace(b"<title>Tugboat Unions Strike a Deal</title>", b"")
    page = editor_client.post(URL, {"files": [upload("feed.rss", feed)]}).content.decode()
    run = ImportRun.objects.get()
    assert (run.status, run.created_count, run.failed_count, run.warning_count) == ("done", 2, 0, 2)
    assert 'data-count="warnings">2<' in page and page.count("data-warning") == 2
    assert "feed.rss: it has blank space before its XML declaration, which was ignored" in page
    assert "feed.rss (entry 2): it has no title; it is titled by its first words" in page
    assert "read as UTF-8" in page  # which encoding each entry was read in
    listing = editor_client.get("/admin/articles/importrun/").content.decode()
    assert '<td class="field-warning_count">2</td>' in listing
    detail = editor_client.get(f"/admin/articles/importrun/{run.pk}/change/").content.decode()
    assert detail.count("data-warning") == 2


def test_a_url_on_a_private_address_is_refused_in_the_report(editor_client):
    page = editor_client.post(URL, {"url": "http://127.0.0.1/feed"}).content.decode()
    assert "127.0.0.1, a loopback address" in page
    assert ImportRun.objects.get().failed_count == 1


def test_runs_are_listed_and_each_shows_its_report(editor_client, django_assert_max_num_queries):
    for name in ["content-encoded.rss", "articles.json", "front-matter.md"]:
        editor_client.post(URL, {"files": [upload(name)]})
    with django_assert_max_num_queries(12):
        listing = editor_client.get("/admin/articles/importrun/")
    assert listing.status_code == 200
    assert listing.content.decode().count('class="field-started_at') == 3
    assert "articles.json" in listing.content.decode()
    run = ImportRun.objects.get(inputs=["articles.json"])
    detail = editor_client.get(f"/admin/articles/importrun/{run.pk}/change/").content.decode()
    assert "Ferry Link Reopens After Storm" in detail and 'data-count="created">2<' in detail


def test_inputs_not_started_within_the_time_limit_are_handed_to_a_worker(editor_client, settings):
    settings.NEWSREADER_IMPORT_INLINE_SECONDS = 0
    response = editor_client.post(URL, {"files": [upload("articles.json"), upload("front-matter.md")], "source": "Desk"})
    assert response.status_code == 200
    inline, handed = ImportRun.objects.order_by("id")
    assert (inline.status, inline.created_count, handed.status) == ("done", 0, "queued")
    assert handed.inputs == ["articles.json", "front-matter.md"] and handed.options["source"] == "Desk"
    assert list(ImportUpload.objects.filter(run=handed).values_list("name", flat=True)) == handed.inputs
    page = response.content.decode()
    assert "2 of the inputs (articles.json, front-matter.md) were not started within the 0 s" in page
    assert f'href="/admin/articles/importrun/{handed.pk}/change/"' in page
    assert not Article.objects.exists()

    run_queued_import(SimpleNamespace(worker_name="w1"), run_id=handed.pk)  # what a worker does
    handed.refresh_from_db()
    assert (handed.status, handed.created_count) == ("done", 3)
    assert Article.objects.count() == 3


def test_an_import_with_a_time_limit_starts_no_input_after_it():
    def slow():
        time.sleep(0.3)
        return b"Slow One\n\nText.\n"

    inputs = [Input(name=f"{n}.txt", read=read) for n, read in
              [(1, slow), (2, lambda: b"Two\n\nText.\n"), (3, lambda: b"Three\n\nText.\n")]]
    importer = Importer(deadline=Deadline.after(0.1, "NEWSREADER_IMPORT_INLINE_SECONDS"))
    report = importer.run(inputs)
    assert [e["title"] for e in report.created] == ["Slow One"]
    assert [item.name for item in importer.left] == ["2.txt", "3.txt"]
