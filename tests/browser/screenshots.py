"""`make screenshots`: the main pages, desktop and phone, light and dark, into docs/screenshots/.

Not part of the test suite (the file name does not start with test_); `make screenshots` runs it
with pytest so that it gets a throwaway database, the live server and the browser fixture.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from articles.elements import COMMENTS

from ..factories import make_member
from .helpers import PASSWORD, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 390, "height": 844}}
SCHEMES = ["light", "dark"]
GATED = "why-we-should-be-worried-about-russia-and-china-working-so-closely"


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a page that has not landed yet
        return None


def _pages():
    search = _url("search")
    pages = [
        ("latest", "/", False),
        ("article-gate", f"/articles/{GATED}/", False),
        ("article-member", f"/articles/{GATED}/", True),
        ("comments", f"/articles/{GATED}/#{COMMENTS}", True),
        ("signup", "/accounts/signup/", False),
        ("countries", _url("country_list"), False),
        ("country", _url("country_detail", "ke"), False),
        ("search", f"{search}?q=corridor" if search else None, False),
    ]
    return [(name, path, as_member) for name, path, as_member in pages if path]


def _discuss(page):
    """A short discussion under the gated article, posted the way a member posts."""
    page.goto(f"/articles/{GATED}/#{COMMENTS}")
    for body in [
        "Lavrov’s timing matters more than the communiqué: Guilin was chosen to be seen.",
        "Agreed, though the treaty anniversary was always going to be marked. The question is what follows.",
    ]:
        page.get_by_label("Your comment").fill(body)
        page.get_by_role("button", name="Post comment").click()
        page.locator("[data-comment]", has_text=body[:20]).wait_for()
    page.locator("details.comment-thread__reply summary").first.click()
    page.locator("details.comment-thread__reply textarea").first.fill("And Beijing needs the cover more than Moscow does.")
    page.get_by_role("button", name="Post reply").first.click()
    page.locator("[data-comment]", has_text="Beijing needs the cover").wait_for()


def test_take_screenshots(browser, live_server):
    call_command("import_articles", "seeds/", verbosity=0)
    member = make_member(username="margot", password=PASSWORD)
    OUT.mkdir(parents=True, exist_ok=True)
    discussed = False
    for viewport_name, viewport in VIEWPORTS.items():
        for scheme in SCHEMES:
            for as_member in (False, True):
                context = browser.new_context(
                    base_url=live_server.url, viewport=viewport, color_scheme=scheme,
                    device_scale_factor=1, is_mobile=viewport_name == "phone", has_touch=viewport_name == "phone",
                )
                page = context.new_page()
                if as_member:
                    sign_in(page, member.username)
                    if not discussed:
                        _discuss(page)
                        discussed = True
                for name, path, member_only in _pages():
                    if member_only != as_member:
                        continue
                    page.goto(path)
                    page.screenshot(path=str(OUT / f"{name}-{viewport_name}-{scheme}.png"))
                context.close()
