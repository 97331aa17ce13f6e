"""A seed-shaped corpus for the benchmarks: files shaped like `seeds/000_*.txt` (a title line, four
paragraphs, the publisher's paywall and comment chrome), deterministic for a given N.

Every article mentions a few countries (for country and relation pages) and the word
"government" (the common search word); one in a thousand mentions "zorbulon" (the rare one).
Files go 10,000 to a folder, so the first folder alone is the 10k corpus of the memory check.
"""

import random
from pathlib import Path

PER_FOLDER = 10_000
COMMON_WORD = "government"
RARE_WORD = "zorbulon"
PUBLISHERS = ["Dispatch", "Ledger", "Courier", "Observer"]
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


def article_text(number: int) -> str:
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


def generate(folder: Path, count: int, text=article_text) -> Path:
    """Write `count` articles under `folder` (skipped when already there), each `text(number)`;
    returns the folder."""
    marker = folder / ".complete"
    if marker.exists() and marker.read_text() == str(count):
        return folder
    for number in range(count):
        sub = folder / f"{number // PER_FOLDER:03d}"
        if number % PER_FOLDER == 0:
            sub.mkdir(parents=True, exist_ok=True)
        (sub / f"{number:07d}.txt").write_text(text(number))
    marker.write_text(str(count))
    return folder


def title_and_body(path: Path) -> tuple[str, str]:
    """The raw title and body of a corpus file, as a plain COPY would load them."""
    title, _, body = path.read_text().partition("\n")
    return title, body.strip()
