import datetime as dt

from django.template import Context, Template
from django.utils import timezone
from django.utils.formats import date_format


def render_time(moment):
    return Template("{% load dates %}{% time_tag moment %}").render(Context({"moment": moment}))


def test_recent_moments_are_written_as_the_moment_for_the_browser_to_make_relative():
    """A cached page is served for minutes: "3 hours ago" written on the server would go stale."""
    moment = timezone.now() - dt.timedelta(hours=3)
    local = timezone.localtime(moment)
    html = render_time(moment)
    full = date_format(local, "j F Y, H:i T")
    assert html == (
        f'<time datetime="{local.isoformat(timespec="seconds")}" title="{full}" data-relative>{full}</time>'
    )
    assert "ago" not in html


def test_older_moments_read_as_a_date_with_the_full_moment_in_the_title():
    moment = dt.datetime(2026, 8, 4, 7, 15, tzinfo=dt.UTC)
    html = render_time(moment)
    assert html == (
        '<time datetime="2026-08-04T07:15:00+00:00" title="4 August 2026, 07:15 UTC">4 August 2026</time>'
    )


def test_no_moment_renders_nothing():
    assert render_time(None) == ""
