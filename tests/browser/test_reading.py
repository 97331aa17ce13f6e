import pytest

from ..factories import make_article

pytestmark = pytest.mark.django_db(transaction=True)


def test_anonymous_reader_opens_an_article_from_the_list_and_meets_the_gate(page):
    make_article(
        title="Straits and Sanctions",
        paragraphs=["Free one.", "Free two.", "Members-only three.", "Members-only four."],
        free_blocks=2,
    )
    page.goto("/")
    page.get_by_role("link", name="Straits and Sanctions").click()
    body = page.locator("[data-article-body]")
    assert "Free two." in body.inner_text()
    assert "Members-only three." not in page.content()
    gate = page.locator("[data-paywall]")
    assert gate.is_visible()
    assert gate.get_by_role("link", name="Try a membership").get_attribute("href").startswith("/accounts/signup/")
    assert page.console_errors == []
