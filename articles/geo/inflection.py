"""The written forms of a name in a language that changes it: Russian cases, Arabic clitics and
adjectives, German genitives and adjective endings, the gender and number of French, Spanish and
Portuguese adjectives. Each function takes the base form the curated table gives and returns
every form to match, the base form first. A generated form that never occurs in real text costs
nothing (the matcher is a trie), so the rules are the regular ones and irregular forms are listed
in the tables."""

import re

CASES = 6  # Russian: nominative, genitive, dative, accusative, instrumental, prepositional

# Russian endings by the end of the nominative, in case order. The first matching key wins.
_RU_ADJECTIVE = {
    "ая": ("ая", "ой", "ой", "ую", "ой", "ой"),
    "яя": ("яя", "ей", "ей", "юю", "ей", "ей"),
    "ий": ("ий", "ого", "ому", "ий", "им", "ом"),
    "ый": ("ый", "ого", "ому", "ый", "ым", "ом"),
    "ой": ("ой", "ого", "ому", "ой", "ым", "ом"),
    "ое": ("ое", "ого", "ому", "ое", "ым", "ом"),
    "ее": ("ее", "его", "ему", "ее", "им", "ем"),
    "ие": ("ие", "их", "им", "ие", "ими", "их"),
    "ые": ("ые", "ых", "ым", "ые", "ыми", "ых"),
}
_RU_NOUN = {
    "ия": ("ия", "ии", "ии", "ию", "ией", "ии"),
    "ея": ("ея", "еи", "ее", "ею", "еей", "ее"),
    "я": ("я", "и", "е", "ю", "ей", "е"),
    "ка": ("ка", "ки", "ке", "ку", "кой", "ке"),
    "га": ("га", "ги", "ге", "гу", "гой", "ге"),
    "ха": ("ха", "хи", "хе", "ху", "хой", "хе"),
    "а": ("а", "ы", "е", "у", "ой", "е"),
    "ь": ("ь", "я", "ю", "ь", "ем", "е"),
    "й": ("й", "я", "ю", "й", "ем", "е"),
    "ы": ("ы", "ов", "ам", "ы", "ами", "ах"),
}
_RU_NEUTER = {"о": ("о", "а", "у", "о", "ом", "е"), "е": ("е", "я", "ю", "е", "ем", "е")}
_RU_HUSHING = "жшчщц"
_RU_FUNCTION_WORDS = {"и", "де", "да", "ду", "дель", "ла", "о-в", "о-ва"}
_RU_ADJECTIVE_FORMS = ("ий", "ого", "ому", "им", "ом", "ая", "ой", "ую", "ою", "ое", "ие", "их", "ими")


def _ru_word_cases(word: str, *, neuter_noun: bool) -> tuple:
    lower = word.lower()
    if not lower:
        return (word,) * CASES
    if "-" in word and not lower.endswith(tuple(_RU_ADJECTIVE)):
        # Only the last part of "Аддис-Абеба" or "Буэнос-Айрес" changes.
        head, _, last = word.rpartition("-")
        return tuple(f"{head}-{form}" for form in _ru_word_cases(last, neuter_noun=neuter_noun))
    if lower in _RU_FUNCTION_WORDS or word.isupper():
        return (word,) * CASES
    for table in (_RU_ADJECTIVE, _RU_NOUN, _RU_NEUTER if neuter_noun else {}):
        for ending, endings in table.items():
            if lower.endswith(ending) and len(word) > len(ending) + 1:
                stem = word[: -len(ending)]
                return tuple(stem + e for e in endings)
    if lower[-1] in "оеёиуюэ" or not lower[-1].isalpha():
        return (word,) * CASES  # "Того", "Чили", "Перу", "Нью-Дели": not declined
    instrumental = "ем" if lower[-1] in _RU_HUSHING else "ом"
    return (word, word + "а", word + "у", word, word + instrumental, word + "е")


def ru_phrase(phrase: str) -> list[str]:
    """Every case of a Russian noun phrase ("Южная Корея", "Соединённые Штаты", "Японское
    море"), its words agreeing; with ё also written е."""
    words = phrase.split(" ")
    # A neuter adjective ("Японское", "Соединённое") makes the noun after it a declined neuter.
    columns = [
        _ru_word_cases(word, neuter_noun=i > 0 and words[i - 1].lower().endswith(("ое", "ее")))
        for i, word in enumerate(words)
    ]
    forms = [" ".join(column[case] for column in columns) for case in range(CASES)]
    return _with_yo(forms)


def ru_adjective(adjective: str) -> list[str]:
    """Every gender, number and case of a Russian adjective ("российский"), lower case and
    capitalised (a sentence may begin with it)."""
    stem = adjective[:-2]
    forms = [stem + ending for ending in _RU_ADJECTIVE_FORMS]
    if adjective.endswith("ый"):
        forms = [f.replace(stem + "им", stem + "ым") for f in forms] + [stem + "ый", stem + "ыми"]
    return _with_yo(_both_cases(forms))


def ru_people(singular: str) -> list[str]:
    """The singular and plural of a Russian word for a people ("американец", "россиянин",
    "француз"), in every case, lower case and capitalised."""
    if singular.endswith(("анин", "янин")):
        stem = singular[:-2]
        forms = [stem + e for e in ("ин", "ина", "ину", "ином", "ине", "е", "", "ам", "ами", "ах")]
    elif singular.endswith("ец"):
        stem = singular[:-2] + ("й" if singular[-3] in "аеиоуя" else "")
        forms = [singular] + [stem + e for e in ("ца", "цу", "цем", "це", "цы", "цев", "цам", "цами", "цах")]
    else:
        plural = "и" if singular[-1] in "кгхжшчщ" else "ы"
        forms = [singular] + [singular + e for e in ("а", "у", "ом", "е", plural, "ов", "ам", "ами", "ах")]
    return _with_yo(_both_cases(forms))


def _with_yo(forms: list[str]) -> list[str]:
    return list(dict.fromkeys([*forms, *(f.replace("ё", "е") for f in forms)]))


def _both_cases(forms: list[str]) -> list[str]:
    return list(dict.fromkeys([*forms, *(f[0].upper() + f[1:] for f in forms)]))


# Arabic: a conjunction (و، ف) and a preposition (ب، ل، ك) are written joined to the next word, and
# ل before the article ال makes لل. The matcher allows the clitics before every Arabic name
# (AR_CLITICS), so the tables give the word itself; hamza on alif is often left out (أمريكا /
# امريكا), so Arabic names are matched by their key (ar_key) with any alif.
AR_CLITICS = "(?:[وف]?[بكل]?)"
_AR_DIACRITICS = re.compile("[\u064b-\u0652\u0670\u0640]")
_AR_HAMZA_FREE = str.maketrans("أإآ", "ااا")
_AR_NISBA_ENDINGS = ("", "ة", "ون", "ين", "ان", "تان", "تين", "ات")


def ar_plain(text: str) -> str:
    """Arabic without its optional marks (vowels, shadda, tatweel), as news is written."""
    return _AR_DIACRITICS.sub("", text)


def ar_key(term: str) -> str:
    """An Arabic form as the vocabulary keys it: without marks, every alif plain."""
    return ar_plain(term).translate(_AR_HAMZA_FREE)


def ar_name(name: str) -> list[str]:
    """A name, and after the article the form ل makes of it (السعودية → لسعودية, matched in
    للسعودية with the clitic ل)."""
    name = ar_plain(name)
    return [name, "ل" + name[2:]] if name.startswith("ال") else [name]


def ar_nisba(masculine: str) -> list[str]:
    """The adjective of a country (روسي): feminine, plurals and duals, with and without the
    article, and the Egyptian spelling of a final ي as ى."""
    masculine = ar_plain(masculine)
    forms = [form for ending in _AR_NISBA_ENDINGS for word in (masculine + ending, "ال" + masculine + ending)
             for form in ar_name(word)]
    return forms + [masculine[:-1] + "ى", "ال" + masculine[:-1] + "ى"]


def ar_cue(word: str) -> list[str]:
    """A word with the clitics and spellings it is written with, for the cue lists (which are
    matched as written, not through the vocabulary's Arabic pattern)."""
    forms = [clitic + form for form in ar_name(word) for clitic in ("", "و", "ف", "ب", "ل")]
    return list(dict.fromkeys([*forms, *(f.translate(_AR_HAMZA_FREE) for f in forms)]))


def de_name(name: str) -> list[str]:
    """A German name and its genitive ("Deutschlands", "Polens"); the adjective in a name takes
    -en after an article ("der Vereinigten Staaten", "der Zentralafrikanischen Republik")."""
    forms = [name]
    first, _, rest = name.partition(" ")
    if rest and first.endswith(("e", "es")):
        forms.append(first.removesuffix("s").removesuffix("e") + "en " + rest)
    elif not rest and not name.endswith(("s", "ß", "x", "z", "e", "ei")):
        forms.append(name + "s")
    return forms


def de_adjective(stem: str) -> list[str]:
    """A German adjective with its endings ("deutsch", "deutsche", "deutschen" …)."""
    return _both_cases([stem + e for e in ("", "e", "en", "er", "es", "em")])


def de_people(singular: str) -> list[str]:
    """A German word for a national and its plural and feminine forms."""
    if singular.endswith("er"):
        forms = [singular, singular + "n", singular + "in", singular + "innen"]
    elif singular.endswith("e"):
        forms = [singular, singular + "n", singular[:-1] + "in", singular[:-1] + "innen"]
    elif singular.endswith("i"):
        forms = [singular, singular + "s"]
    else:
        forms = [singular, singular + "en"]
    return forms


_ROMANCE_ENDINGS = {
    "fr": {
        "ien": ("ienne", "iens", "iennes"), "éen": ("éenne", "éens", "éennes"),
        "ain": ("aine", "ains", "aines"), "ais": ("aise", "aises"), "ois": ("oise", "oises"),
        "an": ("ane", "ans", "anes"), "in": ("ine", "ins", "ines"), "and": ("ande", "ands", "andes"),
        "ol": ("ole", "ols", "oles"), "e": ("es",), "i": ("ie", "is", "ies"), "": ("e", "s", "es"),
    },
    "es": {
        "o": ("a", "os", "as"), "és": ("esa", "eses", "esas"), "án": ("ana", "anes", "anas"),
        "ol": ("ola", "oles", "olas"), "e": ("es",), "í": ("íes", "ís"), "a": ("as",), "": ("es",),
    },
    "pt": {
        "o": ("a", "os", "as"), "ês": ("esa", "eses", "esas"), "ão": ("ã", "ães", "ãs", "ãos"),
        "ol": ("ola", "óis", "olas"), "e": ("es",), "a": ("as",), "": ("s",),
    },
}


def romance_adjective(language: str, masculine: str) -> list[str]:
    """A French, Spanish or Portuguese adjective (or noun) of nationality in both genders and
    numbers ("iranien", "iranienne", "iraniens", "iraniennes"), lower case and capitalised."""
    for ending, others in _ROMANCE_ENDINGS[language].items():
        if masculine.endswith(ending):
            stem = masculine[: len(masculine) - len(ending)]
            return _both_cases([masculine, *(stem + other for other in others)])
    raise AssertionError("the empty ending matches every word")


def fr_name(name: str) -> list[str]:
    """A French name, also with the accent on a capital É left out ("Etats-Unis")."""
    return list(dict.fromkeys([name, name.replace("É", "E")]))
