"""Zero leaks: members-only text reaches no reader without an active membership, on any URL.

An article is imported through the real pipeline with unique sentences below the members-only
break; every URL pattern the site has is requested (as a page, as an htmx partial, asking for
JSON), and search is asked for the secret words, as an anonymous and as a lapsed reader. None of
the responses may hold any of the secret sentences' words. Payments are configured (a local
Stripe), so their pages are requested too, and a third reader is past their metered allowance. A new URL pattern fails this test
until it says how to fill its parameters below.
"""

import datetime as dt
import re

import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from articles.actions import desk, stories
from articles.desk.digests import send_digests
from articles.elements import ARTICLE_LIST, COMMENTS, SEARCH_RESULTS
from articles.importing.pipeline import import_inputs
from articles.models import Article, Desk, Follow, Story

from .factories import make_article, make_comment, make_lapsed_member, make_member, make_user

pytestmark = pytest.mark.django_db

# Words that occur nowhere but in the members-only part, each unique to it.
SECRET_WORDS = ["Xylocarpa", "quindecimvir", "Brontolux", "hexafoil", "Marrowgate"]
ARTICLE = f"""---
title: "Sahel Border Talks Resume"
author: "Ines Baptiste"
dek: "Niger and Nigeria send delegations to Niamey."
access: members
tags: [ne, ng]
---

Delegations from Niger and Nigeria met in Niamey on Tuesday to reopen the border talks.

The free preview ends here, with a second paragraph about trade across the Sahel.

<!-- members-only -->

The {SECRET_WORDS[0]} memorandum names a {SECRET_WORDS[1]} to oversee the crossings.

Officials in Abuja call the {SECRET_WORDS[2]} clause a {SECRET_WORDS[3]} compromise, signed at {SECRET_WORDS[4]}.
"""

HTMX_HEADERS = [{}, {"HX-Request": "true"}, {"HX-Request": "true", "HX-Target": ARTICLE_LIST},
                {"HX-Request": "true", "HX-Target": COMMENTS}, {"HX-Request": "true", "HX-Target": SEARCH_RESULTS},
                {"Accept": "application/json"}]
SKIPPED_NAMESPACES = {"admin"}  # staff only: a reader is sent to its sign-in page (asserted below)


def route_templates(patterns=None, prefix=""):
    """Every URL pattern of the site, as "articles/<slug>/" style templates."""
    templates = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace not in SKIPPED_NAMESPACES:
                templates += route_templates(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            templates.append(prefix + str(pattern.pattern))
    return templates


def filled(template, values):
    def value(match):
        name = match.group(1).split(":")[-1]
        assert name in values, f"the zero-leak test does not know how to fill <{name}> in {template}"
        return str(values[name])

    assert not template.startswith("^"), f"a regex URL pattern the test cannot fill: {template}"
    return "/" + re.sub(r"<([^>]+)>", value, template)


@pytest.fixture
def secret_article(tmp_path):
    path = tmp_path / "sahel.md"
    path.write_text(ARTICLE)
    report = import_inputs([str(path)])
    assert report.created, report.failed
    article = Article.objects.get(slug=report.created[0]["slug"])
    assert all(word in article.members_text for word in SECRET_WORDS)
    assert not any(word in article.free_text for word in SECRET_WORDS)
    # In a story with another outlet's report, so that the story pages show it.
    partner = make_article(title="Niger and Nigeria reopen talks", source_name="Another Outlet",
                           paragraphs=["Niger and Nigeria met in Niamey.", "Trade across the Sahel."])
    assert stories.split([article.pk, partner.pk]).article_count == 2
    return article


def site_urls(article, comment):
    return site_paths(article.slug, comment.pk, [story.get_absolute_url() for story in Story.objects.all()])


def site_paths(slug: str, comment_pk: int, story_urls: list[str]) -> list[str]:
    """Every URL of the site, filled for this article and comment, and searches for its words
    (tests/cluster asks them through the proxy)."""
    values = {"slug": slug, "code": "ne", "code_a": "ne", "code_b": "ng", "pk": comment_pk,
              "uidb64": "MQ", "token": "set-password"}
    urls = {filled(template, values) for template in route_templates()}
    searches = [f"/search/?q={word}" for word in SECRET_WORDS] + [
        "/search/?q=" + "+".join(SECRET_WORDS), "/search/?q=memorandum+crossings", "/search/?q=Niger",
        "/search/?q=Niger&country=ne", "/?page=1", "/countries/ne/?page=1", "/countries/ne/ng/?page=1",
        f"/articles/{slug}/comments/?order=newest", "/sitemap.xml?p=1", *story_urls,
    ]
    return sorted(urls) + searches


def leaks(body: str, url: str) -> list[str]:
    # A search page echoes its own query; the words it asked for are not a leak, any other is.
    asked = set(re.findall(r"\w+", url.split("q=", 1)[1].split("&")[0])) if "q=" in url else set()
    return [word for word in SECRET_WORDS if word not in asked and word.lower() in body.lower()]


@pytest.mark.parametrize("page_cache", [False, True], ids=["no-cache", "page-cache"])
def test_no_url_shows_members_text_to_non_members(client, settings, secret_article, page_cache, stripe_on):
    settings.NEWSREADER_PAGE_CACHE_SECONDS = 600 if page_cache else 0
    cache.clear()
    comment = make_comment(article=secret_article, body="A member's comment on the talks.")
    urls = site_urls(secret_article, comment)
    assert len(urls) > 20
    member = make_member()

    # A member reads first, so that anything a shared cache might keep from them is there.
    client.force_login(member)
    member_page = client.get(secret_article.get_absolute_url()).content.decode()
    assert all(word in member_page for word in SECRET_WORDS)
    member_search = client.get(f"/search/?q={SECRET_WORDS[0]}").content.decode()
    assert "Sahel Border Talks Resume" in member_search and SECRET_WORDS[0] in member_search
    client.logout()

    checked = 0
    for reader in ["anonymous", "lapsed", "past their metered allowance"]:
        if reader == "lapsed":
            client.force_login(make_lapsed_member())
        if reader == "past their metered allowance":
            # The metered paywall on: this non-member has read their one members' article this month.
            settings.NEWSREADER_METERED_ARTICLES = 1
            client.force_login(make_user())
            allowed = make_article(title="An article read under the meter", free_blocks=1)
            assert allowed.members_text.split()[0] in client.get(allowed.get_absolute_url()).content.decode()
        for url in urls:
            for headers in HTMX_HEADERS:
                response = client.get(url, headers=headers)
                assert response.status_code < 500, (reader, url, headers)
                found = leaks(response.content.decode(errors="replace"), url)
                assert not found, f"{reader} sees {found} at {url} with {headers}"
                checked += 1
        # A search for the secret words finds nothing for them.
        page = client.get("/search/?q=" + "+or+".join(SECRET_WORDS)).content.decode()
        assert "Sahel Border Talks Resume" not in page
    assert checked == 3 * len(urls) * len(HTMX_HEADERS)


def test_admin_is_for_staff_only(client, secret_article):
    response = client.get(f"/admin/articles/article/{secret_article.pk}/change/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    client.force_login(make_lapsed_member())
    response = client.get(f"/admin/articles/article/{secret_article.pk}/change/")
    assert response.status_code == 302 and SECRET_WORDS[0] not in response.content.decode()


@pytest.mark.parametrize("make_reader", [make_lapsed_member, make_user], ids=["lapsed", "non-member"])
def test_a_non_members_desk_private_feed_and_digest_hold_no_members_text(client, secret_article, smtp_server, make_reader):
    reader = make_reader()
    story = Story.objects.get(links__article=secret_article)
    for kind, key in [("country", "ne"), ("pair", "ne/ng"), ("search", "q=Niger"), ("story", story.slug)]:
        desk.follow(reader, kind=kind, key=key, label=key)
    Follow.objects.update(created_at=timezone.now() - dt.timedelta(days=1))
    desk.bookmark(reader, secret_article, keep=True)
    desk.set_digest(reader, digest="daily")
    token = Desk.objects.get(user=reader).feed_token

    client.force_login(reader)
    desk_page = client.get("/desk/").content.decode()
    assert "Sahel Border Talks Resume" in desk_page
    bodies = {"/desk/": desk_page, "/desk/export.json": client.get("/desk/export.json").content.decode()}
    client.logout()
    for url in (f"/desk/feed/{token}/", f"/desk/feed/{token}/atom/"):
        bodies[url] = client.get(url).content.decode()
        assert "Sahel Border Talks Resume" in bodies[url] and "Delegations from Niger" in bodies[url]
    assert send_digests("daily") == 1
    (message,) = smtp_server.messages()
    bodies["digest"] = "".join(part.get_payload(decode=True).decode() for part in message.walk() if not part.is_multipart())
    assert "Sahel Border Talks Resume" in bodies["digest"]
    for url, body in bodies.items():
        assert not leaks(body, url), f"{url} shows members' text"
