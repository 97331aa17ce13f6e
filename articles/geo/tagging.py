"""Text → tags: a pure function from an article's title, dek and text to weighted mention counts
per country and per actor. No database; the vocabulary is read once per process."""

import re
from collections import Counter
from dataclasses import dataclass, field

from .vocabulary import ACTOR, COUNTRY, Vocabulary, vocabulary

# A mention in the title counts three times, in the dek twice, in the text once.
WEIGHTS = {"title": 3, "dek": 2, "text": 1}
_WORD_BEFORE = re.compile(r"(\w[\w’'-]*) $")
_WORD_AFTER = re.compile(r" (\w[\w.’'-]*)")
_NEXT_WORD = re.compile(r"\w+")
_LONG_WORD = re.compile(r"\w{5,}")
_LATIN_CAPITAL = re.compile(r"[A-ZÀ-ÞĀ-ž]")
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


def _reading(text: str, match: re.Match, vocab: Vocabulary, *, title_case: bool) -> str | None:
    """Whether a name that is also a person's name ("Chad", "Jordan") reads as a person here
    ("By Chad Miller", "Michael Jordan"), as the place ("in Chad", "Lake Chad", "Chad President"),
    or cannot be told from its neighbours."""
    before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.start())
    if before:
        word = before.group(1)
        if word.capitalize() in vocab.before_country:
            return PLACE
        if word[0].isupper():
            return PERSON
    after = None if title_case else _WORD_AFTER.match(text, match.end())  # title case says nothing
    if after:
        word = after.group(1)
        if word in vocab.after_country:
            return PLACE
        if word[0].isupper():
            return PERSON
    return None


def _only_located(text: str, match: re.Match, vocab: Vocabulary, *, title_case: bool) -> bool:
    """Whether a city is named only as where a person, firm, market or meeting is based ("an
    analyst in London", "Tokyo-based", "ministers meeting in Vienna", "London trading"), or as
    part of a name ("Tokyo Electron", "Real Madrid"), and not for its country."""
    start, end = match.span()
    if vocab.located_after.match(text, end) or vocab.located_before.search(text, max(0, start - 90), start):
        return True
    if not _LATIN_CAPITAL.match(text, start):
        return False
    before = _WORD_BEFORE.search(text, max(0, start - 40), start)
    if before and before.group(1)[0].isupper() and before.group(1).capitalize() not in vocab.before_country:
        return True
    after = None if title_case else _WORD_AFTER.match(text, end)
    return bool(after and after.group(1)[0].isupper() and after.group(1) not in vocab.after_country)


def _joins_a_country(text: str, match: re.Match, vocab: Vocabulary) -> bool:
    """Whether a combining form ("Indo-") is followed by a country ("Indo-Pakistani"), not a
    region or anything else ("Indo-Pacific", "Greco-Roman")."""
    following = _NEXT_WORD.match(text, match.end())
    if following is None:
        return False
    if following.group() in vocab.combining_followers:
        return True
    entry = next((vocab.entries[term] for term, _ in vocab.matches(following.group())), None)
    return entry is not None and entry.kind == COUNTRY


def _term_counts(text: str, vocab: Vocabulary, *, title_case: bool) -> Counter:
    counts = Counter()
    readings: dict[str, list] = {}  # person-name term → how each of its matches reads
    for term, match in vocab.matches(text):
        if vocab.entries[term].kind is None:
            continue
        if term.endswith("-") and not _joins_a_country(text, match, vocab):
            continue
        located = term in vocab.cities and _only_located(text, match, vocab, title_case=title_case)
        if term in vocab.person_names:
            reading = _reading(text, match, vocab, title_case=title_case)
            readings.setdefault(term, []).append(LOCATED if located and reading != PERSON else reading)
        elif not located:
            counts[term] += 1
    for term, seen in readings.items():
        # Once the text uses the name for a person, only clear uses of the place count.
        places = seen.count(PLACE) if PERSON in seen else len(seen) - seen.count(PERSON) - seen.count(LOCATED)
        counts[term] += places
    return +counts


def tag(*, title: str = "", dek: str = "", text: str = "") -> Tags:
    vocab = vocabulary()
    fields = {"title": title, "dek": dek, "text": text}
    weighted = Counter()
    for name, value in fields.items():
        title_case = name == "title" and _title_case(value)
        for term, count in _term_counts(value, vocab, title_case=title_case).items():
            weighted[term] += count * WEIGHTS[name]
    whole = "\n".join(fields.values())
    for shared in vocab.shared_names:
        # The cues are read only where the name was found (they cost as much as the tagging itself).
        if not shared.terms.isdisjoint(weighted):
            here = len(shared.cues_here.findall(whole))
            if len(shared.cues_elsewhere.findall(whole)) > here or (shared.needs_cue and not here):
                for term in shared.terms:
                    weighted.pop(term, None)
    tags = Tags()
    for term, count in weighted.items():
        entry = vocab.entries[term]
        bucket = tags.countries if entry.kind == COUNTRY else tags.actors if entry.kind == ACTOR else None
        for code in (entry.code, *entry.also):
            bucket[code] = bucket.get(code, 0) + count
    return tags


def tag_article(*, title: str, dek: str, free_text: str, members_text: str, given=()) -> Tags:
    """An article's tags from its stored fields. `given` are the input's own tags (front matter,
    feed categories): a country code or actor slug ("ua", "nato") or a name the vocabulary knows
    ("Ukraine", "NATO") is kept; anything else is not a country or actor and is ignored."""
    tags = tag(title=title, dek=dek, text="\n\n".join(filter(None, [free_text, members_text])))
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
