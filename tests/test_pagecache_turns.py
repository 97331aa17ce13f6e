"""A page many readers miss at once is rendered by one of them; the others get the page as it was a
moment ago, or wait for its copy."""

import threading
import time

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from articles import pagecache
from articles.contentversion import unversioned

from .factories import make_article

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("page_cache_on")]


def key_of(path: str) -> str:
    request = RequestFactory().get(path)
    return pagecache._page_key(request, pagecache._shared_page_query(request))


def another_is_rendering(key: str, state: str = pagecache.RENDERING) -> str:
    lock = f"{key}:rendering"
    cache.set(lock, state, 30)
    return lock


def test_a_reader_who_misses_while_another_renders_the_page_gets_its_copy(client, django_assert_num_queries):
    make_article(title="Harbour Accord")
    key = key_of("/")
    another_is_rendering(key)
    theirs = {"content": b"<p>the other reader's rendering</p>", "headers": {"Content-Type": "text/html"},
              "last_modified": 0, "view": "article_list"}
    threading.Timer(0.2, cache.set, args=(key, theirs, 600)).start()
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response.content == theirs["content"]


def test_the_reader_who_renders_keeps_the_page_and_lets_the_others_go(client):
    make_article(title="Harbour Accord")
    key = key_of("/")
    assert "Harbour Accord" in client.get("/").content.decode()
    assert cache.get(key) is not None and cache.get(f"{key}:rendering") is None
    assert cache.get(unversioned(key)) == cache.get(key)  # the page as it is, for while it renders again


def test_while_another_renders_the_changed_page_a_reader_gets_it_as_it_was_at_once(client, django_assert_num_queries):
    make_article(title="Harbour Accord")
    key = key_of("/")
    before = {"content": b"<p>the list before the change</p>", "headers": {"Content-Type": "text/html"},
              "last_modified": 0, "view": "article_list"}
    cache.set(unversioned(key), before, 600)
    another_is_rendering(key)
    started = time.monotonic()
    with django_assert_num_queries(0):
        response = client.get("/")
    assert response.content == before["content"] and time.monotonic() - started < pagecache.RENDER_POLL * 20


def test_a_reader_who_has_just_changed_the_page_waits_for_it_as_it_is_now(client, monkeypatch):
    monkeypatch.setattr(pagecache, "RENDER_WAIT", 0.3)
    make_article(title="Harbour Accord")
    key = key_of("/")
    cache.set(unversioned(key), {"content": b"<p>before their change</p>", "headers": {}, "last_modified": 0}, 30)
    another_is_rendering(key)
    client.cookies[pagecache.SEEN_COOKIE] = "1"
    assert "Harbour Accord" in client.get("/").content.decode()


def test_a_page_that_was_not_kept_is_rendered_by_each_reader_without_waiting(client):
    make_article(title="Harbour Accord")
    another_is_rendering(key_of("/"), pagecache.UNKEPT)
    started = time.monotonic()
    assert "Harbour Accord" in client.get("/").content.decode()
    assert time.monotonic() - started < pagecache.RENDER_WAIT


def test_a_reader_renders_the_page_itself_when_the_other_takes_too_long(client, monkeypatch):
    monkeypatch.setattr(pagecache, "RENDER_WAIT", 0.3)
    make_article(title="Harbour Accord")
    another_is_rendering(key_of("/"))
    started = time.monotonic()
    assert "Harbour Accord" in client.get("/").content.decode()
    assert 0.3 <= time.monotonic() - started < 5
