"""The HTML gate itself: it must find real errors, and pass valid pages and htmx attributes."""

from .htmlcheck import Pages

VALID = b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>t</title></head><body><p hx-get="/x">ok</p></body></html>'


def check(*bodies):
    pages = Pages()
    try:
        for n, body in enumerate(bodies):
            pages.keep(f"GET /page-{n}/ (200)", body)
        return pages.check()
    finally:
        pages.discard()


def test_valid_pages_and_fragments_pass():
    assert check(VALID, b'<section id="comments"><h2>0 comments</h2></section>', b"<li>item</li><nav hx-swap-oob=\"true\"></nav>") == []


def test_errors_are_reported_with_the_request_that_rendered_them():
    errors = check(VALID, VALID.replace(b"<p hx-get", b'<img src="/a.png"><p hx-get'))
    assert len(errors) == 1
    what, where, message, extract = errors[0]
    assert what == "GET /page-1/ (200)"
    assert "alt" in message


def test_fragments_are_checked_too():
    errors = check(b'<section><ul><div>not a list item</div></ul></section>')
    assert errors and errors[0][0] == "GET /page-0/ (200)"


def test_identical_pages_are_checked_once():
    pages = Pages()
    try:
        pages.keep("GET /a/ (200)", VALID)
        pages.keep("GET /b/ (200)", VALID)
        assert list(pages.labels.values()) == ["GET /a/ (200)"]
    finally:
        pages.discard()


def test_references_to_missing_ids_are_errors():
    page = VALID.replace(
        b"<p hx-get",
        b'<label for="q">Q</label><input id="q" aria-describedby="q_error"><a href="#main">Skip</a><p hx-get',
    )
    messages = sorted(message for _, _, message, _ in check(page))
    assert messages == [
        "Attribute “aria-describedby” points at “q_error”, which is not in the document.",
        "Attribute “href” points at “main”, which is not in the document.",
    ]
