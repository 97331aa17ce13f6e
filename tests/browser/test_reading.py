import datetime as dt

import pytest
from django.utils import timezone
from django.utils.formats import date_format

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


def test_recent_dates_read_as_relative_time_in_the_browser_and_as_the_moment_without_it(page, page_without_js):
    now = timezone.now()
    make_article(title="This Morning's Talks", published_at=now - dt.timedelta(hours=3))
    make_article(title="Last Summer's Treaty", published_at=dt.datetime(2026, 8, 4, 7, 15, tzinfo=dt.UTC))

    def dates(page):
        page.goto("/")
        items = page.locator(".article-item")
        return [items.filter(has_text=title).locator("time").inner_text()
                for title in ("This Morning's Talks", "Last Summer's Treaty")]

    assert dates(page) == ["3 hours ago", "4 August 2026"]
    assert page.console_errors == []
    moment = date_format(timezone.localtime(now - dt.timedelta(hours=3)), "j F Y, H:i T")
    assert dates(page_without_js) == [moment, "4 August 2026"]
