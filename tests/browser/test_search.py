import pytest
from playwright.sync_api import expect

from articles.elements import SEARCH_RESULTS

from ..factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


def test_results_follow_typing_and_the_url_keeps_up(page):
    make_article(title="Grain Corridor Reopens", paragraphs=["Grain ships left port."])
    make_article(title="Pipeline Politics", paragraphs=["Gas through the pipeline."])
    page.goto("/search/")
    box = page.get_by_role("searchbox", name="Search")
    box.press_sequentially("pipeline", delay=30)
    results = page.locator(f"#{SEARCH_RESULTS}")
    expect(results).to_contain_text("Pipeline Politics")
    expect(results).not_to_contain_text("Grain Corridor Reopens")
    page.wait_for_url("**/search/?q=pipeline*")
    expect(results.locator("mark").first).to_have_text("pipeline")
    box.fill("grain")
    expect(results).to_contain_text("Grain Corridor Reopens")
    page.wait_for_url("**/search/?q=grain*")
    assert page.console_errors == []


def test_the_plain_form_works_without_javascript(page_without_js):
    page = page_without_js
    make_article(title="Grain Corridor Reopens", paragraphs=["Grain ships left port."])
    page.goto("/search/")
    page.get_by_role("searchbox", name="Search").fill("grain")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url("**/search/?q=grain*")
    assert "Grain Corridor Reopens" in page.locator(f"#{SEARCH_RESULTS}").inner_text()
