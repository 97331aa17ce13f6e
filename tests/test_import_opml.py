"""Feed sources in and out as OPML, through the command and the admin page (importing/opml.py)."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from lxml import etree

from articles.importing.opml import feed_urls
from articles.models import FeedSource, Source

from .factories import make_user

SUBSCRIPTIONS = Path(__file__).resolve().parent / "fixtures" / "realworld" / "opml" / "netnewswire--Subs.opml"
pytestmark = pytest.mark.django_db

NESTED = b"""<?xml version="1.0"?>
<opml version="2.0"><head><title>Mine</title></head><body>
  <outline text="World">
    <outline text="Wire" type="rss" xmlUrl="https://wire.example.org/feed"/>
    <outline text="Desk" type="rss" xmlURL="https://desk.example.org/rss"/>
  </outline>
  <outline text="Bad" type="rss" xmlUrl="javascript:alert(1)"/>
  <outline text="Relative" type="rss" xmlUrl="/feed.xml"/>
  <outline text="Just a folder"/>
</body></opml>"""


def test_the_command_adds_every_feed_of_a_readers_subscription_list_once(capsys):
    urls = feed_urls(SUBSCRIPTIONS.read_bytes())
    call_command("opml", "import", str(SUBSCRIPTIONS))
    assert f"{len(urls)} feed sources added, 0 already there, 0 refused" in capsys.readouterr().out
    assert FeedSource.objects.count() == len(urls) > 200
    assert FeedSource.objects.filter(url="http://daringfireball.net/feeds/main", active=True).exists()
    call_command("opml", "import", str(SUBSCRIPTIONS))
    assert f"0 feed sources added, {len(urls)} already there" in capsys.readouterr().out


def test_folders_are_read_and_an_address_that_is_no_web_url_is_refused(tmp_path, capsys):
    (tmp_path / "mine.opml").write_bytes(NESTED)
    with pytest.raises(SystemExit) as exit_info:
        call_command("opml", "import", str(tmp_path / "mine.opml"))
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    assert "2 feed sources added, 0 already there, 2 refused" in out
    assert "refused: javascript:alert(1): it is not an http:// or https:// address" in err
    assert sorted(FeedSource.objects.values_list("url", flat=True)) == ["https://desk.example.org/rss", "https://wire.example.org/feed"]


def test_an_opml_file_is_never_a_way_to_read_a_file_of_the_server(tmp_path, capsys):
    (tmp_path / "secret").write_text("https://secret.example.org/feed")
    (tmp_path / "evil.opml").write_text(
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY secret SYSTEM "file://{tmp_path}/secret">]>'
        '<opml version="2.0"><body><outline text="x" xmlUrl="&secret;"/></body></opml>'
    )
    call_command("opml", "import", str(tmp_path / "evil.opml"))
    assert not FeedSource.objects.filter(url__contains="secret.example.org").exists()


def test_what_is_exported_imports_again_the_same(tmp_path):
    desk = Source.objects.create(name="Harbour Desk", site_url="https://harbour.example.org/")
    FeedSource.objects.create(url="https://harbour.example.org/feed", source=desk)
    FeedSource.objects.create(url="https://wire.example.org/feed", active=False)
    call_command("opml", "export", "--output", str(tmp_path / "out.opml"))
    outline = etree.parse(str(tmp_path / "out.opml")).find(".//outline[@xmlUrl='https://harbour.example.org/feed']")
    assert (outline.get("text"), outline.get("htmlUrl"), outline.get("type")) == ("Harbour Desk", "https://harbour.example.org/", "rss")
    FeedSource.objects.all().delete()
    call_command("opml", "import", str(tmp_path / "out.opml"))
    assert sorted(FeedSource.objects.values_list("url", flat=True)) == ["https://harbour.example.org/feed", "https://wire.example.org/feed"]


def test_a_file_that_is_not_opml_is_refused_with_the_reason(tmp_path):
    (tmp_path / "feed.opml").write_text('<rss version="2.0"><channel/></rss>')
    with pytest.raises(Exception, match="it is not an OPML file"):
        call_command("opml", "import", str(tmp_path / "feed.opml"))


@pytest.fixture
def feed_editor(client):
    user = make_user(username="feeds", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["add_feedsource", "view_feedsource"]))
    client.force_login(user)
    return client


def test_the_admin_page_imports_opml_after_a_dry_run(feed_editor):
    page = feed_editor.get("/admin/articles/feedsource/").content.decode()
    assert 'href="/admin/articles/feedsource/opml/import/"' in page and 'href="/admin/articles/feedsource/opml/export/"' in page
    url = "/admin/articles/feedsource/opml/import/"
    dry = feed_editor.post(url, {"file": SimpleUploadedFile("mine.opml", NESTED), "dry_run": "on"})
    assert dry.status_code == 200 and not FeedSource.objects.exists()
    shown = dry.content.decode()
    assert shown.count("data-opml-created") == 2 and shown.count("data-opml-refused") == 2
    feed_editor.post(url, {"file": SimpleUploadedFile("mine.opml", NESTED)})
    assert FeedSource.objects.count() == 2


def test_the_admin_exports_opml_and_asks_permission(feed_editor, client):
    FeedSource.objects.create(url="https://wire.example.org/feed")
    response = feed_editor.get("/admin/articles/feedsource/opml/export/")
    assert response["Content-Disposition"].startswith('attachment; filename="feed-sources-')
    assert b'xmlUrl="https://wire.example.org/feed"' in response.content
    client.force_login(make_user(username="no-feeds", is_staff=True))
    assert client.get("/admin/articles/feedsource/opml/export/").status_code == 403
    assert client.post("/admin/articles/feedsource/opml/import/", {"file": SimpleUploadedFile("a.opml", NESTED)}).status_code == 403
