"""The bare Django baseline: settings, URLs and one "hello" view in one module.

Served by gunicorn with the project's own gunicorn settings (DJANGO_SETTINGS_MODULE=tests.bench.hello
and newsreader.wsgi), so that the ratio of a page to it measures our code, not Django or gunicorn.
"""

import os

from django.http import HttpResponse
from django.urls import path

DEBUG = False
SECRET_KEY = os.environ["SECRET_KEY"]
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = __name__
USE_TZ = True
DATABASES = {}
INSTALLED_APPS = []
MIDDLEWARE = []


def hello(request):
    return HttpResponse("hello")


urlpatterns = [path("", hello)]
