import random

import pytest

from articles.importing.sanitize import PLAIN_PARAGRAPH, clean_block, clean_html, html_to_text, paragraph


@pytest.mark.parametrize(
    "dirty, clean",
    [
        ('<p>Text<script>alert(1)</script></p>', "<p>Text</p>"),
        ('<p onclick="x()">Text</p>', "<p>Text</p>"),
        ('<a href="javascript:alert(1)">link</a>', "<a>link</a>"),  # no rel: an <a> without href may not have one
        ('<p>A <a title="t" href="data:x" rel="opener">link</a> and <a href="https://example.org/">one</a></p>',
         '<p>A <a title="t">link</a> and <a href="https://example.org/" rel="noopener">one</a></p>'),
        ('<a href="https://example.org/">link</a>', '<a href="https://example.org/" rel="noopener">link</a>'),
        ('<p><img src="x" onerror="alert(1)">Text</p>', "<p>Text</p>"),  # an image without a usable src goes
        ('<img src="data:image/png;base64,AAAA" alt="pixel">', ""),
        ('<img src="https://example.org/a.png">', '<img src="https://example.org/a.png" alt="">'),
        ('<img alt="a &gt; b" src="https://example.org/a.png">', '<img alt="a &gt; b" src="https://example.org/a.png">'),
        ("<style>p{}</style><iframe src=https://x.org></iframe><p>Kept</p>", "<p>Kept</p>"),
    ],
)
def test_the_sanitiser_keeps_what_articles_need_and_nothing_that_runs(dirty, clean):
    assert clean_html(dirty) == clean


def test_a_plain_paragraph_is_taken_as_the_sanitiser_would_give_it_back():
    """`clean_block` skips the sanitiser for paragraphs it would not change: checked against it
    over random text from every plane, and the characters it treats specially."""
    rng = random.Random(7)
    alphabet = [chr(rng.randint(0, 0x10FFFF)) for _ in range(3000)] + [chr(c) for c in range(0x200)] + [
        "&amp;", "&lt;", "&gt;", "&nbsp;", "&#39;", "&", "<b>", "\u2028", "\ufeff", "\ufffd", "\ufffe", "\U0001fffe",
    ]
    plain = 0
    for _ in range(20000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12)))
        for block in (paragraph(text), f"<p>{text}</p>"):
            if PLAIN_PARAGRAPH.fullmatch(block):
                plain += 1
                cleaned = clean_html(block).strip()
                assert clean_block(block) == (cleaned, html_to_text(cleaned)), repr(block)
    assert plain > 5000
    assert clean_block(paragraph("Tom & Jerry <3 \u2014 “quoted”")) == (
        "<p>Tom &amp; Jerry &lt;3 \u2014 “quoted”</p>", "Tom & Jerry <3 \u2014 “quoted”"
    )
    assert clean_block("<p>a&nbsp;b</p>") == ("<p>a&nbsp;b</p>", "a\xa0b")  # through the sanitiser
    assert clean_block('<p onclick="x()">Text</p>') == ("<p>Text</p>", "Text")
