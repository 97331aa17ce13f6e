"""Sessions read through the cache: a sign-out reaches every process within the copy's lifetime."""

import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client

from .factories import make_member

pytestmark = pytest.mark.django_db


def test_a_session_ended_elsewhere_ends_here_once_the_cached_copy_lapses(settings, django_assert_max_num_queries):
    settings.NEWSREADER_SESSION_CACHE_SECONDS = 1
    reader = Client()
    reader.force_login(make_member())
    assert reader.get("/accounts/").status_code == 200  # reads the session into this process's cache
    with django_assert_max_num_queries(2):  # the user and their standing, in one query; no session query
        assert reader.get("/accounts/").status_code == 200
    Session.objects.all().delete()  # signed out by another process, whose own cached copy went with it
    time.sleep(1.1)
    response = reader.get("/accounts/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]

