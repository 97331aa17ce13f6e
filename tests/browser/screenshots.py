"""`make screenshots`: the main pages, desktop and phone, light and dark, into docs/screenshots/.

Not part of the test suite (the file name does not start with test_); `make screenshots` runs it
with pytest so that it gets a throwaway database, the live server and the browser fixture.
"""

from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from ..factories import make_member

pytestmark = pytest.mark.django_db(transaction=True)

OUT = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
VIEWPORTS = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 390, "height": 844}}
SCHEMES = ["light", "dark"]
GATED = "why-we-should-be-worried-about-russia-and-china-working-so-closely"
PASSWORD = "a-long-test-password"


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # a page that has not landed yet
        return None


def _pages():
    pages = [
        ("latest", "/", False),
        ("article-gate", f"/articles/{GATED}/", False),
        ("article-member", f"/articles/{GATED}/", True),
        ("signup", "/accounts/signup/", False),
        ("countries", _url("country_list"), False),
        ("search", (_url("search") or "") + "?q=grain" if _url("search") else None, False),
    ]
    return [(name, path, as_member) for name, path, as_member in pages if path]


def _sign_in(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def test_take_screenshots(browser, live_server):
    call_command("import_articles", "seeds/", verbosity=0)
    member = make_member(username="margot", password=PASSWORD)
    OUT.mkdir(parents=True, exist_ok=True)
    for viewport_name, viewport in VIEWPORTS.items():
        for scheme in SCHEMES:
            for as_member in (False, True):
                context = browser.new_context(
                    base_url=live_server.url, viewport=viewport, color_scheme=scheme,
                    device_scale_factor=1, is_mobile=viewport_name == "phone", has_touch=viewport_name == "phone",
                )
                page = context.new_page()
                if as_member:
                    _sign_in(page, member.username)
                for name, path, member_only in _pages():
                    if member_only != as_member:
                        continue
                    page.goto(path)
                    page.screenshot(path=str(OUT / f"{name}-{viewport_name}-{scheme}.png"))
                context.close()
