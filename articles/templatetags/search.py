from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from ..views.search import MARK_START, MARK_STOP

register = template.Library()


@register.filter
def marked(snippet: str) -> str:
    """A search snippet, escaped, with the matched words in <mark>."""
    return mark_safe(escape(snippet).replace(MARK_START, "<mark>").replace(MARK_STOP, "</mark>"))
