"""How an article's text becomes its search vectors (the generated columns of models/articles.py),
by its language: PostgreSQL's own text-search configuration for the languages it stems, `simple`
for the rest, and overlapping pairs of characters (bigrams) for Chinese, Japanese and Korean, whose
words PostgreSQL's parser cannot find (a run of Chinese characters is one token). See docs/search.md.
"""

import functools
import operator
import re

from django.contrib.postgres.search import SearchConfig, SearchQuery, SearchVector, SearchVectorField
from django.db.models import Case, F, Func, Q, TextField, Value, When
from django.db.models.expressions import CombinedExpression

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
# 0018), which a test holds them to.
BIGRAM_LETTERS = UNSPACED_LETTERS + "\uac00-\ud7af"
BIGRAM_RUN = re.compile(f"[{BIGRAM_LETTERS}]+")


def bigrams(run: str) -> list[str]:
    """A run of BIGRAM_LETTERS as the search function pairs it: 中国与越南 → 中国 国与 与越 越南."""
    return [run[i:i + 2] for i in range(max(len(run) - 1, 1))]


def written_in(codes) -> Q:
    """The article's language is one of these (its primary subtag: `ru`, or `ru-RU` …)."""
    condition = Q()
    for code in codes:
        condition |= Q(language=code) | Q(language__startswith=f"{code}-")
    return condition


def search_vector(*weighted: tuple[str, str]) -> CombinedExpression:
    """The vector of these (column, weight) pairs in the article's language, with the pairs of
    letters of an article in one of the BIGRAM_LANGUAGES (for any other, an empty vector at the
    cost of one test: the pairs cost PostgreSQL ~1 µs a letter, and a to_tsvector call, even of
    nothing, ~10 µs). Django's own expressions only, so that the migration holds no app code: the
    configuration is a CASE whose every branch is a constant (`'russian'::regconfig`), as a
    generated column needs (a cast of text to regconfig at run time is not immutable)."""
    by_config = {}
    for code, name in SEARCH_CONFIGS.items():
        by_config.setdefault(name, []).append(code)
    branches = [When(written_in(codes), then=SearchConfig(name)) for name, codes in by_config.items()]
    config = SearchConfig(Case(*branches, default=SearchConfig(SIMPLE), output_field=TextField()))
    text = [SearchVector(column, weight=weight, config=config) for column, weight in weighted]
    pairs = [
        SearchVector(Func(F(column), function="article_search_bigrams", output_field=TextField()), weight=weight,
                     config=SIMPLE)
        for column, weight in weighted
    ]
    pairs_if_written_so = Case(
        When(written_in(BIGRAM_LANGUAGES), then=functools.reduce(operator.add, pairs)),
        default=Value("", output_field=SearchVectorField()), output_field=SearchVectorField(),
    )
    return CombinedExpression(functools.reduce(operator.add, text), "||", pairs_if_written_so, SearchVectorField())


class LanguageSearchConfig(SearchConfig):
    """The configuration of an article's language column in a query (snippets): the same table as
    a simple CASE over its primary subtag."""

    def __init__(self, language="language"):
        super().__init__(F(language) if isinstance(language, str) else language)

    def as_sql(self, compiler, connection):
        language, params = compiler.compile(self.config)
        return config_case(language), params


# The tables above written into the SQL as constants, not parameters: a query with some seventy
# parameters was parsed anew by psycopg each time (it caches short queries only).
def config_case(language: str) -> str:
    """The SQL of the configuration of the language tag in SQL `language`."""
    branches = " ".join(f"WHEN '{code}' THEN '{name}'::regconfig" for code, name in SEARCH_CONFIGS.items())
    return f"(CASE split_part({language}, '-', 1) {branches} ELSE '{SIMPLE}'::regconfig END)"


def written_without_spaces(language: str) -> str:
    """The SQL test that the language tag in SQL `language` is one of the BIGRAM_LANGUAGES."""
    return f"split_part({language}, '-', 1) IN ({', '.join(repr(code) for code in BIGRAM_LANGUAGES)})"


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


class ReadQuery(SearchQuery):
    """A tsquery as PostgreSQL read it (`Article.objects.readings`), used as it is: its constants let
    the planner estimate how many articles match, which it cannot for a query built at run time."""

    def __init__(self, readings: list[str]):
        super().__init__(" | ".join(f"({reading})" for reading in readings))

    def as_sql(self, compiler, connection, function=None, template=None):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"{sql}::tsquery", params


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
        written = written_without_spaces(language)
        sql = (
            f"replace(ts_headline({config}, CASE WHEN {written} THEN regexp_replace({text}, %s, %s, 'g') ELSE {text} END, "
            f"{query}, CASE WHEN {written} THEN %s ELSE %s END), %s, '')"
        )
        params = [
            *config_params, *language_params, *text_params, f"({letters})(?={letters})", f"\\1{LETTER_BREAK}",
            *text_params, *query_params, *language_params, *self.options, LETTER_BREAK,
        ]
        return sql, params
