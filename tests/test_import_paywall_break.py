"""A members-only break is the author's word: the text below it is for members whatever the
input's access or the default says, on the page, in meta tags, in feeds and in search."""

import json

import pytest

from articles.importing.pipeline import Defaults, import_inputs
from articles.models import Article

from .factories import make_member

pytestmark = pytest.mark.django_db
BELOW = "Quartermaster ledger tallies"  # words only the text below the break holds


def inputs(folder):
    (folder / "a.md").write_text(
        f"---\ntitle: Free Yet Broken\naccess: free\n---\nThe open opening.\n\n<!-- members-only -->\n\n{BELOW} here.\n"
    )
    (folder / "b.json").write_text(json.dumps({
        "title": "Free JSON With A Break", "access": "free",
        "body": f"<p>The open opening.</p><!-- members-only --><p>{BELOW} there.</p>",
    }))
    return folder


def test_a_break_keeps_the_text_below_it_for_members_whatever_the_access_says(tmp_path, client, settings):
    settings.NEWSREADER_DEFAULT_ACCESS = "free"
    report = import_inputs([str(inputs(tmp_path))], defaults=Defaults(access="free"))
    assert report.ok and len(report.created) == 2
    for article in Article.objects.all():
        assert article.access == "members" and BELOW in article.members_text and BELOW not in article.free_text
        page = client.get(article.get_absolute_url()).content.decode()
        assert "The open opening." in page and "data-paywall" in page
        assert BELOW not in page  # the body, the meta description, the JSON-LD
    for feed in ["/feed/", "/feed/atom/"]:
        assert BELOW not in client.get(feed).content.decode()
    assert "Free Yet Broken" not in client.get("/search/?q=Quartermaster").content.decode()
    client.force_login(make_member())
    assert BELOW in client.get(Article.objects.first().get_absolute_url()).content.decode()
