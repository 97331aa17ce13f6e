"""The admin import page in a real browser: sign in as staff, upload, dry run, real run."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission

from articles.models import Article, ImportRun

from ..factories import make_user

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "import"
pytestmark = pytest.mark.django_db(transaction=True)


def sign_in_as_editor(page):
    editor = make_user(username="editor", password="harbour-lights-77", is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename__in=["add_article", "view_article", "change_article"]))
    page.goto("/admin/login/?next=/admin/articles/article/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "harbour-lights-77")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/articles/article/")


def test_upload_dry_run_then_import_from_the_changelist(page):
    sign_in_as_editor(page)
    page.get_by_role("link", name="Import articles").click()
    page.wait_for_url("**/admin/articles/article/import/")

    files = [FIXTURES / "content-encoded.rss", FIXTURES / "page-with-chrome.html", FIXTURES / "front-matter.md"]
    page.set_input_files("input[name=files]", files)
    page.get_by_label("Dry run").check()
    page.get_by_role("button", name="Import").click()
    report = page.locator("[data-import-report]")
    report.wait_for()
    assert report.get_attribute("data-dry-run") == "true"
    assert report.locator("[data-count=created]").inner_text() == "4"
    created = report.locator("[data-status=created]")
    assert "Delta Water Talks Stall Again" in created.inner_text()
    assert "Layla Haddad" in created.inner_text()
    assert "Negotiators from the three delta states" in created.inner_text()
    assert Article.objects.count() == 0

    page.set_input_files("input[name=files]", files)
    assert not page.get_by_label("Dry run").is_checked()
    page.get_by_role("button", name="Import").click()
    page.locator("[data-import-report][data-dry-run=false]").wait_for()
    assert page.locator("[data-count=created]").inner_text() == "4"
    assert Article.objects.count() == 4
    page.get_by_role("link", name="Shuttle Diplomacy on the Plateau").click()
    page.wait_for_url("**/articles/shuttle-diplomacy-on-the-plateau/")
    assert "first capital before dawn" in page.locator("[data-article-body]").inner_text()

    page.goto("/admin/articles/article/import/")
    page.set_input_files("input[name=files]", files)
    page.get_by_role("button", name="Import").click()
    page.locator("[data-import-report][data-dry-run=false]").wait_for()
    assert page.locator("[data-count=unchanged]").inner_text() == "4"
    assert list(ImportRun.objects.order_by("id").values_list("dry_run", "created_count", "unchanged_count")) == [
        (True, 4, 0), (False, 4, 0), (False, 0, 4),
    ]
    assert page.console_errors == []
