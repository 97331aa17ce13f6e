"""The member's desk in Chromium: follow a country and a search, articles are imported, the desk
counts them as new, the digest arrives at a real SMTP server, and its link unsubscribes."""

import re

import pytest
from django.core.management import call_command

from articles.models import Desk

from ..factories import make_article, make_member
from .helpers import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

KENYA = """---
title: "Kenya Counts Its Votes"
access: free
tags: [ke]
---

Kenya counted the votes of its election in Nairobi on Tuesday.

Observers said the count was calm.
"""

DROUGHT = """---
title: "Rain Ends the Sahel Drought"
access: free
---

The drought across the Sahel ended with the first rains in Niger.

Farmers planted again.
"""


def test_follow_import_count_digest_and_unsubscribe(page, browser, live_server, smtp_server, settings, tmp_path):
    settings.NEWSREADER_SITE_URL = live_server.url
    member = make_member(username="wanjiru")
    sign_in(page, "wanjiru")

    page.goto("/countries/ke/")
    page.get_by_role("button", name="Follow Kenya").click()
    page.locator("[data-follow] [data-following]").wait_for()
    page.goto("/search/?q=drought")
    page.get_by_role("button", name="Follow this search").click()
    page.locator("[data-follow] [data-following]").wait_for()

    page.goto("/desk/")
    assert page.locator("[data-followed]").count() == 2
    page.locator("[data-digest]").get_by_label("Daily").check()
    page.locator("[data-digest]").get_by_role("button", name="Save").click()
    page.wait_for_url("**/desk/")
    assert Desk.objects.get(user=member).digest == "daily"

    for name, text in (("kenya.md", KENYA), ("drought.md", DROUGHT)):
        (tmp_path / name).write_text(text)
    call_command("import_articles", str(tmp_path / "kenya.md"), str(tmp_path / "drought.md"))

    page.goto("/desk/")
    counts = {
        page.locator("[data-followed]").nth(n).get_by_role("link").first.inner_text(): page.locator("[data-followed]").nth(n).get_attribute("data-new-count")
        for n in range(2)
    }
    assert counts == {"Kenya": "1", "“drought”": "1"}
    assert page.get_by_role("link", name="Rain Ends the Sahel Drought").is_visible()

    call_command("send_digests", "--period", "daily")
    (message,) = smtp_server.messages()
    assert message["To"] == member.email
    text = next(part.get_payload(decode=True).decode() for part in message.walk() if part.get_content_type() == "text/plain")
    assert "Kenya Counts Its Votes" in text and "Rain Ends the Sahel Drought" in text
    link = re.search(r"Unsubscribe from every newsreader email \(no sign-in needed\): (\S+)", text).group(1)

    signed_out = browser.new_context(base_url=live_server.url)
    try:
        other = signed_out.new_page()
        other.goto(link)
        other.get_by_role("button", name="Unsubscribe").click()
        other.locator("[data-unsubscribed]").wait_for()
    finally:
        signed_out.close()
    assert Desk.objects.get(user=member).digest == "none"
    call_command("send_digests", "--period", "daily")
    assert len(smtp_server.messages()) == 1


def test_follow_bookmark_and_read_marks_without_javascript(page_without_js):
    page = page_without_js
    read, unread = make_article(title="Kenya Opens Its Ports", paragraphs=["Kenya opened.", "Mombasa."], language="en"), \
        make_article(title="Peru Closes a Mine", paragraphs=["Peru closed.", "Lima."], language="en")
    make_member(username="odhiambo")
    sign_in(page, "odhiambo")

    page.goto("/countries/ke/")
    page.get_by_role("button", name="Follow Kenya").click()
    page.wait_for_url("**/countries/ke/")
    assert page.get_by_role("button", name="Following Kenya · unfollow").is_visible()

    page.goto(read.get_absolute_url())
    page.get_by_role("button", name="Read later").click()
    page.wait_for_url(f"**{read.get_absolute_url()}")
    assert page.get_by_role("button", name="Bookmarked · remove").is_visible()

    page.goto("/")
    assert page.locator(f'[data-article-id="{read.pk}"] [data-read-mark]').is_visible()
    assert not page.locator(f'[data-article-id="{unread.pk}"] [data-read-mark]').is_visible()
    page.goto("/desk/")
    assert page.locator("[data-followed]").get_by_role("link", name="Kenya", exact=True).is_visible()
    assert page.locator("[data-bookmarked-article]").get_by_role("link", name="Kenya Opens Its Ports").is_visible()
