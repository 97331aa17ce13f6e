"""Dates as readers read them: "3 hours ago" while it is news, the date after that.

The server writes the moment itself ("28 November 2026, 19:24 UTC" within a day, else the date),
which a page kept in the cache for minutes cannot get wrong; `static/js/times.js` turns a recent
one into "3 hours ago" in the reader's browser and keeps it current.
"""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()

RECENT = dt.timedelta(days=1)  # times.js has the same day
RELATIVE = mark_safe(" data-relative")  # what times.js looks for


@register.simple_tag
def time_tag(moment):
    """A <time> element: the moment within a day (marked for the browser to show as relative time),
    else the date; the full moment in its title."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    full = date_format(local, "j F Y, H:i T")
    if timezone.now() - moment < RECENT:
        marker, shown = RELATIVE, full
    else:
        marker, shown = "", date_format(local, "j F Y")
    return format_html('<time datetime="{}" title="{}"{}>{}</time>', local.isoformat(timespec="seconds"), full,
                       marker, shown)
