"""What grouping compares articles by: a set of short tokens per article, kept on its StoryArticle
row so that comparing a new article with its candidates reads no article text.

- `c:xx`, `a:slug`: the countries and actors it is tagged with (they choose the candidates);
- `m:xx`: its main countries, mentioned at least half as often as the most mentioned one;
- `n:…`: numbers, written one way whatever the style ("1,200", "1 200" → 1200; "9.50" → 9.5);
- `e:…`: capitalised words (names of people, places, bodies), accents and case folded;
- `g:…`: names of countries and their peoples: they say what the candidates share already;
- `t:…`: the title's words;
- `w:…`: the other words of the text;
- `x:opinion`: an opinion piece, which grouping leaves alone.

Words are cut to their first STEM letters, so that "Estonia" and "Estonian", "Elazığ" and
"Elazig" are one token across outlets (see docs/stories.md for why and the figures).
"""

import itertools
import re
import unicodedata
from functools import cache, lru_cache

from ..geo.vocabulary import vocabulary

STEM = 5
MAX_FEATURES = 400  # an article's tokens beyond this add nothing but cost (a long text's tail)
TEXT_READ = 6000  # letters of the text read for them (~1,000 words: the 400 tokens come before)

_NUMBER = re.compile(r"\d[\d,.\u00a0\u202f ]*\d|\d")
_WORD = re.compile(r"[^\W\d_][\w’'-]*")
_SENTENCE_END = re.compile(r"[.!?…。:;][\s\"”’»)]+|\n+")
_CAPITALISED = re.compile(r"[A-ZÀ-ÞĀ-ž]")
# Words too common to say anything about an event, in the site's main languages.
STOPWORDS = frozenset(
    """
    the a an and or but of in on at to for from by with as is are was were be been has have had it its this that
    these those their there they he she his her we our you not no after before over under into about than then
    also more most said says say will would could should may can new one two first last year years week day
    monday tuesday wednesday thursday friday saturday sunday january february march april june july august
    september october november december percent per cent
    le la les un une des du de et en au aux sur par pour dans avec est sont a été qui que ce cette ses son
    el los las del y por con para una que se su sus fue
    """.split()
)


@cache
def country_stems() -> frozenset:
    """The stems of the countries' names ("Indian" and "India" are one)."""
    names = (fold(word) for country in vocabulary().countries.values() for word in country.name.split())
    return frozenset(name[:STEM] for name in names if len(name) > 3 and name not in NOT_NAMES)


# Words of countries' names that are not a country's own ("Central" African Republic).
NOT_NAMES = frozenset("republic united islands island saint south north central democratic people's federal state "
                      "states kingdom territory plurinational".split())
# An opinion piece says so in its title ("Opinion: …"): it argues about events, it does not report one.
OPINION = re.compile(r"^\s*(opinion|comment|editorial|op-ed|column|analysis and opinion|tribune|opinión|éditorial)\s*[:|–—-]",
                     re.IGNORECASE)
OPINION_TOKEN = "x:opinion"


@lru_cache(maxsize=65536)  # the same words come again and again
def fold(word: str) -> str:
    """Lower case, without accents (ı → i too, which NFKD leaves alone)."""
    word = unicodedata.normalize("NFKD", word.lower().replace("ı", "i"))
    return "".join(char for char in word if not unicodedata.combining(char))


@lru_cache(maxsize=65536)
def word_of(word: str) -> tuple[str, bool, bool, str] | None:
    """A word as features see it: (its stem, whether it names a country or its people, whether it
    is capitalised, folded), or None for a stop word or one too short to say anything."""
    folded = fold(word)
    if folded in STOPWORDS or len(folded) <= 2:
        return None
    return folded[:STEM], folded[:STEM] in country_stems(), bool(_CAPITALISED.match(word)), folded


def number(text: str) -> str | None:
    """"1,200" / "1 200" → "1200", "9.50" → "9.5", "9,5" → "9.5"; None for a lone digit (days,
    counts of everything), which says little."""
    text = re.sub(r"[\u00a0\u202f ]", "", text)
    if re.fullmatch(r"\d{1,3}([,.]\d{3})+", text):
        text = re.sub(r"[,.]", "", text)
    text = text.replace(",", ".")
    if "." in text:
        whole, _, fraction = text.partition(".")
        fraction = fraction.rstrip("0")
        text = f"{whole}.{fraction}" if fraction else whole
    return text if len(text) > 1 else None


def features(*, title: str, text: str, countries: dict, actors=()) -> list[str]:
    """The article's tokens: tags, numbers and the title's words first, then the text's words in
    their order, up to MAX_FEATURES."""
    text = text[:TEXT_READ]
    most = max(countries.values(), default=0)
    tokens = dict.fromkeys(
        [f"c:{code}" for code in countries] + [f"a:{slug}" for slug in actors]
        + [f"m:{code}" for code, mentions in countries.items() if mentions * 2 >= most]
    )
    if OPINION.match(title):
        tokens[OPINION_TOKEN] = None
    for match in _NUMBER.finditer(f"{title}\n{text}"):
        if value := number(match.group()):
            tokens[f"n:{value}"] = None
    title_words = [described for word in _WORD.findall(title) if (described := word_of(word))]
    for stem, country, _, _ in title_words:
        tokens[f"{'g' if country else 't'}:{stem}"] = None
    # A capitalised word that starts a sentence, or stands in a title (often in Title Case), is a
    # name only when the text also writes it capitalised inside a sentence ("Officials said …" is
    # every article's; "Lavrov said …" is not).
    sentences = [[word_of(word) for word in _WORD.findall(sentence)] for sentence in _SENTENCE_END.split(text)]
    names = {word[3] for words in sentences for word in words[1:] if word and word[2]}
    for first, word in itertools.chain(
        ((True, word) for word in title_words),
        ((index == 0, word) for words in sentences for index, word in enumerate(words) if word),
    ):
        if len(tokens) >= MAX_FEATURES:
            break
        stem, country, capitalised, folded = word
        kind = "g" if country else "e" if capitalised and (not first or folded in names) else "w"
        tokens[f"{kind}:{stem}"] = None
    return list(tokens)[:MAX_FEATURES]

