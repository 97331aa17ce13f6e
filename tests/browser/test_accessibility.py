"""axe-core over the main pages, light and dark: no serious or critical violations (contrast too)."""

import pytest
from playwright.sync_api import expect

from articles.importing.pipeline import import_inputs

from ..factories import make_article, make_comment, make_member
from .axe import violations
from .helpers import gated_article, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def articles(settings):
    settings.NEWSREADER_ARTICLES_PER_PAGE = 3
    for n in range(4):
        make_article(
            title=f"Dispatch number {n}", dek="A dek that stands under the title.", author="A. Writer",
            paragraphs=["Kenya and Ethiopia met in Nairobi.", "Egypt sent observers."],
        )
    article = gated_article()
    comment = make_comment(article=article, body="A first response, with a link: https://example.org/")
    make_comment(article=article, parent=comment, body="A reply to it.")
    return article


def test_reader_pages_have_no_serious_violations(themed_page, articles):
    page = themed_page
    paths = ["/", "/?page=2", articles.get_absolute_url(), "/accounts/login/", "/accounts/signup/",
             "/countries/", "/countries/ke/", "/countries/et/ke/", "/search/", "/search/?q=dispatch",
             "/search/?q=dispatch&since=2026-05-01&until=2026-04-01",
             "/stories/", "/stories/dispatch-number-0/"]  # the four dispatches, one text: a story
    for path in paths:
        page.goto(path)
        assert violations(page) == [], f"{path} ({page.color_scheme})"
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Start my membership").click()  # an empty form: every error shown
    # The errors come back after the click; wait for them rather than count at once (flaked under load).
    expect(page.locator(".field__errors").first).to_be_visible()
    assert violations(page) == [], f"sign-up with errors ({page.color_scheme})"


def test_a_link_articles_page_and_its_list_have_no_serious_violations(themed_page, tmp_path):
    """A headline its feed gave without text: the "Link" badge and the link out, in both themes."""
    (tmp_path / "feed.rss").write_text(
        '<rss version="2.0"><channel><title>Harbour Wire</title>'
        "<item><title>Pilots return to the strait</title><link>https://harbour.example.org/pilots</link></item>"
        "</channel></rss>"
    )
    [entry] = import_inputs([str(tmp_path / "feed.rss")]).created
    for path in [f"/articles/{entry['slug']}/", "/"]:
        themed_page.goto(path)
        assert violations(themed_page) == [], f"{path} ({themed_page.color_scheme})"


def test_member_pages_have_no_serious_violations(themed_page, articles):
    page = themed_page
    member = make_member()
    sign_in(page, member.username)
    for path in [articles.get_absolute_url(), "/accounts/", "/", "/countries/ke/", "/desk/"]:
        page.goto(path)
        assert violations(page) == [], f"{path} as a member ({page.color_scheme})"
    assert page.console_errors == []


def test_the_check_finds_poor_contrast_and_unlabelled_fields(page):
    page.set_content(
        '<!doctype html><html lang="en"><title>t</title><main><p style="color:#bbb;background:#fff">faint</p>'
        '<input type="text"></main></html>'
    )
    found = " ".join(violations(page))
    assert "color-contrast" in found and "label" in found
