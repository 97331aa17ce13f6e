"""Browser tests: Playwright driving Debian's Chromium (/usr/bin/chromium) against a live server.

Playwright's sync API runs an event loop in the test thread; Django refuses database calls from
a thread with a running loop unless told it is safe, which it is here (one test thread).
"""

import os

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("NEWSREADER_CHROMIUM", "/usr/bin/chromium")
# Flags for a closed network and a root user (CI runs as root).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`.ci/run` does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _new_page(browser, live_server, **context_options):
    context = browser.new_context(base_url=live_server.url, **context_options)
    page = context.new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    return context, page


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh browser context, with JavaScript; `page.console_errors` collects errors."""
    context, page = _new_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def page_without_js(browser, live_server):
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture(params=["light", "dark"])
def themed_page(request, browser, live_server):
    """A page with JavaScript in the light, then the dark colour scheme (`page.color_scheme`)."""
    context, page = _new_page(browser, live_server, color_scheme=request.param)
    page.color_scheme = request.param
    yield page
    context.close()


@pytest.fixture
def phone_page(browser, live_server):
    """A 390 px wide phone with touch, JavaScript on."""
    context, page = _new_page(
        browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield page
    context.close()
