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
PERSON, PLACE = "person", "place"


@dataclass
class Tags:
    countries: dict[str, int] = field(default_factory=dict)  # alpha-2 code → weighted mentions
    actors: dict[str, int] = field(default_factory=dict)  # actor slug → weighted mentions
    given: frozenset = frozenset()  # codes and slugs the input itself tags it with (front matter)


def _reading(text: str, match: re.Match, vocab: Vocabulary, *, in_title: bool) -> str | None:
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
    after = None if in_title else _WORD_AFTER.match(text, match.end())  # title case says nothing
    if after:
        word = after.group(1)
        if word in vocab.after_country:
            return PLACE
        if word[0].isupper():
            return PERSON
    return None


def _term_counts(text: str, vocab: Vocabulary, *, in_title: bool) -> Counter:
    counts = Counter()
    readings: dict[str, list] = {}  # person-name term → how each of its matches reads
    for match in vocab.pattern.finditer(text):
        term = match.group()
        if vocab.entries[term].kind is None:
            continue
        if term in vocab.person_names:
            readings.setdefault(term, []).append(_reading(text, match, vocab, in_title=in_title))
        else:
            counts[term] += 1
    for term, seen in readings.items():
        # Once the text uses the name for a person, only clear uses of the place count.
        counts[term] += seen.count(PLACE) if PERSON in seen else len(seen) - seen.count(PERSON)
    return +counts


def tag(*, title: str = "", dek: str = "", text: str = "") -> Tags:
    vocab = vocabulary()
    fields = {"title": title, "dek": dek, "text": text}
    weighted = Counter()
    for name, value in fields.items():
        for term, count in _term_counts(value, vocab, in_title=name == "title").items():
            weighted[term] += count * WEIGHTS[name]
    whole = "\n".join(fields.values())
    for shared in vocab.shared_names:
        # The cues are read only where the name was found (they cost as much as the tagging itself).
        if not shared.terms.isdisjoint(weighted):
            if len(shared.cues_elsewhere.findall(whole)) > len(shared.cues_here.findall(whole)):
                for term in shared.terms:
                    weighted.pop(term, None)
    tags = Tags()
    for term, count in weighted.items():
        entry = vocab.entries[term]
        bucket = tags.countries if entry.kind == COUNTRY else tags.actors if entry.kind == ACTOR else None
        bucket[entry.code] = bucket.get(entry.code, 0) + count
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
