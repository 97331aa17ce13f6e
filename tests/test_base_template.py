from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def test_every_page_has_a_skip_link_masthead_and_social_image(client):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html and '<main id="main"' in html
    assert '<nav class="masthead__nav" aria-label="Main">' in html
    assert 'href="/" aria-current="page">Latest</a>' in html
    assert '<meta property="og:image" content="http://testserver/static/social.png">' in html
    assert 'href="/accounts/login/?next=/"' in html


def test_signed_in_reader_sees_account_and_sign_out(admin_client):
    html = admin_client.get("/").content.decode()
    assert 'href="/accounts/">Account</a>' in html and "Sign out</button>" in html
    assert "Sign in</a>" not in html


def test_our_images_are_ours_and_in_static():
    static = Path(settings.BASE_DIR) / "static"
    for name in ["social.png", "apple-touch-icon.png", "favicon.svg"]:
        assert (static / name).stat().st_size > 0
    assert (static / "social.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_masthead_and_footer_link_every_section_and_the_feeds(client):
    html = client.get("/").content.decode()
    masthead, footer = html.split('<main id="main"')[0], html.split('<footer class="footer">')[1]
    for link in ['href="/countries/">Countries</a>', 'href="/search/">Search</a>']:
        assert link in masthead
    for link in ['href="/feed/">RSS feed</a>', 'href="/feed/atom/">Atom feed</a>']:
        assert link in footer
