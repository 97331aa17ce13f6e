"""Dates as readers read them: "3 hours ago" while it is news, the date after that.

The server writes the moment itself ("28 November 2026, 19:24 UTC" within a day, else the date),
which a page kept in the cache for minutes cannot get wrong; `static/js/times.js` turns a recent
one into "3 hours ago" in the reader's browser and keeps it current.
"""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import escape
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
    # As date_format(local, "j F Y, H:i T") writes it, at a tenth of its cost: a desk shows a
    # hundred of these on a page that is rendered for its member alone.
    day = escape(f"{local.day} {MONTHS[local.month]} {local.year}")
    full = f"{day}, {local:%H:%M} {escape(local.tzname())}"
    marker, shown = (RELATIVE, full) if timezone.now() - moment < RECENT else ("", day)
    return mark_safe(f'<time datetime="{local.isoformat(timespec="seconds")}" title="{full}"{marker}>{shown}</time>')
