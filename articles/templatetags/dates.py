"""Dates as readers read them: "3 hours ago" while it is news, the date after that."""

import datetime as dt

from django import template
from django.contrib.humanize.templatetags.humanize import naturaltime
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html

register = template.Library()

RECENT = dt.timedelta(days=1)


@register.simple_tag
def time_tag(moment):
    """A <time> element: relative within a day, else the date; the full moment in its title."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    shown = naturaltime(moment) if timezone.now() - moment < RECENT else date_format(local, "j F Y")
    return format_html(
        '<time datetime="{}" title="{}">{}</time>',
        local.isoformat(timespec="seconds"),
        date_format(local, "j F Y, H:i T"),
        shown,
    )
