"""The vocabulary in languages other than English: ISO 3166 names as pycountry's translations and
CLDR's territory names (through babel) give them, then each language's curated table
(languages/<code>.yaml), every name in the forms the language writes it (inflection.py)."""

import functools
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pycountry
import yaml
from babel import Locale

from . import inflection

TABLES = Path(__file__).with_name("languages")
# Language → (pycountry's translation locales, CLDR locales) of its ISO 3166 names.
ISO_LOCALES = {
    "ru": (["ru"], ["ru"]),
    "zh": (["zh_CN", "zh_TW", "zh_HK"], ["zh", "zh_Hant"]),
    "ar": (["ar"], ["ar"]),
    "fr": (["fr"], ["fr"]),
    "es": (["es"], ["es"]),
    "de": (["de"], ["de"]),
    "pt": (["pt", "pt_BR"], ["pt", "pt_PT"]),
}
CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_NOT_PROSE = re.compile("[,()（）]")


def read_yaml(path: Path):
    """A table, read with libyaml when PyYAML has it (ten times faster than pure Python)."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def _same(name: str) -> list[str]:
    return [name]


def _capitalised_too(forms: list[str]) -> list[str]:
    """A lower-case phrase may begin a sentence ("golfe du Mexique", "Golfe du Mexique")."""
    return list(dict.fromkeys([*forms, *(f[0].upper() + f[1:] for f in forms)]))


@dataclass(frozen=True)
class Grammar:
    """How a language writes each kind of word of the tables."""

    name: object  # a name, place, seat, actor or phrase → its forms
    adjective: object
    people: object
    cue: object = None  # a cue word → its forms, when they differ from `name`'s


def _romance(language: str, names=_same) -> Grammar:
    adjective = functools.partial(inflection.romance_adjective, language)
    return Grammar(name=names, adjective=adjective, people=adjective)


GRAMMARS = {
    "ru": Grammar(name=inflection.ru_phrase, adjective=inflection.ru_adjective, people=inflection.ru_people),
    "ar": Grammar(name=inflection.ar_name, adjective=inflection.ar_nisba, people=inflection.ar_name,
                  cue=inflection.ar_cue),
    "de": Grammar(name=inflection.de_name, adjective=inflection.de_adjective, people=inflection.de_people),
    "fr": _romance("fr", names=inflection.fr_name),
    "es": _romance("es"),
    "pt": _romance("pt"),
    "zh": Grammar(name=_same, adjective=_same, people=_same),
}


@dataclass
class Table:
    """What one language adds to the vocabulary; `country_forms` and `actor_forms` are (surface
    form, code) pairs in the order they are to be applied."""

    language: str
    iso_forms: list = field(default_factory=list)
    country_forms: list = field(default_factory=list)
    compound_forms: list = field(default_factory=list)  # (form, (code, code, ...))
    actor_forms: list = field(default_factory=list)
    cities: set = field(default_factory=set)
    not_countries: list = field(default_factory=list)
    skip: set = field(default_factory=set)
    shared_names: list = field(default_factory=list)  # rules with every term and cue expanded
    located: dict = field(default_factory=dict)  # the words that show a city only locates something
    markers: list = field(default_factory=list)  # words that show a text is in this language
    letters: str = ""  # one of them is in every text in this language
    guards_after: dict = field(default_factory=dict)  # CJK: abbreviation → characters
    guards_before: dict = field(default_factory=dict)


def _iso_names(language: str) -> dict[str, set]:
    """ISO 3166 code → the names pycountry's translations and CLDR give in `language`, those
    that read as prose ("Корея, Республика" and "刚果（金）" do not)."""
    translation_locales, cldr_locales = ISO_LOCALES[language]
    translations = [gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[locale])
                    for locale in translation_locales]
    territories = [Locale.parse(locale).territories for locale in cldr_locales]
    names = {}
    for country in pycountry.countries:
        found = {t.gettext(n) for t in translations for n in _english_names(country)}
        found |= {t[country.alpha_2] for t in territories if country.alpha_2 in t}
        names[country.alpha_2.lower()] = {
            inflection.ar_plain(n) for n in found
            if not _NOT_PROSE.search(n) and (language in ("fr", "es", "de", "pt") or not n.isascii())
        }
    return names


def _english_names(country) -> list[str]:
    return [n for attr in ("name", "common_name", "official_name") if (n := getattr(country, attr, ""))]


def _expand(grammar: Grammar, entry: dict) -> list[str]:
    forms = []
    for key, inflect in (("names", grammar.name), ("adjectives", grammar.adjective), ("people", grammar.people),
                         ("places", grammar.name), ("seats", grammar.name)):
        for word in entry.get(key, []):
            forms += inflect(word)
    return forms + entry.get("forms", [])


def load(language: str) -> Table:
    data = read_yaml(TABLES / f"{language}.yaml")
    grammar = GRAMMARS[language]
    table = Table(language=language, skip=set(data.get("skip", [])))
    for code, names in _iso_names(language).items():
        table.iso_forms += [(form, code) for name in sorted(names) for form in grammar.name(name)]
    for code, entry in data["countries"].items():
        table.country_forms += [(form, code) for form in _expand(grammar, entry)]
        table.cities.update(form for place in entry.get("places", []) for form in grammar.name(place))
    for code, prefixes in data.get("prefixes", {}).items():
        table.country_forms += [(prefix, code) for prefix in prefixes]
    table.compound_forms = [(form, tuple(codes)) for form, codes in data.get("compounds", {}).items()]
    for slug, names in data.get("actors", {}).items():
        table.actor_forms += [(form, slug) for name in names for form in grammar.name(name)]
    table.not_countries = _capitalised_too(
        [form for phrase in data.get("not_countries", []) for form in grammar.name(phrase)]
        + [form for word in data.get("not_country_adjectives", []) for form in grammar.adjective(word)]
        + data.get("not_country_forms", [])
    )
    cue_forms = grammar.cue or grammar.name
    for rule in data.get("shared_names", []):
        table.shared_names.append({
            **rule,
            "terms": _expand(grammar, rule),
            "cues_elsewhere": [f for cue in rule["cues_elsewhere"] for f in cue_forms(cue)],
            "cues_here": [f for cue in rule["cues_here"] for f in cue_forms(cue)],
        })
    table.located = data.get("located", {})
    table.markers = data.get("markers", [])
    table.letters = data.get("letters", "")
    table.guards_after = data.get("after", {})
    table.guards_before = data.get("before", {})
    return table


def forms(table: Table) -> list[str]:
    """Every surface form a table adds."""
    pairs = [*table.iso_forms, *table.country_forms, *table.compound_forms, *table.actor_forms]
    return [form for form, _ in pairs] + table.not_countries


def is_cjk(char: str) -> bool:
    return "\u3040" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def cjk_guard(term: str, tables: list[Table], longer_starts: dict) -> str:
    """What must hold where a Chinese term ends for it to be the term and not part of other
    words: no character before it that makes a word with its first (其 + 中美), none after it that
    makes one with its last (中美 + 国), and not the start of a longer name that overlaps it
    (多哥 in 许多哥伦比亚人)."""
    before = "".join(t.guards_before.get(term[0], "") for t in tables)
    after = "".join(t.guards_after.get(term[-1], "") for t in tables)
    overlaps = sorted({rest for i in range(1, len(term)) for rest in longer_starts.get(term[i:], ())
                       if len(term[i:]) + len(rest) > len(term)})
    guard = f"(?<![{re.escape(before)}]{re.escape(term)})" if before else ""
    ahead = ([f"[{re.escape(after)}]"] if after else []) + [re.escape(rest) for rest in overlaps]
    return guard + (f"(?!{'|'.join(ahead)})" if ahead else "")
