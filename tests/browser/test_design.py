"""What a reader notices of the design: line length, no sideways scrolling, themes, focus, print,
"Load more", and a page that loads nothing from anywhere but our own origin."""

import datetime as dt

import pytest
from django.utils import timezone

from articles.elements import ARTICLE_LIST

from ..factories import make_article, make_member
from .helpers import gated_article, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

CHARACTERS_PER_LINE = """() => {
  const p = document.querySelector('[data-article-body] p');
  const style = getComputedStyle(p);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontSize} ${style.fontFamily}`;
  const average = context.measureText(p.textContent).width / p.textContent.length;
  return p.clientWidth / average;
}"""
HORIZONTAL_OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def long_article():
    return make_article(
        title="The Extraordinarily Long-Winded Title of a Very Thorough Analysis of Maritime Law",
        dek="With a dek that runs on for a while, as deks do.",
        author="Ines Duarte",
        access="free",
        paragraphs=[
            "A paragraph of ordinary prose that runs over several lines so that its measure shows. " * 4,
            "An unbroken address: https://example.org/" + "a-very-long-path-segment-" * 12,
            "Greece and Turkey agreed on a hotline; Athens and Ankara will staff it.",
        ],
    )


def test_article_lines_hold_65_to_75_characters_on_a_desktop(page):
    article = long_article()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(article.get_absolute_url())
    assert 60 <= page.evaluate(CHARACTERS_PER_LINE) <= 80


@pytest.mark.parametrize("width", [320, 390, 768, 1920])
def test_no_page_scrolls_sideways(page, width, settings):
    settings.NEWSREADER_ARTICLES_PER_PAGE = 2
    article = long_article()
    gated = gated_article()
    make_article()
    page.set_viewport_size({"width": width, "height": 800})
    paths = ["/", "/?page=2", article.get_absolute_url(), gated.get_absolute_url(), "/accounts/signup/",
             "/accounts/login/", "/countries/", "/countries/gr/", "/countries/gr/tr/",
             "/search/?q=hotline&since=2026-05-01&until=2026-04-01"]
    for path in paths:
        page.goto(path)
        assert page.evaluate(HORIZONTAL_OVERFLOW) == 0, f"{path} at {width} px"


def test_pages_load_only_from_our_own_origin(page, live_server):
    article = gated_article()
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    for path in ["/", article.get_absolute_url(), "/accounts/signup/"]:
        page.goto(path)
        page.wait_for_load_state("networkidle")
    assert requested and all(url.startswith(live_server.url + "/") for url in requested), requested
    assert page.console_errors == []


def test_dark_theme_follows_the_system(browser, live_server):
    colours = {}
    for scheme in ["light", "dark"]:
        context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
        page = context.new_page()
        page.goto("/")
        colours[scheme] = page.evaluate("getComputedStyle(document.body).backgroundColor")
        context.close()
    assert colours["light"] != colours["dark"]


def test_skip_link_appears_on_focus_and_leads_to_the_content(page):
    gated_article()
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("element => element === document.activeElement")
    box = skip.bounding_box()
    assert box["y"] >= 0 and box["x"] >= 0  # on screen once focused
    assert skip.evaluate("element => getComputedStyle(element).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_print_shows_the_article_without_the_site_around_it(page):
    article = gated_article()
    page.goto(article.get_absolute_url())
    page.emulate_media(media="print")
    assert not page.locator(".masthead").is_visible()
    assert not page.locator(".footer").is_visible()
    assert page.locator("[data-article-body]").is_visible()


def test_article_header_shows_byline_date_and_reading_time(page):
    article = gated_article(published_at=timezone.now() - dt.timedelta(hours=2))
    page.goto(article.get_absolute_url())
    meta = page.locator(".article__header .meta")
    assert meta.inner_text().split("\n")[0].startswith("By Ines Duarte")
    assert "2 hours ago" in meta.inner_text() and "1 min read" in meta.inner_text()
    assert page.locator(".article__dek").inner_text() == "A narrow waterway and a wide quarrel."


def stories(count, settings):
    """Stories 1…count, newest first, two to a page."""
    settings.NEWSREADER_ARTICLES_PER_PAGE = 2
    now = timezone.now()
    for n in range(1, count + 1):
        make_article(title=f"Story {n}", published_at=now - dt.timedelta(days=n))


def test_load_more_appends_the_next_page_with_htmx(page, settings):
    stories(5, settings)
    page.goto("/")
    page.get_by_role("link", name="Load more").click()
    expect_titles = ["Story 1", "Story 2", "Story 3", "Story 4"]
    page.locator(f"#{ARTICLE_LIST} li", has_text="Story 4").wait_for()
    assert page.locator(f"#{ARTICLE_LIST} .article-item__title a").all_inner_texts() == expect_titles
    assert page.url.endswith("/")  # the reader stays on the list
    assert page.evaluate("document.activeElement.textContent") == "Story 3"  # focus on the first new item
    page.get_by_role("link", name="Load more").click()
    page.locator(f"#{ARTICLE_LIST} li", has_text="Story 5").wait_for()
    assert page.get_by_role("link", name="Load more").count() == 0
    assert page.console_errors == []


def test_without_javascript_load_more_is_a_link_to_the_next_page(page_without_js, settings):
    stories(3, settings)
    page_without_js.goto("/")
    page_without_js.get_by_role("link", name="Load more").click()
    page_without_js.wait_for_url("**/?page=2")
    assert page_without_js.locator(f"#{ARTICLE_LIST} .article-item__title a").all_inner_texts() == ["Story 3"]


def test_member_sees_account_link_and_signs_out_from_the_masthead(page):
    member = make_member()
    sign_in(page, member.username)
    nav = page.get_by_role("navigation", name="Main")
    assert nav.get_by_role("link", name="Account").is_visible()
    nav.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Sign in").is_visible()
