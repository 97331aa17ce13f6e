"""The publisher chrome that scraped text ends with: paywall prompts and comment widgets.

A scraped article often ends with its publisher's paywall ("This content is available
exclusively to Dispatch members", "Subscribe to continue reading") and comment widget
("Comments (0)", "Be the first to respond."). `split_chrome` finds that block at the end of the
text so that it stays out of the body. A paywall line in it means the source text itself was cut
at the publisher's paywall.

To recognise a new shape, add a pattern below: each matches one whole line, case-insensitively;
a named group `publisher` lets the publisher's name be inferred.
"""

import re
from dataclasses import dataclass

PAYWALL = "paywall"
COMMENTS = "comments"

_PATTERNS = [
    (PAYWALL, r"this (?:content|article|story|post|piece|newsletter|essay) is (?:available )?(?:exclusively |only )?"
              r"(?:available )?(?:to|for) (?:paid )?(?P<publisher>.+?) ?(?:paid )?(?:members|subscribers)(?: only)?"),
    (PAYWALL, r"(?:this (?:content|article|story|post|piece) is )?(?:only )?(?:for|available to) "
              r"(?:paid )?(?:subscribers|members)(?: only)?"),
    (PAYWALL, r"(?:subscribe|sign up|register)(?: now| today| for free)?(?: to (?P<publisher>.+?))? "
              r"to (?:continue|keep) reading.*"),
    (PAYWALL, r"(?:continue|keep) reading with (?:a|an) .*"),
    (PAYWALL, r"try (?:a|an) (?:free |paid )?(?:membership|subscription|trial)\b.*"),
    (PAYWALL, r"already (?:a|an) (?:paid |premium )?(?:member|subscriber)\??.*"),
    (PAYWALL, r"(?:sign|log) ?in to (?:continue|keep) reading.*"),
    (PAYWALL, r"become (?:a|an) (?:paid )?(?:member|subscriber)\b.*"),
    (PAYWALL, r"(?:you've|you have) reached your (?:limit|free article limit|monthly limit)\b.*"),
    (PAYWALL, r"upgrade to (?:paid|premium)\b.*"),
    (PAYWALL, r"get (?:full|unlimited) access\b.*"),
    (PAYWALL, r"subscribe(?: now| today)?"),
    (COMMENTS, r"comments? \(\d+\)"),
    (COMMENTS, r"\d+ (?:comments?|responses?|replies)"),
    (COMMENTS, r"(?:view|show|read|leave|post|add) (?:all )?(?:a )?comments?\b.*"),
    (COMMENTS, r"join (?P<publisher>.+?) to (?:participate|take part|join) in the (?:comments|discussion|conversation).*"),
    (COMMENTS, r"there are (?:currently )?no (?:responses|comments|replies) (?:to|on|for) this .*"),
    (COMMENTS, r"be the first to (?:respond|comment|reply)\b.*"),
    (COMMENTS, r"no (?:comments|responses|replies) yet\b.*"),
    (COMMENTS, r"(?:sign|log) ?in to (?:comment|reply|join the discussion)\b.*"),
    (COMMENTS, r"share (?:this )?(?:article|story|post)?"),
]
# DOTALL: a trailing `.*` then always reaches the end at once; without it, a character it could
# not match (a newline) made it give back a long run of `[\s.!?:]` one character at a time.
PATTERNS = [(kind, re.compile(rf"\s*{regex}[\s.!?:]*", re.IGNORECASE | re.DOTALL)) for kind, regex in _PATTERNS]

# Chrome blocks can hold a line we do not know ("Support quality journalism"); a short one with
# known chrome above it still belongs to the block.
UNKNOWN_SHORT_LINE = 100
UNKNOWN_LINES_IN_A_ROW = 2


@dataclass
class ChromeSplit:
    body: list[str]
    chrome: list[str]
    paywalled: bool
    publisher: str


def match_chrome(line: str):
    """The (kind, match) of the first pattern that matches the whole line, or None."""
    for kind, pattern in PATTERNS:
        if match := pattern.fullmatch(line):
            return kind, match
    return None


def split_chrome(lines: list[str]) -> ChromeSplit:
    """Split trailing chrome off `lines`, walking up from the end of the text."""
    cut = len(lines)
    unknown_in_a_row = 0
    found = []
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index].strip()
        if not line:
            continue
        if recognised := match_chrome(line):
            found.append(recognised)
            cut = index
            unknown_in_a_row = 0
        elif len(line) <= UNKNOWN_SHORT_LINE and unknown_in_a_row < UNKNOWN_LINES_IN_A_ROW:
            unknown_in_a_row += 1
        else:
            break
    publishers = [m.group("publisher") for _, m in found if "publisher" in m.re.groupindex and m.group("publisher")]
    return ChromeSplit(
        body=lines[:cut],
        chrome=[line.strip() for line in lines[cut:] if line.strip()],
        paywalled=any(kind == PAYWALL for kind, _ in found),
        publisher=max(publishers, key=len, default="").strip(),
    )
