"""Reading time, worked out once when an article is stored (never per request)."""

import math

WORDS_PER_MINUTE = 230  # an adult's silent reading speed for non-fiction prose


def reading_minutes(*texts: str) -> int:
    """Whole minutes to read the texts, at least one."""
    words = sum(len(text.split()) for text in texts)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))
