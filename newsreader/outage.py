"""What the site answers while its database does not.

A page the page cache holds is still served (articles/pagecache.py goes on with the last content
version it read), and so are static files; `/healthz` answers 503. Any other request that needs
the database ends in an error Django hands to `handler500`, here: when that error is the database
being out of reach, the reader gets 503 "Back shortly" with `Retry-After`, from a template that
needs nothing from the database; any other error stays Django's 500. Nothing is kept between
requests, so the site is back as soon as the database is (Django opens a new connection).
"""

import sys

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views import defaults

from articles.contentversion import UNAVAILABLE

RETRY_AFTER_SECONDS = 30


def server_error(request):
    """handler500, called while the error is being handled."""
    if not isinstance(sys.exception(), UNAVAILABLE):
        return defaults.server_error(request)
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response
