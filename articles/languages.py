"""The language each article is written in: read from what its input says (a BCP 47 tag), else
detected from its text; and what pages need of it (its direction, its name). See docs/languages.md.

Detection is py3langid's (langid.py's model, shipped in its wheel: nothing is fetched at run time),
over the opening of the text; it is loaded when first needed (~1 s, ~75 MB), in processes that
import articles only, never in one that only serves pages.
"""

import re
from functools import cache

from babel import Locale, UnknownLocaleError
from django.conf import settings

from .models.articles import LANGUAGE_TAG

DETECTED_CHARACTERS = 300  # the opening of title, dek and text is enough (headlines alone: 143 of 144)

# ISO 639 codes retired for others, which inputs still use.
RETIRED = {"iw": "he", "in": "id", "ji": "yi", "jw": "jv", "mo": "ro"}
# Codes that name no language.
NOT_LANGUAGES = {"und", "zxx", "mul", "mis"}
# What the detector tells apart that pages and search do not: dialects and older stages written
# as the standard language is (its "wuu" and "yue" are mostly standard Chinese misread).
DETECTED_AS = {"wuu": "zh", "yue": "zh", "ary": "ar", "arz": "ar", "hbo": "he", "grc": "el", "uzs": "uz",
               "sdh": "ku", "gug": "gn", "fuv": "ff"}
_SUBTAGS = re.compile(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*")


def site_language() -> str:
    """The language of the site's own words (LANGUAGE_CODE's), which pages are marked with."""
    return primary(settings.LANGUAGE_CODE)


def primary(tag: str) -> str:
    """The language subtag alone: `pt-BR` → `pt`."""
    return tag.split("-")[0].split("_")[0].lower()


@cache
def _known(language: str) -> bool:
    if language in NOT_LANGUAGES:
        return False
    try:
        Locale.parse(language)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def normalize(tag) -> str | None:
    """The tag as stored (`EN_us` → `en-US`, `zh-hant-tw` → `zh-Hant-TW`, `iw` → `he`), keeping
    the script and region and dropping other subtags; None for anything that names no language
    this site knows (`english`, `und`, `x-klingon`)."""
    tag = str(tag or "").strip()
    if not _SUBTAGS.fullmatch(tag):
        return None
    language, *subtags = re.split(r"[-_]", tag)
    language = RETIRED.get(language.lower(), language.lower())
    if not _known(language):
        return None
    parts = [language]
    for subtag in subtags:
        if len(subtag) == 4 and subtag.isalpha():
            parts.append(subtag.title())  # a script: Hant, Latn, Cyrl
        elif (len(subtag) == 2 and subtag.isalpha()) or (len(subtag) == 3 and subtag.isdigit()):
            parts.append(subtag.upper())  # a region: BR, TW, 419
    normalized = "-".join(parts)
    return normalized if re.fullmatch(LANGUAGE_TAG, normalized) else None


@cache
def detector():
    """py3langid's identifier (loaded once per process; an import warms it before forking its workers)."""
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_model_file(MODEL_FILE)


def detect(*texts: str) -> str:
    """The language of these texts (title, dek, text), from their opening; the site's language
    when they show none (numbers, links, nothing)."""
    sample = " ".join(text for text in texts if text)[:DETECTED_CHARACTERS]
    if not any(character.isalpha() for character in sample):
        return site_language()
    found, _ = detector().classify(sample)
    return normalize(DETECTED_AS.get(found, found)) or site_language()


@cache
def is_right_to_left(tag: str) -> bool:
    """Written right to left (Arabic, Persian, Hebrew, Urdu, Pashto, Yiddish …), as CLDR says."""
    try:
        return Locale.parse(tag, sep="-").character_order == "right-to-left"
    except (UnknownLocaleError, ValueError):
        return False


@cache
def name(tag: str) -> str:
    """The language's name in the site's language: `ru` → Russian, `zh-Hant` → Chinese (Traditional)."""
    try:
        return Locale.parse(tag, sep="-").get_display_name(site_language()) or tag
    except (UnknownLocaleError, ValueError):
        return tag
