"""The vocabulary the tagger matches: ISO 3166 names from pycountry, plus the curated table in
vocabulary.yaml (short forms, demonyms, capitals and metonyms, actors, and the rules for names
that mean something else)."""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import pycountry
import yaml

DATA = Path(__file__).with_name("vocabulary.yaml")
COUNTRY, ACTOR = "country", "actor"
APOSTROPHES = ("'", "’")


@dataclass(frozen=True)
class Entry:
    """What a matched surface form stands for: a country or an actor, or nothing (`kind` None)."""

    kind: str | None
    code: str


@dataclass(frozen=True)
class CountryInfo:
    code: str
    name: str
    region: str


@dataclass(frozen=True)
class ActorInfo:
    slug: str
    name: str
    kind: str


@dataclass(frozen=True)
class SharedName:
    """A country name shared with another place; `cues_*` are compiled patterns."""

    code: str
    terms: frozenset
    elsewhere: str
    cues_elsewhere: re.Pattern
    cues_here: re.Pattern


@dataclass(frozen=True)
class Vocabulary:
    countries: dict  # code → CountryInfo
    actors: dict  # slug → ActorInfo
    entries: dict  # surface form → Entry
    pattern: re.Pattern
    person_names: frozenset
    before_country: frozenset
    after_country: frozenset
    shared_names: tuple


def _variants(term: str) -> list[str]:
    """A term as written with a straight and with a curly apostrophe."""
    return [term.replace("'", a) for a in APOSTROPHES] if "'" in term else [term]


def _plural(demonym: str) -> str | None:
    if demonym.endswith(("s", "sh", "ch", "ese", "x", "z")) or demonym in {"Swiss", "Thai", "Malagasy", "Lao"}:
        return None
    return demonym + "s"


def _trie_pattern(terms) -> str:
    """One regular expression matching any of `terms` where no word character comes before them,
    built as a trie so that matching costs the length of the text rather than the number of
    terms; longer terms win. The check on the character before (`(?<!\\w)`) is made after each
    first character (`(?<!\\w.)`), so that the pattern starts with a set of characters, which
    the regular expression engine skips ahead to (a third faster over article text)."""
    trie: dict = {}
    for term in terms:
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = True

    def build(node, after_first: str = "") -> str:
        ends_here = "" in node
        branches = [re.escape(char) + after_first + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends_here else body

    return build(trie, after_first=r"(?<!\w.)")


def _cue_pattern(cues) -> re.Pattern:
    return re.compile(_trie_pattern(t for c in cues for t in _variants(c)) + r"(?!\w)")


def _iso_names(country) -> list[str]:
    """pycountry's names that read as prose (not "Korea, Republic of" or "Saint Martin (French part)")."""
    names = [getattr(country, attr, "") for attr in ("name", "common_name", "official_name")]
    return [n.removeprefix("the ") for n in names if n and "," not in n and "(" not in n]


@functools.cache
def vocabulary() -> Vocabulary:
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    region_of = {code: region for region, codes in data["regions"].items() for code in codes}
    curated = data["countries"]
    countries, entries = {}, {}
    for country in pycountry.countries:
        code = country.alpha_2.lower()
        extra = curated.get(code, {})
        name = extra.get("name") or getattr(country, "common_name", None) or country.name
        countries[code] = CountryInfo(code=code, name=name, region=region_of[code])
        for term in _iso_names(country):
            entries.setdefault(term, Entry(COUNTRY, code))
    # The curated table is applied after ISO's names so that it can reassign one ("Congo").
    for code, extra in curated.items():
        demonyms = extra.get("demonyms", [])
        plurals = [p for d in demonyms if (p := _plural(d))]
        for term in [*extra.get("names", []), *demonyms, *plurals, *extra.get("places", []), *extra.get("prefixes", [])]:
            entries[term] = Entry(COUNTRY, code)
    actors = {}
    for slug, actor in data["actors"].items():
        actors[slug] = ActorInfo(slug=slug, name=actor["name"], kind=actor["kind"])
        for term in actor["names"]:
            entries[term] = Entry(ACTOR, slug)
    for term in data["not_countries"]:
        entries[term] = Entry(None, "")
    entries = {variant: entry for term, entry in entries.items() for variant in _variants(term)}
    # Whole words only; a combining form ("Franco-") ends at its hyphen.
    pattern = re.compile(_trie_pattern(entries) + r"(?:(?<=-)|(?!\w))")
    shared = tuple(
        SharedName(
            code=rule["code"],
            terms=frozenset(rule["terms"]),
            elsewhere=rule["elsewhere"],
            cues_elsewhere=_cue_pattern(rule["cues_elsewhere"]),
            cues_here=_cue_pattern(rule["cues_here"]),
        )
        for rule in data["shared_names"]
    )
    return Vocabulary(
        countries=countries,
        actors=actors,
        entries=entries,
        pattern=pattern,
        person_names=frozenset(data["person_names"]),
        before_country=frozenset(data["before_country"]),
        after_country=frozenset(data["after_country"]),
        shared_names=shared,
    )
