"""The benchmarks' corpus, deterministic for a given N: Markdown files with front matter (title,
publisher, date) and four paragraphs, like an archive of a dozen outlets over the years.

Articles come ARTICLES_PER_DAY a day. They are written in blocks of BLOCK: the first few of a
block (1 to 5, most often 1) are one event reported by as many outlets within a day and a half of
each other, each in its own words around the same facts (a named envoy, a city, a figure, the
two countries); the rest of the block are single-outlet reports of events of their own. So about
40% of the articles belong to stories of two or more outlets, and every outlet also publishes
templated reports of different events between the same countries: the distractors grouping has to
keep apart (docs/stories.md).

Every article mentions a few countries (for country and relation pages) and the word
"government" (the common search word); one in a thousand mentions "zorbulon" (the rare one).
Files go 10,000 to a folder, so the first folder alone is the 10k corpus of the memory check.
`plain_text` is the older seed-shaped text (title line, paragraphs, the publisher's paywall
chrome, no date), kept for the mixed-language corpus (languages.py).
"""

import datetime as dt
import itertools
import random
from pathlib import Path

PER_FOLDER = 10_000
COMMON_WORD = "government"
RARE_WORD = "zorbulon"
PUBLISHERS = ["Dispatch", "Ledger", "Courier", "Observer", "Herald", "Sentinel", "Tribune", "Gazette", "Monitor",
              "Chronicle", "Review", "Bulletin"]
ARTICLES_PER_DAY = 100
BLOCK = 5
STORY_SIZES = [1, 1, 1, 1, 2, 2, 3, 3, 4, 5]  # outlets reporting a block's event
LAST_DAY = dt.datetime(2026, 11, 30, 18, 0, tzinfo=dt.UTC)  # the newest article's day, whatever N
SYLLABLES = ["ka", "lo", "mir", "ven", "sa", "tor", "bel", "an", "dru", "nes", "vik", "or", "lam", "zet", "ru", "pol"]
TOPIC_KINDS = ["grain", "border", "pipeline", "naval", "prisoner", "debt", "election", "port", "sanctions", "power grid",
               "fisheries", "airspace", "refugee", "mining", "railway", "water", "vaccine", "satellite"]
TOPIC_THINGS = ["corridor", "commission", "consortium", "exchange", "accord", "concession", "package", "link",
                "moratorium", "framework"]
STORY_HEADLINES = ["{a} and {b} Agree on {topic} After Talks in {city}", "{person} Brokers {topic} Deal in {city}",
                   "In {city}, {a} and {b} Settle {topic} Dispute", "{b} Accepts {a}'s Terms on {topic}",
                   "{topic} Talks in {city} End With Deal Worth {figure}", "{person} Says {topic} Deal Is Final",
                   "{a}-{b} {topic} Signed in {city}", "Breakthrough in {city}: {topic} Agreed",
                   "{b} Wins Concessions From {a} in {city}", "{figure} Deal: What {a} Gave {b}",
                   "{person} Returns From {city} With {topic}", "Envoys Seal {topic} in {city}"]
STORY_SENTENCES = ["Envoys of {a} and {b} signed the {topic} agreement in {city} on {weekday}.",
                   "{person}, who led the talks for {a}, said the deal was worth {figure} dollars.",
                   "The agreement covers {figure} dollars of commitments over five years, according to {person}.",
                   "Officials in {b} confirmed the {topic} terms after the meeting in {city}.",
                   "{person} told reporters in {city} that {b} had accepted the schedule.",
                   "The talks in {city} had been suspended twice before the {topic} deal."]
COUNTRIES = [
    "Russia", "China", "Ukraine", "Germany", "France", "India", "Japan", "Brazil", "Turkey", "Iran",
    "Israel", "Egypt", "Nigeria", "Mexico", "Canada", "Poland", "Taiwan", "Pakistan", "Indonesia",
    "Australia", "Argentina", "Kenya", "Ethiopia", "Vietnam", "Saudi Arabia", "South Korea",
]
SUBJECTS = ["The foreign minister", "A senior diplomat", "The defence ministry", "Parliament", "The central bank",
            "Opposition leaders", "Trade negotiators", "A spokesperson", "Analysts in the capital", "The cabinet"]
VERBS = ["warned that", "argued that", "insisted that", "conceded that", "announced that", "suggested that",
         "denied that", "signalled that", "reported that", "claimed that"]
CLAUSES = ["sanctions would be widened before the summer", "the pipeline deal could not survive the winter",
           "talks on the border dispute had stalled again", "grain exports would resume under new guarantees",
           "the alliance needed a common position on energy", "inflation was eroding support for the reforms",
           "naval exercises near the strait were routine", "the election timetable would not change",
           "a new currency arrangement was being studied", "the ceasefire was holding in most districts",
           "investment in ports and railways would double", "the treaty required ratification by autumn"]
HEADLINE = ["Why {a} and {b} Are Working So Closely", "{a} Courts {b} as Talks Stall",
            "What {a}'s Turn Means for {b}", "The Quiet Rivalry Between {a} and {b}",
            "{a} Bets on {b} for Energy", "How {b} Reads {a}'s New Strategy"]
CHROME = """This content is available exclusively to {p} members
Try a membership for full access to every newsletter and all of The {p}. Support quality, fact-based journalism.
Already a paid member? Sign In
Comments (0)
Join The {p} to participate in the comments.

There are currently no responses to this article.
Be the first to respond."""


def sentence(rng: random.Random, country: str) -> str:
    return f"{rng.choice(SUBJECTS)} in {country} {rng.choice(VERBS)} {rng.choice(CLAUSES)}."


def plain_text(number: int) -> str:
    """The older seed-shaped article: a title line, four paragraphs and the publisher's chrome."""
    rng = random.Random(number)
    a, b, *others = rng.sample(COUNTRIES, 4)
    title = f"{rng.choice(HEADLINE).format(a=a, b=b)} (No. {number})"
    paragraphs = []
    for index in range(4):
        sentences = [sentence(rng, rng.choice([a, b, *others])) for _ in range(6)]
        if index == 0:
            sentences[0] = f"The {COMMON_WORD} in {a} met envoys from {b} on Tuesday."
        if index == 2 and number % 1000 == 7:
            sentences[1] = f"The {RARE_WORD} agreement surprised observers in {a}."
        paragraphs.append(" ".join(sentences) + " ")
    publisher = PUBLISHERS[number % len(PUBLISHERS)]
    return "\n\n".join([title, *paragraphs, CHROME.format(p=publisher)])


# Prose: words of a made-up lexicon drawn by Zipf's law, as a language's words are, so that two
# reports of different events share their common words and little else (as real ones do).
LEXICON = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in ("", "a", "en", "is", "o", "um")]
random.Random(0).shuffle(LEXICON)
ZIPF = list(itertools.accumulate(1 / rank for rank in range(1, len(LEXICON) + 1)))


def prose(rng: random.Random, words: int) -> str:
    return " ".join(rng.choices(LEXICON, cum_weights=ZIPF, k=words)).capitalize() + "."


def event(block: int, rng: random.Random) -> dict:
    a, b, *others = rng.sample(COUNTRIES, 4)
    def name() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(3)).title()

    # Made-up names, so that a person or a city belongs to few events, as real ones mostly do.
    return {"a": a, "b": b, "others": others, "person": f"{name()} {name()}", "city": name(),
            "topic": f"{rng.choice(TOPIC_KINDS)} {rng.choice(TOPIC_THINGS)}".title(), "figure": f"{rng.randint(2, 980)},{rng.randint(100, 999)},000",
            "weekday": rng.choice(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]), "block": block}


def story_text(number: int, count: int, last_day: dt.datetime = LAST_DAY) -> str:
    """Article `number` of a corpus of `count`: Markdown with its title, publisher and date."""
    block, slot = divmod(number, BLOCK)
    size = random.Random(f"size {block}").choice(STORY_SIZES)
    # The block's event for its first `size` articles (each from another outlet), else one of its own.
    facts = event(block, random.Random(f"event {block}" if slot < size else f"own {number}"))
    rng = random.Random(number)
    publisher = PUBLISHERS[(block + slot * 5) % len(PUBLISHERS)]
    published = last_day - dt.timedelta(days=(count - number) / ARTICLES_PER_DAY)
    if slot < size:
        published += dt.timedelta(hours=rng.uniform(0, 36))
    a, b = facts["a"], facts["b"]
    title = f"{rng.choice(STORY_HEADLINES).format(**facts)} (No. {number})"
    paragraphs = []
    for index in range(4):
        sentences = [rng.choice(STORY_SENTENCES).format(**facts) if rng.random() < 0.4
                     else sentence(rng, rng.choice([a, b, *facts["others"]])) if rng.random() < 0.3
                     else prose(rng, rng.randint(8, 20)) for _ in range(6)]
        if index == 0:
            sentences[0] = f"The {COMMON_WORD} in {a} met envoys from {b} on {facts['weekday']}."
        if index == 2 and number % 1000 == 7:
            sentences[1] = f"The {RARE_WORD} agreement surprised observers in {a}."
        paragraphs.append(" ".join(sentences))
    front = f"---\ntitle: \"{title}\"\nsource: The {publisher}\npublished: {published.isoformat(timespec='minutes')}\n---\n"
    return front + "\n\n".join(paragraphs) + "\n"


def back_catalogue(archive: int):
    """The text of an older archive than a corpus of `archive` articles: numbered on from it (its
    own events, titles and texts), dated in the years before its oldest article."""
    oldest = LAST_DAY - dt.timedelta(days=archive / ARTICLES_PER_DAY)

    def text(number: int, count: int) -> str:
        return story_text(archive + number, archive + count, last_day=oldest)

    return text


def generate(folder: Path, count: int, text=story_text, suffix: str = ".md") -> Path:
    """Write `count` articles under `folder` (skipped when already there), each `text(number, count)`;
    returns the folder."""
    marker = folder / ".complete"
    if marker.exists() and marker.read_text() == str(count):
        return folder
    for number in range(count):
        sub = folder / f"{number // PER_FOLDER:03d}"
        if number % PER_FOLDER == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{number:07d}{suffix}").write_text(text(number, count))
    marker.write_text(str(count))
    return folder


def title_and_body(path: Path) -> tuple[str, str]:
    """The raw title and body of a corpus file (either shape), as a plain COPY would load them."""
    content = path.read_text()
    if content.startswith("---\n"):
        front, _, body = content[4:].partition("\n---\n")
        title = next(line for line in front.splitlines() if line.startswith("title: "))[7:].strip('"')
        return title, body.strip()
    title, _, body = content.partition("\n")
    return title, body.strip()
