"""The vocabulary the tagger matches: ISO 3166 names from pycountry, plus the curated table in
vocabulary.yaml (short forms, demonyms, capitals and metonyms, actors, and the rules for names
that mean something else), and the same in seven more languages (languages.py)."""

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pycountry

from .inflection import AR_CLITICS, ar_key
from .languages import CJK, ISO_LOCALES, cjk_guard, forms, is_cjk, load, read_yaml

DATA = Path(__file__).with_name("vocabulary.yaml")
COUNTRY, ACTOR = "country", "actor"
APOSTROPHES = ("'", "’")
# Each script's names are one pattern, compiled when a text first has its letters (an English-only
# site never compiles the others); names in Latin script, and any other script not listed, are
# always matched.
SCRIPT_LETTERS = {"cyrillic": "\u0400-\u04ff", "arabic": "\u0600-\u06ff", "cjk": CJK}
_SCRIPT_OF = [(script, re.compile(f"[{letters}]")) for script, letters in SCRIPT_LETTERS.items()]
_NOT_LATIN = re.compile(f"[{''.join(SCRIPT_LETTERS.values())}]")
# Lower-case names of one word (adjectives: "chinois", "российского") are looked up as words in a
# set rather than in a pattern, which would try them at every word of the text.
_TOKEN = re.compile(r"\w+")


@dataclass(frozen=True)
class Entry:
    """What a matched surface form stands for: a country or an actor, or nothing (`kind` None);
    a compound of abbreviations (中美) stands for more than one country (`also`)."""

    kind: str | None
    code: str
    also: tuple = ()


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
    """A country name shared with another place or word; `cues_*` are compiled patterns. With
    `needs_cue` the name counts only where the cues point to the country."""

    code: str
    terms: frozenset
    elsewhere: str
    cues_elsewhere: re.Pattern
    cues_here: re.Pattern
    needs_cue: bool = False


@dataclass(frozen=True)
class Located:
    """The words, in every language, that show a city named only as where something is based."""

    prepositions: frozenset
    cue_words: frozenset
    cue_stems: tuple  # a word starting with one of these is a cue
    endings: tuple  # text just before the city (languages written without spaces)
    after: re.Pattern  # text just after the city


@dataclass(frozen=True)
class Vocabulary:
    countries: dict  # code → CountryInfo
    actors: dict  # slug → ActorInfo
    entries: dict  # surface form (an Arabic one by its key, inflection.ar_key) → Entry
    patterns: dict  # script, or "latin:<language>" for its lower-case names → Pattern
    markers: dict  # language → (letters, words) that show a text is in it (its lower-case names are matched then)
    lower_words: dict  # language (or a script whose text is in one language) → its lower-case one-word names
    accents: re.Pattern  # any of the markers' letters
    person_names: frozenset
    before_country: frozenset
    after_country: frozenset
    shared_names: tuple
    cities: frozenset  # forms of places: a city named only as where someone is based is not counted
    located: Located
    combining_followers: frozenset

    def languages_in(self, text: str) -> tuple:
        """The languages whose lower-case names (adjectives: "russe", "chino") are looked for in
        `text`, which would otherwise be looked for at every word of every text: those whose
        letters (é, ñ, ã, ä) it has, and two of whose markers, words frequent in the language and
        rare in English."""
        if text.isascii() or not self.accents.search(text):
            return ()
        found = []
        for language, (letters, markers) in self.markers.items():
            if any(letter in text for letter in letters) and _two_in(markers, text):
                found.append(language)
        return tuple(found)

    def matches(self, text: str, languages=()) -> list[tuple[str, int, int]]:
        """Every name in `text`, as (the entry's surface form, start, end): by script, and the
        lower-case names of `languages` (a Cyrillic text's, Russian's); of two that overlap,
        the longer ("golfo de México" over "México", "latino-américain" over "américain")."""
        found = [(m.group(), *m.span()) for m in self.patterns["latin"].finditer(text)]
        word_sets = [self.lower_words[language] for language in languages if language in self.lower_words]
        lower_patterns = [self.patterns[f"latin:{language}"] for language in languages if f"latin:{language}" in self.patterns]
        for pattern in lower_patterns:
            found += [(m.group(), *m.span()) for m in pattern.finditer(text)]
        if not text.isascii() and _NOT_LATIN.search(text):
            for script, letters in _SCRIPT_OF:
                if letters.search(text):
                    for m in self.patterns[script].finditer(text):
                        found.append(((ar_key(m.group(1)) if script == "arabic" else m.group()), *m.span()))
                    if script in self.lower_words:
                        word_sets.append(self.lower_words[script])
        if not word_sets and not lower_patterns:
            return found  # one pattern per script: no two matches overlap (a language with no lower-case names adds none)
        tokens = set(_TOKEN.findall(text))
        for word in {word for words in word_sets for word in tokens.intersection(words)}:
            found += _occurrences(text, word)
        found.sort(key=lambda hit: (hit[1], -hit[2]))
        kept, reach = [], 0
        for hit in found:
            if hit[1] >= reach:
                kept.append(hit)
                reach = hit[2]
        return kept


def _occurrences(text: str, word: str) -> list[tuple[str, int, int]]:
    """Where `word` stands in `text` as a whole word."""
    found, start = [], text.find(word)
    while start != -1:
        end = start + len(word)
        if not _TOKEN.match(text, start - 1 if start else 0, start) and not _TOKEN.match(text, end, end + 1):
            found.append((word, start, end))
        start = text.find(word, end)
    return found


def _two_in(markers, text: str) -> bool:
    seen = 0
    for marker in markers:
        if marker in text:
            seen += 1
            if seen == 2:
                return True
    return False


class Pattern:
    """A regular expression built and compiled when first used: an English-only site never
    builds the Arabic, Chinese or Russian ones (about a second of a process's start)."""

    def __init__(self, build):
        self._build = build
        self._compiled = None

    def finditer(self, text: str) -> Iterator[re.Match]:
        if self._compiled is None:
            self._compiled = re.compile(self._build())
        return self._compiled.finditer(text)


def script_of(term: str) -> str:
    first = term[0]
    if "\u0400" <= first <= "\u04ff":
        return "cyrillic"
    if "\u0600" <= first <= "\u06ff":
        return "arabic"
    return "cjk" if is_cjk(first) else "latin"


def _key(term: str) -> str:
    return ar_key(term) if script_of(term) == "arabic" else term


def _variants(term: str) -> list[str]:
    """A term as written with a straight and with a curly apostrophe."""
    return [term.replace("'", a) for a in APOSTROPHES] if "'" in term else [term]


def _plural(demonym: str) -> str | None:
    if demonym.endswith(("s", "sh", "ch", "ese", "x", "z")) or demonym in {"Swiss", "Thai", "Malagasy", "Lao"}:
        return None
    return demonym + "s"


def _trie_pattern(ends: dict, *, word_start: bool = True, spell: dict | None = None) -> str:
    """One regular expression matching any term of `ends` (term → what must hold where it ends),
    built as a trie so that matching costs the length of the text rather than the number of
    terms; longer terms win. With `word_start`, a term in a script written with spaces must have
    no letter before it: the check (`(?<!\\w.)`) is made after each first character, so that the
    pattern starts with a set of characters, which the regular expression engine skips ahead to
    (a third faster over article text). `spell` writes a character as a set (any alif)."""
    trie: dict = {}
    for term, end in ends.items():
        node = trie
        for char in term:
            node = node.setdefault(char, {})
        node[""] = end
    spell = spell or {}

    def build(node, first: bool = False) -> str:
        check = r"(?<!\w.)" if first and word_start else ""
        branches = [
            spell.get(char, re.escape(char)) + (check if not is_cjk(char) else "") + build(child)
            for char, child in sorted(node.items()) if char
        ]
        if "" in node:
            branches.append(node[""])  # after the longer terms: longest first
        return branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"

    return build(trie, first=True)


def _whole_word(term: str) -> str:
    """A term in a script written with spaces ends where no letter follows; one that ends in a
    sign ("Franco-", "US$") ends there, and a Chinese name where it ends."""
    return "" if not re.match(r"\w", term[-1]) or is_cjk(term[-1]) else r"(?!\w)"


def _cue_pattern(cues) -> re.Pattern:
    terms = {t: _whole_word(t) for c in cues for t in _variants(c)}
    return re.compile(_trie_pattern(terms) if terms else "(?!)")


def _iso_names(country) -> list[str]:
    """pycountry's names that read as prose (not "Korea, Republic of" or "Saint Martin (French part)")."""
    names = [getattr(country, attr, "") for attr in ("name", "common_name", "official_name")]
    return [n.removeprefix("the ") for n in names if n and "," not in n and "(" not in n]


@functools.cache
def vocabulary() -> Vocabulary:
    data = read_yaml(DATA)
    tables = [load(language) for language in ISO_LOCALES]
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
    for table in tables:
        for term, code in table.iso_forms:
            entries.setdefault(_key(term), Entry(COUNTRY, code))
    # The curated tables are applied after ISO's names so that they can reassign one ("Congo").
    claimed = {}  # curated term → code: two tables must not claim one term for two countries
    english = []
    for code, extra in curated.items():
        demonyms = extra.get("demonyms", [])
        plurals = [p for d in demonyms if (p := _plural(d))]
        for term in [*extra.get("names", []), *demonyms, *plurals, *extra.get("places", []),
                     *extra.get("seats", []), *extra.get("prefixes", [])]:
            english.append((term, code))
    for term, code in english + [(_key(t), c) for table in tables for t, c in table.country_forms]:
        if claimed.setdefault(term, code) != code:
            raise ValueError(f"{term!r} is claimed by both {claimed[term]} and {code}")
        entries[term] = Entry(COUNTRY, code)
    for table in tables:
        for term, codes in table.compound_forms:
            entries[term] = Entry(COUNTRY, codes[0], codes[1:])
    actors = {}
    for slug, actor in data["actors"].items():
        actors[slug] = ActorInfo(slug=slug, name=actor["name"], kind=actor["kind"])
        for term in actor["names"]:
            entries[term] = Entry(ACTOR, slug)
    for table in tables:
        for term, slug in table.actor_forms:
            entries[_key(term)] = Entry(ACTOR, slug)
    for term in [*data["not_countries"], *(t for table in tables for t in table.not_countries)]:
        entries[_key(term)] = Entry(None, "")
    for table in tables:
        for term in table.skip:
            entries.pop(_key(term), None)
    entries = {variant: entry for term, entry in entries.items() for variant in _variants(term)}
    cities = {*(p for extra in curated.values() for p in extra.get("places", [])),
              *(_key(c) for table in tables for c in table.cities)}
    return Vocabulary(
        countries=countries,
        actors=actors,
        entries=entries,
        **_patterns(entries, tables, english=[t for t, _ in english] + data["not_countries"]),
        markers={table.language: (table.letters, table.markers) for table in tables if table.markers},
        accents=re.compile(f"[{''.join(table.letters for table in tables)}]"),
        person_names=frozenset(data["person_names"]),
        before_country=frozenset(data["before_country"]),
        after_country=frozenset(data["after_country"]),
        shared_names=_shared_names(data["shared_names"], tables),
        cities=frozenset(v for c in cities for v in _variants(c)),
        located=_located([data["located"], *(table.located for table in tables)]),
        combining_followers=frozenset(data["combining_followers"]),
    )


def _patterns(entries: dict, tables, *, english: list) -> dict:
    """Each script's pattern, one for each language's other lower-case Latin names ("bande de
    Gaza"), and the sets of lower-case one-word names. Arabic names are matched by their key
    after any clitics (AR_CLITICS), the key's group being the name."""
    ends = _ends(entries, tables)
    by_script = {"latin": {}, **{script: {} for script in SCRIPT_LETTERS}}
    for term, end in ends.items():
        by_script[script_of(term)][term] = end
    english_lower = {v for t in english for v in _variants(t) if t[0].islower()}
    patterns, lower_words = {}, {}
    for table in tables:
        lower = {v for t in forms(table) for v in _variants(t) if t[0].islower()} - english_lower
        lower &= ends.keys()
        words = {t for t in lower if _TOKEN.fullmatch(t)}
        script = script_of(next(iter(words))) if words else "latin"
        lower_words[table.language if script == "latin" else script] = frozenset(words)
        for term in words:
            by_script[script].pop(term, None)
        if table.markers:
            others = {t: ends[t] for t in lower - words}
            patterns[f"latin:{table.language}"] = Pattern(functools.partial(_trie_pattern, others))
            for term in lower:
                by_script["latin"].pop(term, None)
    arabic = by_script.pop("arabic")
    patterns |= {script: Pattern(functools.partial(_trie_pattern, ends)) for script, ends in by_script.items()}
    patterns["arabic"] = Pattern(lambda: rf"(?<!\w){AR_CLITICS}({_trie_pattern(arabic, word_start=False, spell={'ا': '[اأإآ]'})})")
    return {"patterns": patterns, "lower_words": lower_words}


def _located(tables: list[dict]) -> Located:
    cues = [cue.lower() for table in tables for cue in table.get("cues", [])]
    return Located(
        prepositions=frozenset(p for table in tables for p in table.get("prepositions", [])),
        cue_words=frozenset(c for c in cues if not c.endswith("*")),
        cue_stems=tuple(c[:-1] for c in cues if c.endswith("*")),
        endings=tuple(e for table in tables for e in table.get("endings", [])),
        after=re.compile(tables[0]["after"]),
    )


def _ends(entries: dict, tables) -> dict:
    """Each term → what must hold where it ends: a whole word, or for Chinese, the guards."""
    longer_starts = {}  # the start of a Chinese term → the rests that complete it
    for term in entries:
        if is_cjk(term[0]):
            for i in range(1, len(term)):
                longer_starts.setdefault(term[:i], []).append(term[i:])
    return {term: cjk_guard(term, tables, longer_starts) if is_cjk(term[-1]) else _whole_word(term)
            for term in entries}


def _shared_names(english_rules, tables) -> tuple:
    """The rules for names shared with another place or word; a code's rules in several
    languages are one rule, with all their terms and cues."""
    rules = {}
    for rule in [*english_rules, *(r for table in tables for r in table.shared_names)]:
        merged = rules.setdefault(rule["code"], {"terms": [], "cues_elsewhere": [], "cues_here": [],
                                                 "elsewhere": rule.get("elsewhere", ""), "needs_cue": False})
        for key in ("terms", "cues_elsewhere", "cues_here"):
            merged[key] += rule[key]
        merged["needs_cue"] |= rule.get("needs_cue", False)
    return tuple(
        SharedName(
            code=code,
            terms=frozenset(v for t in rule["terms"] for v in _variants(_key(t))),
            elsewhere=rule["elsewhere"],
            cues_elsewhere=_cue_pattern(rule["cues_elsewhere"]),
            cues_here=_cue_pattern(rule["cues_here"]),
            needs_cue=rule["needs_cue"],
        )
        for code, rule in rules.items()
    )
