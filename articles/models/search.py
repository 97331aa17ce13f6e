"""How an article's text becomes its search vectors (the generated columns of models/articles.py),
by its language: PostgreSQL's own text-search configuration for the languages it stems, `simple`
for the rest, and overlapping pairs of characters (bigrams) for Chinese, Japanese and Korean, whose
words PostgreSQL's parser cannot find (a run of Chinese characters is one token). See docs/search.md.
"""

import itertools
import re

from django.contrib.postgres.search import SearchConfig, SearchQuery, SearchVector
from django.db.models import F, Func, TextField

# PostgreSQL's Snowball configurations, all there since PostgreSQL 14 (estonian, new in 17, is
# left out so that an older server can still run the migration), by the ISO 639-1 code of the
# language they stem. An article in any other language is matched with `simple`: words as written,
# lower-cased, no stop words.
SEARCH_CONFIGS = {
    "ar": "arabic", "ca": "catalan", "da": "danish", "de": "german", "el": "greek", "en": "english",
    "es": "spanish", "eu": "basque", "fi": "finnish", "fr": "french", "ga": "irish", "hi": "hindi",
    "hu": "hungarian", "hy": "armenian", "id": "indonesian", "it": "italian", "lt": "lithuanian",
    "nb": "norwegian", "ne": "nepali", "nl": "dutch", "nn": "norwegian", "no": "norwegian",
    "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian", "sv": "swedish",
    "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}
SIMPLE = "simple"

# Languages written without spaces between words (Chinese, Japanese), or with particles joined to
# them (Korean): their text is also indexed as overlapping pairs of letters, so that a word of
# two or more letters is found wherever it stands (a query is turned into the same pairs).
BIGRAM_LANGUAGES = ("zh", "ja", "ko")
# Letters of the scripts written without spaces between words: 々〆〇, kana (half-width katakana
# too), CJK ideographs (extension A, the unified block, compatibility, the supplementary planes).
UNSPACED_LETTERS = (
    "\u3005-\u3007\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003134f"
)
# Those and Hangul syllables: the ranges of the SQL function `article_search_bigrams` (migration
# 0015), which a test holds them to.
BIGRAM_LETTERS = UNSPACED_LETTERS + "\uac00-\ud7af"
BIGRAM_RUN = re.compile(f"[{BIGRAM_LETTERS}]+")


def config_name(language: str) -> str:
    """The text-search configuration of a language tag (`pt-BR` is Portuguese's)."""
    return SEARCH_CONFIGS.get(language.split("-")[0].lower(), SIMPLE)


def bigrams(run: str) -> list[str]:
    """A run of BIGRAM_LETTERS as the search function pairs it: 中国与越南 → 中国 国与 与越 越南."""
    return [run[i:i + 2] for i in range(max(len(run) - 1, 1))]


class LanguageSearchConfig(SearchConfig):
    """The configuration of an article's language column, in SQL: a CASE over its primary subtag
    whose every branch is a constant (`'russian'::regconfig`), so that a generated column may use
    it (a cast of text to regconfig at run time is not immutable)."""

    def __init__(self, language="language"):
        super().__init__(F(language) if isinstance(language, str) else language)

    def as_sql(self, compiler, connection):
        language, params = compiler.compile(self.config)
        branches = " ".join("WHEN %s THEN %s::regconfig" for _ in SEARCH_CONFIGS)
        sql = f"(CASE split_part({language}, '-', 1) {branches} ELSE %s::regconfig END)"
        return sql, [*params, *itertools.chain.from_iterable(SEARCH_CONFIGS.items()), SIMPLE]


class BigramsOf(Func):
    """The text's runs of BIGRAM_LETTERS as space-separated pairs, for an article in one of the
    BIGRAM_LANGUAGES (anything else gets "": the pairs cost PostgreSQL ~1 µs a letter to make)."""

    output_field = TextField()

    def __init__(self, text, language="language"):
        super().__init__(F(text), F(language))

    def as_sql(self, compiler, connection):
        (text, text_params), (language, language_params) = (compiler.compile(e) for e in self.source_expressions)
        written = ", ".join(["%s"] * len(BIGRAM_LANGUAGES))
        sql = (
            f"(CASE WHEN split_part({language}, '-', 1) IN ({written}) "
            f"THEN article_search_bigrams({text}) ELSE '' END)"
        )
        return sql, [*language_params, *BIGRAM_LANGUAGES, *text_params]


def search_vector(*weighted: tuple[str, str]) -> SearchVector:
    """The vector of these (column, weight) pairs in the article's language, with their bigrams."""
    config = LanguageSearchConfig()
    parts = [SearchVector(column, weight=weight, config=config) for column, weight in weighted]
    parts += [SearchVector(BigramsOf(column), weight=weight, config=SIMPLE) for column, weight in weighted]
    vector = parts[0]
    for part in parts[1:]:
        vector = vector + part
    return vector


def with_phrases(text: str, letters) -> str:
    """A websearch query with each run of Chinese, Japanese or Korean letters written as a phrase
    of `letters(run)`: its pairs (`bigrams`: 中国 国与 与越 越南) to match the vectors, its single
    letters (`list`) for snippets. A run inside a quoted phrase stays part of it; `-` still negates it."""
    parts, quoted, end = [], False, 0
    for run in BIGRAM_RUN.finditer(text):
        before = text[end:run.start()]
        quoted ^= before.count('"') % 2 == 1
        words = " ".join(letters(run.group()))
        space = " " if before[-1:].isalnum() else ""
        parts += [before, space, words if quoted else f'"{words}"', " "]
        end = run.end()
    return "".join(parts) + text[end:]


def search_query(text: str, configs: list[str]) -> SearchQuery:
    """A websearch query read in each of these configurations, any of them matching."""
    queries = [SearchQuery(text, search_type="websearch", config=config) for config in configs]
    combined = queries[0]
    for query in queries[1:]:
        combined |= query
    return combined


# Put between the letters of a Chinese, Japanese or Korean text to quote, so that ts_headline
# (whose parser reads a run of them as one word) takes each letter for a word; taken out of the
# snippet. A private-use character, which the parser takes for a space (a zero-width space it does not).
LETTER_BREAK = "\ue002"


def _options(**options) -> str:
    return ", ".join(f'{name}="{value}"' for name, value in options.items())


class Snippet(Func):
    """ts_headline of `text` for `query`, in the article's language, its matches between `start`
    and `stop`. The letters of a Chinese, Japanese or Korean article are quoted one by one (the
    query's CJK words must then be phrases of single letters: `with_phrases(text, list)`), and a
    fragment of such a text is longer in letters and may begin or end with a one-letter word."""

    output_field = TextField()

    def __init__(self, text, query, *, start: str, stop: str):
        super().__init__(LanguageSearchConfig(), text, query, F("language"))
        marks = {"StartSel": start, "StopSel": stop, "MaxFragments": 2, "FragmentDelimiter": " … "}
        self.options = _options(**marks, MaxWords=60, MinWords=30, ShortWord=0), _options(**marks, MaxWords=40, MinWords=20)

    def as_sql(self, compiler, connection):
        (config, config_params), (text, text_params), (query, query_params), (language, language_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        letters = f"[{BIGRAM_LETTERS}]"
        written = f"split_part({language}, '-', 1) IN ({', '.join(['%s'] * len(BIGRAM_LANGUAGES))})"
        written_params = [*language_params, *BIGRAM_LANGUAGES]
        sql = (
            f"replace(ts_headline({config}, CASE WHEN {written} THEN regexp_replace({text}, %s, %s, 'g') ELSE {text} END, "
            f"{query}, CASE WHEN {written} THEN %s ELSE %s END), %s, '')"
        )
        params = [
            *config_params, *written_params, *text_params, f"({letters})(?={letters})", f"\\1{LETTER_BREAK}",
            *text_params, *query_params, *written_params, *self.options, LETTER_BREAK,
        ]
        return sql, params
