import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.actions.comments import hide_comment
from articles.importing.pipeline import import_inputs
from articles.models import Article

from .factories import make_article, make_comment, make_member

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]
SECRET = "The members-only sentence about the Zanzibar accord."


def gated_article(**fields):
    paragraphs = ["Free opening.", "Second free.", SECRET, "More for members."]
    return make_article(paragraphs=paragraphs, free_blocks=2, **fields)


def test_a_page_seen_before_is_served_without_a_query(client, django_assert_num_queries):
    article = gated_article(title="Cached Analysis")
    first = client.get(article.get_absolute_url())
    with django_assert_num_queries(0):
        again = client.get(article.get_absolute_url())
    assert again.status_code == 200 and again.content == first.content
    assert "Cached Analysis" in again.content.decode() and SECRET not in again.content.decode()


def test_an_import_shows_on_the_list_at_once(client, committed):
    make_article(title="Yesterday's News")
    assert "Yesterday" in client.get("/").content.decode()
    committed(lambda: make_article(title="Breaking Development"))
    assert "Breaking Development" in client.get("/").content.decode()


def test_an_edit_shows_on_the_article_page_at_once(client, committed):
    article = gated_article(title="First Draft Title")
    assert "First Draft Title" in client.get(article.get_absolute_url()).content.decode()

    def edit():
        article.title = "Corrected Title"
        article.save()

    committed(edit)
    assert "Corrected Title" in client.get(article.get_absolute_url()).content.decode()


def test_a_batch_import_shows_on_the_list_at_once(client, committed, tmp_path):
    client.get("/")
    (tmp_path / "one.txt").write_text("Imported In A Batch\n\nFirst paragraph.\n\nSecond paragraph.\n")
    report = committed(lambda: import_inputs([str(tmp_path)]))
    assert len(report.created) == 1
    assert "Imported In A Batch" in client.get("/").content.decode()


def test_a_new_comment_and_its_moderation_show_at_once(client, committed):
    article = gated_article()
    url = article.get_absolute_url()
    assert "Insightful remark" not in client.get(url).content.decode()
    comment = committed(lambda: make_comment(article=article, body="Insightful remark"))
    assert "Insightful remark" in client.get(url).content.decode()
    committed(lambda: hide_comment(comment))
    assert "Insightful remark" not in client.get(url).content.decode()


def test_without_a_refresher_another_process_change_shows_once_the_version_is_reread(client, settings):
    client.get("/")
    make_article(title="Imported Elsewhere")  # its commit, in another process, bumps the sequence there
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval('articles_content_version')")
    assert "Imported Elsewhere" not in client.get("/").content.decode()  # not reread yet
    settings.NEWSREADER_PAGE_CACHE_RECHECK = 0
    assert "Imported Elsewhere" in client.get("/").content.decode()


def test_a_member_never_gets_the_anonymous_page_nor_leaves_theirs(client):
    article = gated_article()
    anonymous = client.get(article.get_absolute_url())
    assert SECRET not in anonymous.content.decode()
    member = Client()
    member.force_login(make_member())
    for _ in range(2):
        page = member.get(article.get_absolute_url())
        assert SECRET in page.content.decode()
        assert "private" in page["Cache-Control"] and "public" not in page["Cache-Control"]
    again = client.get(article.get_absolute_url())
    assert SECRET not in again.content.decode() and again.content == anonymous.content


def test_a_member_first_does_not_fill_the_cache_for_readers(client):
    article = gated_article()
    member = Client()
    member.force_login(make_member())
    assert SECRET in member.get(article.get_absolute_url()).content.decode()
    assert SECRET not in client.get(article.get_absolute_url()).content.decode()


def test_shared_pages_carry_headers_a_cdn_honours(client):
    article = gated_article()
    for url in ["/", article.get_absolute_url()]:
        for response in (client.get(url), client.get(url)):  # as rendered, then as replayed
            cache_control = response["Cache-Control"]
            assert "public" in cache_control and "s-maxage=60" in cache_control and "max-age=0" in cache_control
            assert all(name in response["Vary"] for name in ["Cookie", "HX-Request", "HX-Target"])
            assert response["ETag"] and response["Last-Modified"]
            assert not response.cookies


def test_a_replayed_page_keeps_the_security_headers(client, django_assert_num_queries):
    url = gated_article().get_absolute_url()
    rendered = client.get(url)
    with django_assert_num_queries(0):
        replayed = client.get(url)
    for name in ["Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options"]:
        assert replayed[name] == rendered[name]


def test_a_page_kept_for_https_is_never_served_over_plain_http(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    url = gated_article().get_absolute_url()
    assert client.get(url, secure=True).status_code == 200
    plain = client.get(url)
    assert plain.status_code == 301 and plain["Location"].startswith("https://")


def test_conditional_get_answers_304_until_the_page_changes(client, committed):
    article = gated_article(title="Conditional Title")
    url = article.get_absolute_url()
    first = client.get(url)
    by_etag = client.get(url, headers={"if-none-match": first["ETag"]})
    assert by_etag.status_code == 304 and by_etag.content == b""
    by_date = client.get(url, headers={"if-modified-since": first["Last-Modified"]})
    assert by_date.status_code == 304

    def edit():
        article.title = "Changed Title"
        article.save()

    committed(edit)
    changed = client.get(url, headers={"if-none-match": first["ETag"]})
    assert changed.status_code == 200 and "Changed Title" in changed.content.decode()
    assert changed["ETag"] != first["ETag"]


def test_the_htmx_partial_and_the_full_page_are_kept_apart(client):
    article = gated_article()
    url = article.get_absolute_url() + "comments/"
    partial = client.get(url, headers={"hx-request": "true"})
    full = client.get(article.get_absolute_url())
    assert b"<html" not in partial.content and b"<html" in full.content
    assert client.get(url, headers={"hx-request": "true"}).content == partial.content


def test_a_deep_list_page_costs_what_the_first_costs(client, settings):
    settings.NEWSREADER_ARTICLES_PER_PAGE = 2
    for _ in range(45):
        make_article()
    client.get("/?page=3")  # counts once for this content version
    costs = []
    for page in (1, 20):
        with CaptureQueriesContext(connection) as queries:
            body = client.get(f"/?page={page}").content.decode()
        assert not any("COUNT(" in query["sql"] for query in queries)
        costs.append(len(queries))
        shown = [a.title for a in Article.objects.newest_first()[(page - 1) * 2: page * 2]]
        assert body.index(f">{shown[0]}</a>") < body.index(f">{shown[1]}</a>")
        assert f"{page * 2 - 1}–{page * 2} of 45" in body
    # The page's articles, and their tags; the first page also its top stories (none here).
    assert costs[0] - 1 == costs[1] <= 2


def test_a_long_list_changing_all_the_time_is_counted_every_few_seconds_and_a_short_one_every_time(
    client, settings, monkeypatch, committed
):
    """A new article shows on the list at once; a long list's "of N" is the last count taken, for
    at most NEWSREADER_LIST_COUNT_SECONDS (an import changes the version every batch, and counting
    a million articles takes most of a second); a short list's is always exact."""
    import time

    from django.core.cache.backends import locmem

    from articles.views import paging

    settings.NEWSREADER_ARTICLES_PER_PAGE = 2
    for n in range(3):
        make_article(title=f"Archived {n}")
    assert "1–2 of 3" in client.get("/").content.decode()
    committed(lambda: make_article(title="Short list"))
    assert "1–2 of 4" in client.get("/").content.decode()

    monkeypatch.setattr(paging, "COUNTED_EVERY_TIME", 4)
    committed(lambda: make_article(title="Long list"))
    page = client.get("/").content.decode()
    assert ">Long list</a>" in page and "1–2 of 4" in page
    later = time.time() + settings.NEWSREADER_LIST_COUNT_SECONDS + 1
    monkeypatch.setattr(locmem.time, "time", lambda: later)
    assert "1–2 of 5" in client.get("/").content.decode()


def test_redis_url_makes_one_cache_shared_by_every_worker():
    import os
    import subprocess
    import sys

    code = "from django.conf import settings; print(*settings.CACHES['default'].values())"
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "newsreader.settings", "REDIS_URL": "redis://127.0.0.1:6379/1"}
    shown = subprocess.run([sys.executable, "-c", f"import django; django.setup(); {code}"], env=env,
                           capture_output=True, text=True, check=True).stdout
    assert shown.split() == ["django.core.cache.backends.redis.RedisCache", "redis://127.0.0.1:6379/1"]


@pytest.mark.parametrize(("url", "first", "then"), [
    ("/countries/ru/", ("Moscow Talks", ["Russia hosted the talks.", "Russia said more."]),
     ("Kremlin Reply", ["Russia replied.", "Russia again."])),
    ("/search/?q=grain", ("Grain Corridor Reopens", ["The grain corridor reopened.", "Ships moved."]),
     ("Grain Prices Fall", ["Grain prices fell.", "Traders cheered."])),
], ids=["country", "search"])
def test_a_list_page_is_cached_and_shows_a_new_article_at_once(client, committed, django_assert_num_queries,
                                                                url, first, then):
    make_article(title=first[0], paragraphs=first[1])
    assert first[0] in client.get(url).content.decode()
    with django_assert_num_queries(0):
        client.get(url)
    committed(lambda: make_article(title=then[0], paragraphs=then[1]))
    assert then[0] in client.get(url).content.decode()


def test_a_member_search_is_never_served_to_a_reader(client):
    make_article(title="Sealed Report", paragraphs=["Opening.", "More opening.", "The zanzibarian clause.", "End."],
                 free_blocks=2)
    member = Client()
    member.force_login(make_member())
    assert "Sealed Report" in member.get("/search/?q=zanzibarian").content.decode()
    assert "Sealed Report" not in client.get("/search/?q=zanzibarian").content.decode()


def test_the_country_filter_is_rendered_once_for_every_reader(client, django_assert_num_queries):
    make_article(title="Andean Summit", paragraphs=["Peru and Chile met.", "Chile agreed."])
    member = Client()
    member.force_login(make_member())
    first = member.get("/search/?q=summit&country=pe").content.decode()
    assert '<option value="pe" selected>Peru</option>' in first
    with CaptureQueriesContext(connection) as queries:
        again = member.get("/search/?q=summit&country=pe").content.decode()
    country_lists = [q["sql"] for q in queries if 'FROM "articles_country"' in q["sql"] and "WHERE" not in q["sql"]]
    assert country_lists == []  # only the chosen one is looked up, to validate it
    assert again.count("<option") == first.count("<option")
    other = member.get("/search/?q=summit&country=cl").content.decode()
    assert '<option value="cl" selected>Chile</option>' in other and '<option value="pe">Peru</option>' in other


def test_pages_kept_for_another_database_are_never_served(client):
    """A database recreated or restored under a cache that kept its entries starts its versions
    again: its pages must not meet the old database's pages of the same version."""
    from articles import contentversion

    article = make_article(title="Now In This Database")
    current = contentversion.current()
    contentversion._version = current._replace(database=current.database + 1)  # as the old database was
    assert "Now In This Database" in client.get(article.get_absolute_url()).content.decode()
    article.title = "Changed Without A Signal"
    Article.objects.filter(pk=article.pk).update(title=article.title)
    contentversion.forget()  # this database again, same version number
    assert "Changed Without A Signal" in client.get(article.get_absolute_url()).content.decode()


def test_query_parameters_a_page_does_not_read_are_the_same_page_and_entry(client, settings, django_assert_num_queries):
    """`?x=N` (a tracker's tag, or a counter run up by anyone) must not fill the cache with copies."""
    settings.NEWSREADER_ARTICLES_PER_PAGE = 2
    article = [make_article() for _ in range(5)][0].get_absolute_url()
    member = Client()
    member.force_login(make_member())
    second, sitemap, page = client.get("/?page=2"), client.get("/sitemap.xml"), client.get(article)
    member.get("/?page=2")
    with django_assert_num_queries(0):
        for number in range(70):
            assert client.get(f"/sitemap.xml?x={number}").content == sitemap.content
            assert client.get(f"{article}?order=x{number}").content == page.content  # a value it does not know
        tagged = client.get("/?utm_source=feed&page=2&x=1")
        members_tagged = member.get("/?page=2&utm_source=feed")  # the members' copy of page 2
    assert tagged.content == second.content and "utm_source" not in tagged.content.decode()  # its links too
    assert "?page=3" in members_tagged.content.decode() and "utm_source" not in members_tagged.content.decode()
    assert client.get("/?page=3").content != second.content  # what the page reads still tells pages apart


def test_a_page_larger_than_the_size_limit_is_not_kept(client, settings):
    settings.NEWSREADER_PAGE_CACHE_MAX_BYTES = 1000
    make_article()
    member = Client()
    member.force_login(make_member())
    for reader in (client, member):
        assert len(reader.get("/").content) > 1000
        with CaptureQueriesContext(connection) as queries:
            reader.get("/")
        assert queries  # rendered again


@pytest.mark.parametrize(("url", "target"), [("/?page=2", "articles"), ("/search/?q=grain", "search-results"),
                                             ("comments/", "comments")], ids=["more", "live-search", "comments"])
def test_the_parts_htmx_asks_for_are_kept_and_made_up_ones_are_not(client, settings, django_assert_num_queries, url, target):
    settings.NEWSREADER_ARTICLES_PER_PAGE = 1
    article = make_article(title="Grain Corridor", paragraphs=["Grain moved.", "Ships sailed."])
    make_article()
    url = article.get_absolute_url() + url if url == "comments/" else url
    part = client.get(url, headers={"hx-request": "true", "hx-target": target})
    with django_assert_num_queries(0):
        assert client.get(url, headers={"hx-request": "true", "hx-target": target}).content == part.content
    for _ in range(2):  # a target no page has: rendered each time, never kept
        with CaptureQueriesContext(connection) as queries:
            client.get(url, headers={"hx-request": "true", "hx-target": "made-up"})
        assert queries
