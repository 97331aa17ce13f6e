"""A reader of other languages: an Arabic article reads right to left, a Chinese word finds its
article as it is typed, and Chinese is not slanted where the design sets italics."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from articles.elements import SEARCH_RESULTS
from articles.importing.pipeline import import_inputs

from .axe import violations

pytestmark = pytest.mark.django_db(transaction=True)
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "languages"
ARABIC = "/articles/alswdyh-wiyran-twqan-atfaqa-jdyda-lltjarh/"


@pytest.fixture
def six_languages():
    assert import_inputs([str(FIXTURES / "articles.json")]).ok


def style(locator, name: str) -> str:
    return locator.evaluate(f"element => getComputedStyle(element).{name}")


def test_an_arabic_article_reads_right_to_left(page, six_languages):
    page.goto(ARABIC)
    title, body = page.locator("h1"), page.locator("[data-article-body]")
    assert style(title, "direction") == style(body, "direction") == "rtl"
    assert style(body.locator("p").first, "textAlign") in ("start", "right")
    # Its first line starts at the right edge of the text column, as Arabic is read.
    text_box, paragraph_box = body.bounding_box(), body.locator("p").first.bounding_box()
    line = body.locator("p").first.evaluate(
        "p => { const r = document.createRange(); r.setStart(p.firstChild, 0); r.setEnd(p.firstChild, 1);"
        " return r.getBoundingClientRect().right; }"
    )
    assert abs(line - (paragraph_box["x"] + paragraph_box["width"])) < 2 and line > text_box["x"] + text_box["width"] / 2
    # The page around it stays English, left to right.
    assert style(page.locator("header.masthead"), "direction") == "ltr"
    assert page.locator("html").get_attribute("lang") == "en"
    assert violations(page) == []
    assert page.console_errors == []


def test_a_chinese_word_finds_its_article_as_it_is_typed(page, six_languages):
    page.goto("/search/")
    page.get_by_role("searchbox", name="Search").fill("越南政府")
    results = page.locator(f"#{SEARCH_RESULTS}")
    expect(results).to_contain_text("中国与越南签署新的贸易协议")
    expect(results).not_to_contain_text("Москва")
    expect(results.locator("mark").first).to_have_text("越南政府")
    assert results.locator("[data-snippet]").first.get_attribute("lang") == "zh"
    assert page.console_errors == []


def test_chinese_is_never_slanted(page):
    from ..factories import make_article

    article = make_article(title="边境贸易谈判", dek="双方在河内举行会谈。", paragraphs=["重要的协议。"])
    page.goto(article.get_absolute_url())
    assert style(page.locator(".article__dek"), "fontStyle") == "normal"
