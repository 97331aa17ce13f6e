"""The attributes that mark an article's own words (title, dek, excerpt, snippet, text) with its
language, so that screen readers, hyphenation, fonts and quotation marks follow it, and the
direction of a language written right to left. The page around them stays in the site's language."""

from django import template
from django.utils.html import format_html

from .. import languages

register = template.Library()


@register.filter
def text_lang(article) -> str:
    """` lang="ru"`: for the element that holds the article's words."""
    return format_html(' lang="{}"', article.language)


@register.filter
def text_dir(article) -> str:
    """` dir="rtl"` (or `ltr` on a right-to-left site) when the article's language is written the
    other way from the site's: for the block that holds its words, which is then aligned to it."""
    right_to_left = languages.is_right_to_left(article.language)
    if right_to_left == languages.is_right_to_left(languages.site_language()):
        return ""
    return format_html(' dir="{}"', "rtl" if right_to_left else "ltr")


@register.filter
def text_lang_dir(article) -> str:
    """Both, for an element that holds only the article's words."""
    return format_html("{}{}", text_lang(article), text_dir(article))


@register.filter
def language_name(article) -> str:
    """The article's language in the site's words ("Russian"), when it is not the site's own."""
    if languages.primary(article.language) == languages.site_language():
        return ""
    return languages.name(article.language)
