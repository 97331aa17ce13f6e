import re

import pytest
from playwright.sync_api import expect

from articles.elements import COMMENTS
from articles.models import CommentBan

from ..factories import make_article, make_comment, make_member
from .helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)
WHOLE = "The members-only paragraph that a trial opens."


def sign_up_from_the_gate(page):
    article = make_article(
        title="Ports and Pipelines",
        paragraphs=["Free one.", "Free two.", WHOLE, "Members-only four."],
        free_blocks=2,
    )
    page.goto(article.get_absolute_url())
    assert WHOLE not in page.content()
    page.locator("[data-paywall]").get_by_role("link", name="Try a membership").click()
    page.fill("input[name=username]", "newmember")
    page.fill("input[name=email]", "newmember@example.org")
    page.fill("input[name=password1]", "tidal-basin-41")
    page.fill("input[name=password2]", "tidal-basin-41")
    page.get_by_role("button", name="Start my membership").click()
    page.wait_for_url(f"**{article.get_absolute_url()}")
    assert WHOLE in page.locator("[data-article-body]").inner_text()
    assert page.locator("[data-paywall]").count() == 0
    return article


def test_sign_up_read_and_comment_with_htmx(page):
    sign_up_from_the_gate(page)
    comments = page.locator("[data-comments]")
    assert comments.get_attribute("data-comment-count") == "0"
    page.evaluate("window.notReloaded = true")
    page.get_by_label("Your comment").fill("Posted in place.\n\nSee https://example.org/map")
    with page.expect_response(lambda response: "/comments/" in response.url and response.request.method == "POST") as answer:
        page.get_by_role("button", name="Post comment").click()
    assert answer.value.status == 200
    page.locator("[data-comment]").first.wait_for()
    assert page.locator("[data-comments]").get_attribute("data-comment-count") == "1"
    comment = page.locator("[data-comment]")
    assert comment.count() == 1 and "Posted in place." in comment.inner_text()
    expect(comment.locator("time")).to_have_text(re.compile(r"^(now|\d+ seconds? ago)$"))  # made relative once swapped in
    assert comment.get_by_role("link", name="https://example.org/map").get_attribute("rel") == "nofollow ugc noopener"
    assert page.evaluate("window.notReloaded") is True  # the fragment was swapped, the page kept
    assert page.get_by_label("Your comment").input_value() == ""
    assert page.console_errors == []
    page.get_by_label("Your comment").fill("   ")
    page.get_by_role("button", name="Post comment").click()
    page.get_by_text("Write something before you post.").wait_for()
    assert page.evaluate("window.notReloaded") is True
    assert page.get_by_label("Your comment").get_attribute("aria-invalid") == "true"


def test_sign_up_read_and_comment_without_javascript(page_without_js):
    page = page_without_js
    article = sign_up_from_the_gate(page)
    page.get_by_label("Your comment").fill("Posted without JavaScript.")
    page.get_by_role("button", name="Post comment").click()
    page.wait_for_url(f"**{article.get_absolute_url()}#{COMMENTS}")
    assert page.locator("[data-comments]").get_attribute("data-comment-count") == "1"
    assert "Posted without JavaScript." in page.locator("[data-comment]").inner_text()
    page.get_by_text("Reply", exact=True).click()
    page.get_by_label("Your reply to newmember").fill("A reply, also without JavaScript.")
    page.get_by_role("button", name="Post reply").click()
    page.wait_for_url(f"**{article.get_absolute_url()}#{COMMENTS}")
    assert page.locator(".comment-replies [data-comment]").inner_text().count("A reply, also without JavaScript.") == 1


def test_staff_hide_and_ban_from_the_page_with_htmx(page):
    article = make_article(title="Moderated", access="free")
    make_comment(article=article, user=make_member(username="troll"), body="Rude words.")
    make_member(username="editor", is_staff=True)
    page.goto("/accounts/login/")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", "a-long-test-password")
    page.get_by_role("button", name="Sign in").click()
    page.goto(article.get_absolute_url())
    page.evaluate("window.notReloaded = true")
    page.get_by_role("button", name="Hide").click()
    page.locator("[data-comment-hidden]").wait_for()
    assert page.locator("[data-comments]").get_attribute("data-comment-count") == "0"
    page.get_by_text("Ban from commenting").click()
    page.get_by_label("Reason for banning troll").fill("Rude, twice.")
    page.get_by_role("button", name="Ban troll").click()
    page.locator(".badge", has_text="Banned").wait_for()
    assert CommentBan.objects.get(user__username="troll").reason == "Rude, twice."
    assert page.evaluate("window.notReloaded") is True
    assert page.console_errors == []


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_members_comment_from_the_shared_copy_of_a_page(browser, live_server, settings, javascript):
    settings.NEWSREADER_PAGE_CACHE_SECONDS = 600  # the members' copy of the page is kept and shared
    article = make_article(title="Shared Copy", paragraphs=["Free.", "Free two.", WHOLE, "More."], free_blocks=2)
    pages = []
    for username in ["first-reader", "second-reader"]:  # the second is served the first's audience copy
        make_member(username=username)
        context = browser.new_context(base_url=live_server.url, java_script_enabled=javascript)
        page = context.new_page()
        sign_in(page, username)
        page.goto(article.get_absolute_url())
        assert WHOLE in page.locator("[data-article-body]").inner_text()
        pages.append((username, page))
    for username, page in reversed(pages):  # each posts with the token their copy carries
        page.get_by_label("Your comment").fill(f"A remark by {username}.")
        page.get_by_role("button", name="Post comment").click()
        own = page.locator("[data-comment]", has_text=f"A remark by {username}.")
        own.wait_for()
        assert own.get_by_role("link", name="Edit").count() == 1  # their own controls, on their page
        page.context.close()
    assert article.comments.count() == 2
