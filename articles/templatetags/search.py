from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()
# The search query asks PostgreSQL to put highlights between these private-use characters; the
# filter escapes the snippet and only then turns them into <mark>.
MARK_START, MARK_STOP = "\ue000", "\ue001"


@register.filter
def marked(snippet: str) -> str:
    """A search snippet, escaped, with the matched words in <mark> (one <mark> for letters matched
    one by one that stand together, as a Chinese word's do)."""
    marked_text = escape(snippet).replace(MARK_STOP + MARK_START, "")
    return mark_safe(marked_text.replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))
