from html.parser import HTMLParser

import pytest

from articles.comment_text import render


class Elements(HTMLParser):
    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def test_paragraphs_at_blank_lines_and_line_breaks_within():
    assert render("First line\nsecond line\n\n\n  Second paragraph  \r\n") == "<p>First line<br>second line</p><p>Second paragraph</p>"


def test_web_addresses_become_links_for_search_engines_to_ignore():
    html = render("Read https://example.org/report?a=1&b=2. Or www.example.com")
    links = [attrs for tag, attrs in Elements(html).found if tag == "a"]
    assert links == [
        {"href": "https://example.org/report?a=1&b=2", "rel": "nofollow ugc noopener"},
        {"href": "http://www.example.com", "rel": "nofollow ugc noopener"},
    ]


@pytest.mark.parametrize(
    "payload",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        '"><svg onload=alert(1)>',
        '<a href="javascript:alert(1)">click</a>',
        "javascript:alert(1)",
        'https://example.org/"onmouseover="alert(1)',
        "<iframe src=https://evil.example></iframe>",
        "<b style='x'>bold</b> &amp; &lt;",
    ],
)
def test_reader_markup_is_escaped_never_rendered(payload):
    html = render(f"Hello {payload} there")
    for tag, attrs in Elements(html).found:
        assert tag in {"p", "br", "a"}
        if tag == "a":
            assert set(attrs) == {"href", "rel"} and attrs["href"].startswith(("http://", "https://"))
    assert "<script" not in html and "<img" not in html and "<svg" not in html and "<iframe" not in html


def test_escaped_text_reads_as_typed():
    assert render("a < b & c > d") == "<p>a &lt; b &amp; c &gt; d</p>"
