"""Article pages: title and author from the page's own metadata first (formats/page_meta.py), then
from extraction; an error page is refused with the reason, whether a file or a fetched URL."""

import pytest

from articles.importing.pipeline import import_inputs
from articles.models import Article

pytestmark = pytest.mark.django_db

TEXT = "".join(
    f"<p>Paragraph {n}: negotiators from both delegations met again on Tuesday in Doha, and the mediators "
    "said the talks on prisoners and aid corridors would go on through the week.</p>" for n in range(6)
)
HEAD = """<meta property="og:site_name" content="The Daily Wire Service">
<meta property="og:title" content="Ceasefire talks resume in Doha | The Daily Wire Service">"""
LINKED_DATA = """<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "The Daily Wire Service"},
  {"@type": "NewsArticle", "headline": "Ceasefire talks resume in Doha &#8211; day two",
   "author": [{"@type": "Person", "name": "Amira Haddad"}, {"@type": "Person", "name": "Tom Reyes"}]}]}</script>"""


def page(head: str, body: str = TEXT, title: str = "World | The Daily Wire Service") -> str:
    return (f"<!doctype html><html><head><title>{title}</title>{head}</head><body><header><a href='/'>The Daily Wire "
            f"Service</a></header><main><article><p class='byline'>Photo by Getty Images</p>{body}</article>"
            "<section class='comments'><h2>Leave a Reply</h2><form><textarea></textarea></form></section></main></body></html>")


def imported(tmp_path, content: str):
    (tmp_path / "page.html").write_text(content)
    return import_inputs([str(tmp_path / "page.html")])


def test_the_pages_linked_data_gives_its_headline_and_authors(tmp_path):
    assert imported(tmp_path, page(HEAD + LINKED_DATA)).ok
    article = Article.objects.get()
    assert (article.title, article.author) == ("Ceasefire talks resume in Doha – day two", "Amira Haddad, Tom Reyes")


def test_opengraph_gives_the_headline_without_the_sites_name_and_a_photo_credit_is_no_author(tmp_path):
    """Extraction took "… | The Daily Wire Service" for the title and "Photo by Getty Images" for the author."""
    assert imported(tmp_path, page(HEAD)).ok
    article = Article.objects.get()
    assert (article.title, article.author) == ("Ceasefire talks resume in Doha", "")


def test_a_meta_author_is_taken_and_a_label_is_not(tmp_path):
    assert imported(tmp_path, page(HEAD + '<meta name="author" content="By Lina Osei">')).ok
    assert Article.objects.get().author == "Lina Osei"
    Article.objects.all().delete()
    assert imported(tmp_path, page(HEAD + '<meta name="author" content="Posted">')).ok
    assert Article.objects.get().author == ""


ERROR_PAGES = {
    "apache": ("404 Not Found", "<h1>Not Found</h1><p>The requested URL was not found on this server.</p>"),
    "nginx": ("403 Forbidden", "<center><h1>403 Forbidden</h1></center><hr><center>nginx</center>"),
    "wordpress": ("Page not found – The Daily Wire Service",
                  "<h1>Oops! That page can’t be found.</h1><p>It looks like nothing was found at this location. Maybe try a search?</p>"),
    "cloudflare": ("Just a moment...", "<p>Checking if the site connection is secure. Enable JavaScript and cookies to continue.</p>"),
    "soft": ("The Daily Wire Service", "<h1>Error 404</h1><p>Sorry, we could not find what you were looking for.</p>"),
}


@pytest.mark.parametrize("kind", ERROR_PAGES)
def test_an_error_page_is_refused_with_a_clear_reason(tmp_path, kind):
    title, body = ERROR_PAGES[kind]
    report = imported(tmp_path, f"<!doctype html><html><head><title>{title}</title></head><body>{body}</body></html>")
    assert not Article.objects.exists()
    assert "it is an error page (“" in report.failed[0]["error"] and report.failed[0]["error"].endswith("), not an article")


def test_an_article_about_an_error_is_not_taken_for_one(tmp_path):
    assert imported(tmp_path, page(HEAD, title="Error 404: the ministry's missing files")).ok


def test_a_fetched_error_page_is_refused_whatever_its_status(httpserver, settings):
    settings.NEWSREADER_FETCH_ALLOWED_HOSTS = [f"{httpserver.host}:{httpserver.port}"]
    title, body = ERROR_PAGES["wordpress"]
    httpserver.expect_request("/gone").respond_with_data("<html><body>Gone</body></html>", status=404, content_type="text/html")
    httpserver.expect_request("/soft").respond_with_data(
        f"<html><head><title>{title}</title></head><body>{body}</body></html>", content_type="text/html")
    report = import_inputs([httpserver.url_for("/gone"), httpserver.url_for("/soft")])
    errors = [entry["error"] for entry in report.failed]
    assert errors[0].endswith("the server answered 404 NOT FOUND")
    assert errors[1].endswith("it is an error page (“Page not found – The Daily Wire Service”), not an article")
    assert not Article.objects.exists()
