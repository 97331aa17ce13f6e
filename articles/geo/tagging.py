"""Text → tags: a pure function from an article's title, dek and text to weighted mention counts
per country and per actor. No database; the vocabulary is read once per process."""

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from .vocabulary import COUNTRY, Vocabulary, vocabulary

# A mention in the title counts three times, in the dek twice, in the text once.
WEIGHTS = {"title": 3, "dek": 2, "text": 1}
_WORD = re.compile(r"\w[\w’'-]*")
_WORD_AFTER = re.compile(r" (\w[\w.’'-]*)")
_NAME_AFTER = re.compile(r"(?:['’]s)? (\w[\w.’'-]*)")  # "London Metal Exchange", "London's International …"
_NEXT_WORD = re.compile(r"\w+")
_LONG_WORD = re.compile(r"\w{5,}")
_LATIN_CAPITAL = re.compile(r"[A-ZÀ-ÞĀ-ž]")
_WORD_OR_AMPERSAND = re.compile(r"\w[\w’'.-]*|&")
_SENTENCE_ENDS = (". ", "! ", "? ", "; ", "。", "！", "？", "؟ ")
_CONJUNCTIONS = frozenset(["and", "or", "et", "ou", "y", "e", "o", "und", "oder", "и", "или", "و"])
PERSON, PLACE, LOCATED = "person", "place", "located"


@dataclass
class Tags:
    countries: dict[str, int] = field(default_factory=dict)  # alpha-2 code → weighted mentions
    actors: dict[str, int] = field(default_factory=dict)  # actor slug → weighted mentions
    given: frozenset = frozenset()  # codes and slugs the input itself tags it with (front matter)


def _title_case(title: str) -> bool:
    """Whether a title capitalises its words ("Chad Closes Its Border"), so that a capital says
    nothing about a name; "Santiago Abascal visita Buenos Aires" does not."""
    return all(word[0].isupper() for word in _LONG_WORD.findall(title))


def _word_before(text: str, start: int) -> str | None:
    """The word right before `start`, with one space between."""
    if start < 2 or text[start - 1] != " ":
        return None
    word = text[max(0, start - 40):start - 1].rpartition(" ")[2]
    return word if _WORD.fullmatch(word) else None


def _reading(text: str, start: int, end: int, vocab: Vocabulary, *, title_case: bool) -> str | None:
    """Whether a name that is also a person's name ("Chad", "Jordan") reads as a person here
    ("By Chad Miller", "Michael Jordan"), as the place ("in Chad", "Lake Chad", "Chad President"),
    or cannot be told from its neighbours."""
    word = _word_before(text, start)
    if word:
        if word.capitalize() in vocab.before_country:
            return PLACE
        if word[0].isupper():
            return PERSON
    after = None if title_case else _WORD_AFTER.match(text, end)  # title case says nothing
    if after:
        word = after.group(1)
        if word in vocab.after_country:
            return PLACE
        if word[0].isupper():
            return PERSON
    return None


def _only_located(text: str, start: int, end: int, vocab: Vocabulary, *, title_case: bool) -> bool:
    """Whether a city is named only as where a person, firm, market or meeting is based ("an
    analyst in London", "Tokyo-based", "ministers meeting in Vienna", "London trading"), or as
    part of a name ("Tokyo Electron", "Real Madrid"), and not for its country."""
    located = vocab.located
    before = text[max(0, start - 100):start].rstrip()
    if located.after.match(text, end) or before.endswith(located.endings):
        return True
    last = before[before.rfind(" ") + 1:].lower()  # most cities follow no preposition: look no further
    if last in located.prepositions or last in _CONJUNCTIONS:
        words = _WORD_OR_AMPERSAND.findall(before[max(before.rfind(end) for end in _SENTENCE_ENDS) + 1:])
        i = len(words) - 1
        while i >= 2 and words[i] in _CONJUNCTIONS and words[i - 1][0].isupper():
            i -= 2  # "in Tokyo and Seoul": Seoul is where Tokyo is
        if i >= 0 and words[i].lower() in located.prepositions:
            cues = [word.lower() for word in words[max(0, i - 10):i]]
            if any(cue in located.cue_words or cue.startswith(located.cue_stems) for cue in cues):
                return True
            firm = i - 1  # "an analyst at Standard Chartered in London"
            while firm >= 0 and (words[firm][0].isupper() or words[firm] in ("of", "and", "&")):
                firm -= 1
            if 0 <= firm < i - 1 and words[firm] == "at":
                return True
    if not _LATIN_CAPITAL.match(text, start):
        return False
    word = _word_before(text, start)
    if word and word[0].isupper() and word.capitalize() not in vocab.before_country:
        return True
    neighbour = None if title_case else _NAME_AFTER.match(text, end)
    return bool(neighbour and neighbour.group(1)[0].isupper() and neighbour.group(1) not in vocab.after_country)


def _joins_a_country(text: str, end: int, vocab: Vocabulary, languages: tuple) -> bool:
    """Whether a combining form ("Indo-") is followed by a country ("Indo-Pakistani"), not a
    region or anything else ("Indo-Pacific", "Greco-Roman")."""
    following = _NEXT_WORD.match(text, end)
    if following is None:
        return False
    if following.group() in vocab.combining_followers:
        return True
    entry = next((vocab.entries[term] for term, _, _ in vocab.matches(following.group(), languages)), None)
    return entry is not None and entry.kind == COUNTRY


def _term_counts(text: str, vocab: Vocabulary, languages: tuple, *, title_case: bool) -> Counter:
    counts = Counter()
    readings: dict[str, list] = {}  # person-name term → how each of its matches reads
    for term, start, end in vocab.matches(text, languages):
        if vocab.entries[term].kind is None:
            continue
        if term.endswith("-") and not _joins_a_country(text, end, vocab, languages):
            continue
        located = term in vocab.cities and _only_located(text, start, end, vocab, title_case=title_case)
        if term in vocab.person_names:
            reading = _reading(text, start, end, vocab, title_case=title_case)
            readings.setdefault(term, []).append(LOCATED if located and reading != PERSON else reading)
        elif not located:
            counts[term] += 1
    for term, seen in readings.items():
        # Once the text uses the name for a person, only clear uses of the place count.
        places = seen.count(PLACE) if PERSON in seen else len(seen) - seen.count(PERSON) - seen.count(LOCATED)
        counts[term] += places
    return +counts


def tag(*, title: str = "", dek: str = "", text: str = "", language: str | None = None) -> Tags:
    """The countries and actors an article mentions. Names in every language are looked for;
    `language` (ISO 639-1), when the article's is known, says whose lower-case names (adjectives)
    to look for too, which are otherwise those of the languages the text shows (markers)."""
    vocab = vocabulary()
    fields = {"title": title, "dek": dek, "text": text}
    whole = "\n".join(fields.values())
    languages = (language,) if language else vocab.languages_in(whole)
    weighted = Counter()
    for name, value in fields.items():
        if not value:
            continue
        title_case = name == "title" and _title_case(value)
        for term, count in _term_counts(value, vocab, languages, title_case=title_case).items():
            weighted[term] += count * WEIGHTS[name]
    for shared in vocab.shared_names:
        # The cues are read only where the name was found (they cost as much as the tagging itself).
        if not shared.terms.isdisjoint(weighted):
            here = len(shared.cues_here.findall(whole))
            if len(shared.cues_elsewhere.findall(whole)) > here or (shared.needs_cue and not here):
                for term in shared.terms.intersection(weighted):
                    del weighted[term]
    tags = Tags()
    for term, count in weighted.items():
        entry = vocab.entries[term]
        bucket = tags.countries if entry.kind == COUNTRY else tags.actors  # terms of no kind were never counted
        for code in (entry.code, *entry.also):
            bucket[code] = bucket.get(code, 0) + count
    return tags


# The stored fields of an article that are tagged (members' text too: tags are its subject).
TAGGED_FIELDS = ("title", "dek", "free_text", "members_text")


def tag_article(fields: Mapping[str, str], *, given=(), language=None) -> Tags:
    """An article's tags from its stored fields (TAGGED_FIELDS: an import's prepared fields, or a
    stored article's). `given` are the input's own tags (front matter, feed categories): a country
    code or actor slug ("ua", "nato") or a name the vocabulary knows ("Ukraine", "NATO") is kept;
    anything else is not a country or actor and is ignored."""
    text = "\n\n".join(filter(None, [fields["free_text"], fields["members_text"]]))
    tags = tag(title=fields["title"], dek=fields["dek"], text=text, language=language)
    vocab = vocabulary()
    known = set()
    for name in given:
        name = str(name).strip()
        entry = vocab.entries.get(name)
        if name.lower() in vocab.countries or name.lower() in vocab.actors:
            known.add(name.lower())
        elif entry is not None and entry.kind is not None:
            known.add(entry.code)
    tags.given = frozenset(known)
    return tags
