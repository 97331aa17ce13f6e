"""Whole journeys through the site, as readers and editors take them, in Chromium.

The reader's journey runs three times: on a desktop with JavaScript (htmx swaps the comments in
place), with JavaScript disabled (plain forms and redirects), and on a 390 px phone.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from articles.elements import ARTICLE_LIST, COMMENTS, SEARCH_RESULTS

from ..factories import make_article, make_user
from .axe import violations
from .helpers import PASSWORD, gated_article

pytestmark = pytest.mark.django_db(transaction=True)

FREE = "The second free paragraph names the ministers who will meet."
WHOLE = "The members-only paragraph weighs what each side can concede."
FIRST = "Both capitals need the strait open more than they admit."
REPLY = "And the insurers will decide before the ministers do."
EDITED = "Both capitals need the strait open far more than they admit."


WATCH_PROGRESS = """() => {
  window.progress = new Set();
  new MutationObserver(changes => changes.forEach(({target}) => {
    if (target.classList?.contains('htmx-request')) window.progress.add('in flight');
    if (target.disabled) window.progress.add('button disabled');
  })).observe(document.body, {attributes: true, subtree: true, attributeFilter: ['class', 'disabled']});
}"""


def keeps_the_document(page, js):
    """With JavaScript, the journey's comment steps must not reload the page (htmx swaps)."""
    return page.evaluate("window.sameDocument === true") if js else True


def read_sign_up_discuss_and_sign_out(page, *, js):
    article = gated_article()
    make_article(title="A Quieter Story", access="free")
    username = "amara"

    # The list, then an article as an anonymous reader: the preview and the gate.
    page.goto("/")
    page.get_by_role("link", name=article.title).click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert FREE in page.locator("[data-article-body]").inner_text()
    assert WHOLE not in page.content()
    gate = page.locator("[data-paywall]")
    assert gate.is_visible()

    # Sign up from the gate, land back on the article with the whole text.
    gate.get_by_role("link", name="Try a membership").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Email").fill("amara@example.org")
    page.get_by_label("Password", exact=True).fill("tidal-basin-41")
    page.get_by_label("Password confirmation").fill("tidal-basin-41")
    page.get_by_role("button", name="Start my membership").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert WHOLE in page.locator("[data-article-body]").inner_text()
    assert page.locator("[data-paywall]").count() == 0
    assert page.get_by_role("navigation", name="Main").get_by_role("link", name="Account").is_visible()

    # Comment, then reply to it.
    if js:
        page.evaluate("window.sameDocument = true")
        page.evaluate(WATCH_PROGRESS)
    page.get_by_label("Your comment").fill(FIRST)
    page.get_by_role("button", name="Post comment").click()
    page.locator("[data-comment]", has_text=FIRST).wait_for()
    if js:  # the form showed its request in flight, and could not be sent twice
        assert page.evaluate("[...window.progress].sort()") == ["button disabled", "in flight"]
    page.get_by_text("Reply", exact=True).click()
    page.get_by_label(f"Your reply to {username}").fill(REPLY)
    page.get_by_role("button", name="Post reply").click()
    page.locator(".comment-replies [data-comment]", has_text=REPLY).wait_for()
    assert page.locator("[data-comments]").get_attribute("data-comment-count") == "2"
    assert keeps_the_document(page, js)

    # Edit the comment (a page of its own), back to the discussion with the new text.
    page.locator("[data-comment]", has_text=FIRST).get_by_role("link", name="Edit").click()
    page.get_by_label("Your comment").fill(EDITED)
    page.get_by_role("button", name="Save").click()
    page.wait_for_url(f"**{article.get_absolute_url()}#{COMMENTS}")
    edited = page.locator("[data-comment]", has_text=EDITED)
    assert edited.is_visible() and "edited" in edited.inner_text()

    # Sign out: the gate is back, the discussion stays readable.
    page.get_by_role("navigation", name="Main").get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    page.goto(article.get_absolute_url())
    assert WHOLE not in page.content()
    assert page.locator("[data-paywall]").is_visible()
    assert page.locator("[data-comment]", has_text=REPLY).is_visible()
    assert page.get_by_text("Join to take part in the discussion.").is_visible()
    assert page.console_errors == []


def test_reader_journey_on_a_desktop_with_javascript(page):
    read_sign_up_discuss_and_sign_out(page, js=True)


def test_reader_journey_without_javascript(page_without_js):
    read_sign_up_discuss_and_sign_out(page_without_js, js=False)


def test_reader_journey_on_a_390_px_phone(phone_page):
    read_sign_up_discuss_and_sign_out(phone_page, js=True)
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390


def test_from_an_article_to_its_countries(page):
    article = make_article(
        title="Nairobi Tries Its Hand at Mediation",
        access="free",
        paragraphs=["Kenya invited Ethiopian and Egyptian negotiators to talks.", "Kenya and Ethiopia share a border."],
    )
    page.goto(article.get_absolute_url())
    page.get_by_role("list", name="Countries").get_by_role("link", name="Kenya").click()
    page.wait_for_url("**/countries/ke/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kenya"
    assert page.get_by_role("link", name=article.title).is_visible()
    page.locator("[data-country-pair=et]").click()
    page.wait_for_url("**/countries/*/*/")
    assert "Ethiopia" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("link", name=article.title).is_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Countries").click()
    page.wait_for_url("**/countries/")
    assert page.locator("[data-country=ke]").is_visible()
    assert page.console_errors == []


MARKDOWN = """---
title: "Grain, Ports and a Quiet Deal"
author: "Oksana Brenner"
access: members
dek: "Ukraine and Turkey settle the insurance question without saying so."
---

Ukraine and Turkey agreed this week on how ships leaving Odesa will be insured.

Turkey will host the joint office that issues the certificates.

<!-- members-only -->

The members-only analysis: the premium falls by half if the corridor holds through winter.
"""


def test_an_editor_imports_an_article_and_readers_find_it(page, tmp_path):
    editor = make_user(username="editor", is_staff=True, is_superuser=True)
    make_article(title="Yesterday's News", access="free")
    upload = tmp_path / "grain-ports.md"
    upload.write_text(MARKDOWN)

    page.goto("/admin/login/?next=/admin/articles/article/")
    page.get_by_label("Username").fill(editor.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Import articles").click()

    # A dry run reports what would happen and stores nothing readers could see.
    page.set_input_files("input[name=files]", upload)
    page.get_by_label("Dry run").check()
    page.get_by_role("button", name="Import").click()
    page.locator("[data-import-report][data-dry-run=true]").wait_for()
    assert "Grain, Ports and a Quiet Deal" in page.locator("[data-status=created]").inner_text()
    assert violations(page) == []
    reader = page.context.browser.new_context(base_url=page.url.split("/admin/")[0])
    anonymous = reader.new_page()
    anonymous.goto("/")
    assert "Grain, Ports and a Quiet Deal" not in anonymous.content()

    # The real run: the article leads the list, and sits on its countries' pages, behind the gate.
    page.set_input_files("input[name=files]", upload)
    page.get_by_role("button", name="Import").click()
    page.locator("[data-import-report][data-dry-run=false]").wait_for()
    anonymous.goto("/")
    assert anonymous.locator(f"#{ARTICLE_LIST} .article-item__title a").first.inner_text() == "Grain, Ports and a Quiet Deal"
    anonymous.goto("/countries/ua/")
    anonymous.get_by_role("link", name="Grain, Ports and a Quiet Deal").click()
    assert "Turkey will host the joint office" in anonymous.locator("[data-article-body]").inner_text()
    assert "premium falls by half" not in anonymous.content()
    assert anonymous.locator("[data-paywall]").is_visible()
    reader.close()
    assert page.console_errors == []


def test_search_as_you_type_then_read_a_result(page):
    wanted = make_article(
        title="The Black Sea Grain Corridor", access="free",
        paragraphs=["Insurers priced the corridor before the ministers did.", "Odesa's ports reopened."],
    )
    make_article(title="Pipeline Politics", access="free", paragraphs=["Gas through the pipeline."])
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.evaluate("window.sameDocument = true")
    page.get_by_role("searchbox", name="Search").press_sequentially("insurers corridor", delay=40)
    results = page.locator(f"#{SEARCH_RESULTS}")
    results.get_by_role("link", name=wanted.title).wait_for()
    assert "Pipeline Politics" not in results.inner_text()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == ["insurers corridor"])
    assert keeps_the_document(page, js=True)  # results came in place, as the reader typed
    results.get_by_role("link", name=wanted.title).click()
    page.wait_for_url(f"**{wanted.get_absolute_url()}")
    assert "Insurers priced the corridor" in page.locator("[data-article-body]").inner_text()
    page.go_back()
    page.get_by_role("link", name=wanted.title).wait_for()  # back on the same results
    assert page.get_by_role("searchbox", name="Search").input_value() == "insurers corridor"
    assert page.console_errors == []


def test_search_without_javascript_with_a_mistake_in_the_form(page_without_js):
    page = page_without_js
    wanted = make_article(title="The Black Sea Grain Corridor", access="free", paragraphs=["Insurers priced it."])
    page.goto("/")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Search").click()
    page.get_by_role("searchbox", name="Search").fill("corridor")
    page.get_by_label("From").fill("2026-05-01")
    page.get_by_label("To").fill("2026-04-01")
    page.get_by_role("button", name="Search").click()
    until = page.get_by_label("To")
    assert until.get_attribute("aria-invalid") == "true"
    error = page.locator(f"#{until.get_attribute('aria-describedby')}")
    assert error.inner_text().strip() == "The end date is before the start date."
    page.get_by_label("From").fill("")
    page.get_by_label("To").fill("")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=wanted.title).click()
    page.wait_for_url(f"**{wanted.get_absolute_url()}")
