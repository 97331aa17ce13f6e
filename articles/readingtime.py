"""Reading time, worked out once when an article is stored (never per request)."""

import math
import re

from .models.search import UNSPACED_LETTERS

WORDS_PER_MINUTE = 230  # an adult's silent reading speed for non-fiction prose
# Chinese and Japanese have no spaces to count words by: their letters are counted instead, at the
# rate readers of them read (~260 words a minute in Chinese, about one and a half letters a word).
LETTERS_PER_MINUTE = 400
_UNSPACED = re.compile(f"[{UNSPACED_LETTERS}]")


def reading_minutes(*texts: str) -> int:
    """Whole minutes to read the texts, at least one."""
    letters = sum(len(_UNSPACED.findall(text)) for text in texts)
    words = sum(len(_UNSPACED.sub("", text).split()) for text in texts)
    return max(1, math.ceil(words / WORDS_PER_MINUTE + letters / LETTERS_PER_MINUTE))
