"""The Nu Html Checker over every HTML response the tests render.

While the suite runs, a middleware keeps each distinct HTML response (the test client's and the
live server's alike: full pages, and htmx fragments wrapped in a minimal page). When the session
ends, vnu.jar (npm's `vnu-jar`, run with the system Java) checks them all in one run, together with
our stylesheets; any error fails the session and is listed with the request that rendered it.
One check of our own runs beside it: every id that an attribute refers to (aria-describedby,
label for, a same-page link …) must be in the document, which vnu does not look at.
`make test` installs vnu-jar (`npm ci`). NEWSREADER_HTML_CHECK=0 skips the check while iterating.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
STYLESHEETS = sorted((ROOT / "static" / "css").glob("*.css"))
# htmx's hx-* attributes are not HTML's own; every other message is an error of ours.
HTMX_ATTRIBUTES = r".*Attribute “hx-[^”]*” not allowed.*"
# Per-request noise that would make every copy of a page look new.
NOISE = re.compile(rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*')
FRAGMENT_PAGE = (
    b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fragment</title></head>'
    b"<body>%s</body></html>"
)
LIST_FRAGMENT_PAGE = FRAGMENT_PAGE % b"<template>%s</template>"  # <li> items of "Load more"


# Attributes that name other elements by id: the checker does not look whether those exist.
ID_REFERENCES = {"aria-describedby", "aria-labelledby", "aria-controls", "aria-errormessage", "for", "list"}


class References(HTMLParser):
    """Ids in a document, and every reference to an id, with its line."""

    def __init__(self):
        super().__init__()
        self.ids, self.references = set(), []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            elif value and (name in ID_REFERENCES or (name == "href" and tag == "a" and value.startswith("#") and value != "#")):
                for target in value.removeprefix("#").split():
                    self.references.append((self.getpos()[0], name, target))


def dangling_references(body: str) -> list[tuple[int, str]]:
    """(line, message) for each reference to an id the document does not have."""
    parser = References()
    parser.feed(body)
    return [
        (line, f"Attribute “{name}” points at “{target}”, which is not in the document.")
        for line, name, target in parser.references
        if target not in parser.ids
    ]


class Pages:
    """The distinct HTML documents rendered so far, one file each."""

    def __init__(self):
        self.folder = Path(tempfile.mkdtemp(prefix="newsreader-html-"))
        self.labels = {}  # file name -> the request that rendered it
        self.seen = set()
        self.lock = threading.Lock()

    def keep(self, label, body):
        stripped = body.lstrip()
        if not stripped.lower().startswith(b"<!doctype"):
            page = LIST_FRAGMENT_PAGE if stripped.startswith((b"<li", b"{% ")) else FRAGMENT_PAGE
            body = page % body
        digest = hashlib.sha1(NOISE.sub(rb"\1", body)).hexdigest()
        with self.lock:
            if digest in self.seen:
                return
            self.seen.add(digest)
            name = f"{len(self.seen):05d}.html"
            self.labels[name] = label
        (self.folder / name).write_bytes(body)

    def check(self):
        """vnu's error messages, each as (what, where, message, extract)."""
        if not VNU_JAR.exists():
            return [("setup", "", f"{VNU_JAR.relative_to(ROOT)} is missing: run `make test` (it runs npm ci)", "")]
        command = [
            "java", "-jar", str(VNU_JAR), "--errors-only", "--also-check-css", "--format", "json", "--stdout",
            "--filterpattern", HTMX_ATTRIBUTES, str(self.folder), *map(str, STYLESHEETS),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        try:
            messages = json.loads(result.stdout)["messages"]
        except (ValueError, KeyError):
            return [("vnu", "", f"the checker did not run: {result.stderr.strip() or result.stdout.strip()}", "")]
        errors = [
            (label, f"line {line}", message, "")
            for name, label in self.labels.items()
            for line, message in dangling_references((self.folder / name).read_text(errors="replace"))
        ]
        for message in messages:
            url = message.get("url", "")
            name = url.rsplit("/", 1)[-1]
            what = self.labels.get(name, url.replace(f"file:{ROOT}/", ""))
            where = f"line {message.get('lastLine', '?')}"
            errors.append((what, where, message.get("message", ""), message.get("extract", "").strip()))
        return errors

    def discard(self):
        shutil.rmtree(self.folder, ignore_errors=True)


_pages = None


class CollectHtml:
    """Middleware (outermost, tests only): hands every HTML response to the checker."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            _pages is not None
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
            and response.content.strip()
        ):
            _pages.keep(f"{request.method} {request.get_full_path()} ({response.status_code})", response.content)
        return response


def pytest_configure(config):
    global _pages
    if os.environ.get("NEWSREADER_HTML_CHECK", "1") == "0":
        return
    _pages = Pages()
    settings.MIDDLEWARE = ["tests.htmlcheck.CollectHtml", *settings.MIDDLEWARE]


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session, exitstatus):
    if _pages is None or not _pages.labels:
        return
    session.config.stash[ERRORS] = errors = _pages.check()
    _pages.discard()
    if errors:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _pages is None or not _pages.labels:
        return
    errors = config.stash.get(ERRORS, [])
    checked = f"{len(_pages.labels)} distinct HTML documents and {len(STYLESHEETS)} stylesheet(s)"
    if not errors:
        terminalreporter.write_line(f"Nu Html Checker: no errors in {checked}.", green=True)
        return
    terminalreporter.section("Nu Html Checker", red=True)
    for what, where, message, extract in errors:
        terminalreporter.write_line(f"{what}, {where}: {message}")
        if extract:
            terminalreporter.write_line(f"    {extract}")
    terminalreporter.write_line(f"{len(errors)} HTML error(s) in {checked}: failing the run.", red=True)


ERRORS = pytest.StashKey[list]()
