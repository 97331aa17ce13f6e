"""Importing URLs: a local test server stands in for the web; the guard refuses what it must."""

import itertools
import socket
import threading
import time
from pathlib import Path

import pytest

from articles.importing.fetch import USER_AGENT, Deadline, public_addresses
from articles.importing.pipeline import Importer, import_inputs, inputs_from_names
from articles.models import Article

from .bounded import within

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"
pytestmark = pytest.mark.django_db


@pytest.fixture
def allowed(httpserver, settings):
    """The test server's host:port allowed past the public-address check."""
    settings.NEWSREADER_FETCH_ALLOWED_HOSTS = [f"{httpserver.host}:{httpserver.port}"]
    return httpserver


@pytest.mark.parametrize(
    "url, words",
    [
        ("http://127.0.0.1/", "127.0.0.1, a loopback address"),
        ("http://localhost:8000/admin/", "a loopback address"),
        ("http://10.1.2.3/feed", "a private address"),
        ("http://169.254.169.254/latest/meta-data/", "a link-local address"),
        ("http://[::1]/", "a loopback address"),
        ("file:///etc/passwd", "only http and https URLs are fetched, not file:"),
        ("ftp://example.org/feed.xml", "only http and https URLs are fetched, not ftp:"),
    ],
)
def test_the_guard_refuses_local_addresses_and_other_schemes_by_default(url, words):
    report = import_inputs([url])
    [failure] = report.failed
    assert failure["input"] == url
    assert failure["error"].startswith(f"{url}: ") and words in failure["error"]
    assert not Article.objects.exists()


def test_a_test_server_on_loopback_is_refused_unless_allowed(httpserver, settings):
    httpserver.expect_request("/page").respond_with_data("never served", content_type="text/html")
    assert "loopback" in import_inputs([httpserver.url_for("/page")]).failed[0]["error"]
    assert httpserver.log == []


def test_an_allowed_page_url_imports_the_article_with_a_clear_user_agent(allowed):
    allowed.expect_request("/story", headers={"User-Agent": USER_AGENT}).respond_with_data(
        (FIXTURES / "page-with-chrome.html").read_bytes(), content_type="text/html; charset=utf-8"
    )
    report = import_inputs([allowed.url_for("/story")])
    assert report.ok, report.failed
    article = Article.objects.get()
    assert article.title == "Delta Water Talks Stall Again"
    assert article.source_url == "https://riverine.example.org/2026/03/delta-water-talks"


def test_an_allowed_feed_url_imports_every_entry(allowed):
    allowed.expect_request("/feed").respond_with_data(
        (FIXTURES / "html-content.atom").read_bytes(), content_type="application/atom+xml"
    )
    report = import_inputs([allowed.url_for("/feed")])
    assert report.ok and len(report.created) == 2


def test_a_page_without_a_canonical_url_keeps_the_url_it_came_from(allowed):
    page = "<html><head><title>Plain Page</title></head><body><article><h1>Plain Page</h1>" + (
        "<p>" + "Enough words to count as the article's own text, said the extractor. " * 4 + "</p>"
    ) * 3 + "</article></body></html>"
    allowed.expect_request("/plain").respond_with_data(page, content_type="text/html")
    assert import_inputs([allowed.url_for("/plain")]).ok
    assert Article.objects.get().source_url == allowed.url_for("/plain")


def test_an_answer_over_the_size_limit_or_an_error_status_fails(allowed, settings):
    settings.NEWSREADER_IMPORT_MAX_BYTES = 1000
    allowed.expect_request("/big").respond_with_data("x" * 5000, content_type="text/plain")
    allowed.expect_request("/gone").respond_with_data("gone", status=404)
    report = import_inputs([allowed.url_for("/big"), allowed.url_for("/gone")])
    errors = [e["error"] for e in report.failed]
    assert "over the limit of 1,000" in errors[0]
    assert "the server answered 404" in errors[1]


def test_a_redirect_to_an_address_not_allowed_is_refused(allowed):
    target = f"http://127.0.0.1:{allowed.port}/inside"
    allowed.expect_request("/out").respond_with_data("", status=302, headers={"Location": target})
    allowed.expect_request("/inside").respond_with_data("secret", content_type="text/plain")
    [failure] = import_inputs([allowed.url_for("/out")]).failed
    assert "127.0.0.1, a loopback address" in failure["error"]
    assert [request.path for request, _ in allowed.log] == ["/out"]


@pytest.fixture
def trickling_server(settings):
    """A server on 127.0.0.1 that sends `answer` one byte every 50 ms, then keeps on sending
    spaces that way for as long as the client listens: never silent for the per-read timeout."""
    servers = []

    def serve(answer: bytes) -> str:
        listener = socket.create_server(("127.0.0.1", 0))
        servers.append(listener)

        def trickle():
            connection, _ = listener.accept()
            with connection:
                for byte in itertools.chain(answer, itertools.repeat(ord(" "))):
                    try:
                        connection.sendall(bytes([byte]))
                    except OSError:
                        return  # the client hung up
                    time.sleep(0.05)

        threading.Thread(target=trickle, daemon=True).start()
        port = listener.getsockname()[1]
        settings.NEWSREADER_FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{port}"]
        return f"http://127.0.0.1:{port}/slow"

    yield serve
    for listener in servers:
        listener.close()


@pytest.mark.parametrize("answer", [
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nTitle\n\nText",  # a body without end
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\nTitle\n\nText",
    b"HTTP/1.1 200 OK\r\nX-Slow",  # headers without end
], ids=["body", "body-with-length", "headers"])
def test_a_server_trickling_a_byte_at_a_time_is_cut_off_at_the_deadline(trickling_server, settings, answer):
    settings.NEWSREADER_FETCH_TIMEOUT = 1
    settings.NEWSREADER_FETCH_DEADLINE = 1
    url = trickling_server(answer)
    started = time.monotonic()
    with within(10, "the fetch"):
        [failure] = import_inputs([url]).failed
    assert time.monotonic() - started < 3
    assert failure["error"] == f"{url}: fetching it ran past the 1 s allowed (NEWSREADER_FETCH_DEADLINE)"
    assert not Article.objects.exists()


@pytest.mark.parametrize("address, carried", [
    ("::ffff:127.0.0.1", "127.0.0.1"),  # IPv4-mapped
    ("::ffff:169.254.169.254", "169.254.169.254"),
    ("::10.0.0.1", "10.0.0.1"),  # IPv4-compatible
    ("64:ff9b::7f00:1", "127.0.0.1"),  # NAT64, well-known prefix
    ("64:ff9b::a9fe:a9fe", "169.254.169.254"),
    ("64:ff9b:1::c0a8:101", "192.168.1.1"),  # NAT64, local-use prefix
    ("2002:7f00:1::", "127.0.0.1"),  # 6to4
    ("2002:a9fe:a9fe::1", "169.254.169.254"),
    ("2001:0:4136:e378:8000:63bf:f5ff:fffe", "10.0.0.1"),  # Teredo: client 10.0.0.1 (stored inverted)
])
def test_an_ipv6_address_carrying_a_private_ipv4_one_is_refused(address, carried):
    url = f"http://[{address}]/latest/meta-data/"
    [failure] = import_inputs([url]).failed
    assert f"which carries {carried}, a " in failure["error"] and "refused:" in failure["error"]


def test_an_ipv6_address_carrying_a_public_ipv4_one_passes_the_guard():
    assert public_addresses("64:ff9b::808:808", 80) == ["64:ff9b::808:808"]
    assert public_addresses("::ffff:8.8.8.8", 80) == ["::ffff:808:808"]


def test_a_fetch_inside_a_time_limited_import_is_held_to_that_limit(trickling_server, settings):
    settings.NEWSREADER_FETCH_DEADLINE = 60
    url = trickling_server(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nTitle\n\nText")
    deadline = Deadline.after(1, "NEWSREADER_IMPORT_INLINE_SECONDS")
    with within(10, "the import"):
        report = Importer(deadline=deadline).run(inputs_from_names([url], deadline))
    assert report.failed[0]["error"] == f"{url}: fetching it ran past the 1 s allowed (NEWSREADER_IMPORT_INLINE_SECONDS)"
