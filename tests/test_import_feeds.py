"""Feeds as publishers really write them (formats/feed.py, formats/entries.py): a recoverable XML
error is a warning and every readable entry is stored; the fullest body wins; over-long fields are
shortened, not refused; headline-only entries are link articles and untitled ones are titled by
their first words (each can be turned off per feed source); entries that share a link or a guid
stay apart; and a feed's content is never taken for a file name or an address to open."""

import pytest

from articles.importing.pipeline import import_inputs
from articles.importing.polling import poll
from articles.models import Article, FeedSource

pytestmark = pytest.mark.django_db

TEXT = "<p>The convoy left at dawn and reached the strait by noon, escorted by two frigates.</p>"


def item(title="Convoy Reaches the Strait", body=f"<description><![CDATA[{TEXT}]]></description>", link="https://wire.example.org/1",
         extra=""):
    title_element = f"<title>{title}</title>" if title is not None else ""
    link_element = f"<link>{link}</link>" if link else ""
    return f"<item>{title_element}{link_element}{body}{extra}</item>"


def rss(*items: str, before: str = "", namespaces: str = "") -> str:
    return (f'{before}<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" {namespaces}'
            f'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<channel><title>Wire</title><link>https://wire.example.org/</link>{''.join(items)}</channel></rss>")


def import_feed(tmp_path, content: str, name="feed.xml"):
    (tmp_path / name).write_text(content)
    return import_inputs([str(tmp_path / name)])


def warnings_of(report) -> list[str]:
    return [entry["warning"].split(": ", 1)[1] for entry in report.warnings]


def test_blank_lines_before_the_xml_declaration_are_a_warning_not_a_failure(tmp_path):
    report = import_feed(tmp_path, rss(item(), item("Second Story", link="https://wire.example.org/2"), before="\n\n  "))
    assert report.ok and len(report.created) == 2
    assert warnings_of(report) == ["it has blank space before its XML declaration, which was ignored"]


@pytest.mark.parametrize(("broken", "said"), [
    (rss(item(), item("Caf&eacute; Talks", link="https://wire.example.org/2")), "it uses an entity XML does not define"),
    (rss(item(), item("Second Story", link="https://wire.example.org/2", extra="<media:title>x</media:title>")),
     "it uses a namespace prefix it never declares"),
    (rss(item(), item("Second Story", link="https://wire.example.org/2"))[:-40], "as if cut off"),
])
def test_a_feed_with_a_recoverable_xml_error_gives_every_entry_it_can_and_a_warning(tmp_path, broken, said):
    report = import_feed(tmp_path, broken)
    assert report.ok and len(report.created) == 2
    [warning] = warnings_of(report)
    assert warning.startswith("the feed is not well-formed XML (line 2: ") and said in warning
    assert warning.endswith("2 of its entries could still be read")


def test_a_feed_no_entry_of_which_can_be_read_fails_with_the_reason(tmp_path):
    report = import_feed(tmp_path, '<?xml version="1.0"?>\n<rss version="2.0"><channel><title>Wire</ti')
    assert "the feed has no entries" in report.failed[0]["error"] or "no entry could be read" in report.failed[0]["error"]


def test_the_fullest_body_wins_whatever_element_carries_it(tmp_path):
    """An empty `content:encoded` once hid a full description: the entry was refused as textless."""
    report = import_feed(tmp_path, rss(
        item(body=f"<description><![CDATA[{TEXT}]]></description><content:encoded><![CDATA[ ]]></content:encoded>"),
        item("Short Content", link="https://wire.example.org/2",
             body=f"<description><![CDATA[{TEXT}]]></description><content:encoded><![CDATA[<p>Teaser.</p>]]></content:encoded>"),
    ))
    assert report.ok
    assert [a.free_text for a in Article.objects.order_by("title")] == [
        "The convoy left at dawn and reached the strait by noon, escorted by two frigates."] * 2


def test_over_long_fields_are_shortened_and_the_report_says_so(tmp_path):
    authors = ", ".join(f"Correspondent Number {n}" for n in range(30))
    headline = "A " + "very " * 80 + "long headline"
    report = import_feed(tmp_path, rss(item(title=headline, extra=f"<dc:creator>{authors}</dc:creator>")))
    assert report.ok
    article = Article.objects.get()
    assert len(article.author) <= 200 and article.author.startswith("Correspondent Number 0, ") and article.author.endswith("…")
    assert len(article.title) <= 300 and article.title.endswith("…")
    assert sorted(warnings_of(report)) == [f"its author ({len(authors):,} characters) was shortened to 200",
                                           f"its title ({len(headline)} characters) was shortened to 300"]


def test_a_headline_only_entry_is_a_link_article_marked_on_its_page_and_in_lists(tmp_path, client):
    report = import_feed(tmp_path, rss(item(body=""), item("Full Story", link="https://wire.example.org/2")))
    assert report.ok
    [link_entry] = [entry for entry in report.created if entry["link_only"]]
    article = Article.objects.get(slug=link_entry["slug"])
    assert (article.is_link, article.free_html, article.members_html, article.access) == (True, "", "", "free")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "data-link-article" in page and 'href="https://wire.example.org/1"' in page and "data-paywall" not in page
    listing = client.get("/").content.decode()
    assert listing.count("data-link-article") == 1


def test_an_untitled_entry_is_titled_by_its_first_words(tmp_path):
    report = import_feed(tmp_path, rss(item(title=None)))
    assert report.ok
    article = Article.objects.get()
    assert article.title == "The convoy left at dawn and reached the strait by noon, escorted…"
    assert warnings_of(report) == [f"it has no title; it is titled by its first words, “{article.title}”"]


def test_an_entry_with_nothing_but_a_link_is_a_link_article_titled_by_it(tmp_path):
    report = import_feed(tmp_path, rss(item(title=None, body="", link="https://wire.example.org/2026/convoy-arrives/")))
    assert report.ok
    article = Article.objects.get()
    assert (article.title, article.is_link) == ("wire.example.org/2026/convoy-arrives", True)
    assert warnings_of(report) == ["it has neither a title nor any text; it is titled by its link, “wire.example.org/2026/convoy-arrives”"]


def test_a_stray_nul_in_a_feed_is_left_out_with_a_warning(tmp_path):
    """PostgreSQL stores no NUL: the whole feed once failed at the database, or as "binary"."""
    (tmp_path / "feed.xml").write_bytes(rss(item(), item("Second\x00 Story", link="https://wire.example.org/2")).encode())
    report = import_inputs([str(tmp_path / "feed.xml")])
    assert report.ok and Article.objects.filter(title="Second Story").exists()
    assert warnings_of(report)[0] == "1 NUL characters in it were left out"


def test_link_articles_and_titles_from_text_can_be_turned_off_per_feed_source(httpserver, settings):
    settings.NEWSREADER_FETCH_ALLOWED_HOSTS = [f"{httpserver.host}:{httpserver.port}"]
    httpserver.expect_request("/feed").respond_with_data(
        rss(item(body=""), item(title=None, link="https://wire.example.org/2"), item("Whole", link="https://wire.example.org/3")),
        content_type="application/rss+xml")
    feed = FeedSource.objects.create(url=httpserver.url_for("/feed"), link_articles=False, title_untitled=False)
    polled = poll(feed)
    assert [entry["title"] for entry in polled.run.report["created"]] == ["Whole"]
    assert sorted(entry["error"].split(": ", 1)[1] for entry in polled.run.report["failed"]) == [
        "it has no title (titling untitled entries is turned off for this feed)",
        "“Convoy Reaches the Strait” has no text (link articles are turned off for this feed)",
    ]


def test_entries_sharing_a_link_or_a_guid_stay_articles_of_their_own(tmp_path):
    """A podcast's episodes all linking to its home page were stored as one article."""
    report = import_feed(tmp_path, rss(
        item("Episode 1", link="https://show.example.org/", extra="<guid>ep-1</guid>"),
        item("Episode 2", link="https://show.example.org/", extra="<guid>ep-2</guid>"),
        item("Post A", link="https://blog.example.org/a", extra="<guid>same</guid>"),
        item("Post B", link="https://blog.example.org/b", extra="<guid>same</guid>"),
    ))
    assert report.ok and Article.objects.count() == 4
    assert set(Article.objects.filter(title__startswith="Episode").values_list("source_url", flat=True)) == {""}
    assert sorted(warnings_of(report)) == [
        "2 of its entries share one guid (same), which is therefore not theirs alone: they are told apart by their titles",
        "2 of its entries share one link (https://show.example.org/), which is therefore not theirs alone: they are stored without it",
    ]
    assert import_inputs([str(tmp_path / "feed.xml")]).counts()["unchanged"] == 4  # and the same next time


def test_relative_images_are_read_against_the_entrys_base(tmp_path):
    content = ('<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>'
               '<entry><title>Photo</title><id>https://numi.example.org/post/1</id>'
               '<content type="html" xml:base="https://numi.example.org/post/1/">&lt;p&gt;&lt;img src="uke.jpeg"&gt;&lt;/p&gt;</content>'
               "</entry></feed>")
    assert import_feed(tmp_path, content, "feed.atom").ok
    assert '<img src="https://numi.example.org/post/1/uke.jpeg"' in Article.objects.get().free_html


@pytest.mark.parametrize("target", ["path", "url"])
def test_a_feeds_content_is_never_opened_as_a_file_or_fetched_as_an_address(tmp_path, httpserver, target):
    """feedparser opens a path and fetches a URL it is given as a string: an upload holding one
    would have read a file of the server or an address inside its network."""
    (tmp_path / "secret.xml").write_text(rss(item("Secret From The Server's Disk")))
    httpserver.expect_request("/internal").respond_with_data(rss(item("Secret From The Inside Network")))
    content = str(tmp_path / "secret.xml") if target == "path" else httpserver.url_for("/internal")
    (tmp_path / "upload.rss").write_text(content)
    report = import_inputs([str(tmp_path / "upload.rss")])
    assert not Article.objects.exists()
    assert report.failed[0]["error"].endswith("it is not an RSS or Atom feed")
    assert not httpserver.log
