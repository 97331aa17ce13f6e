"""The import formats. Each module has `parse(text: str) -> list[ParsedArticle]`.

Adding a format is one module here and one line in FORMATS (and EXTENSIONS when it has its own).
"""

from pathlib import PurePath

from ..parsed import ImportFailed
from . import markdown, text

FORMATS = {
    "text": text.parse,
    "markdown": markdown.parse,
}
EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
}


def detect(name: str, content: str) -> str:
    """The format of an input, from its file name, else from its content."""
    suffix = PurePath(name).suffix.lower()
    if suffix in EXTENSIONS:
        return EXTENSIONS[suffix]
    if suffix:
        raise ImportFailed(f"the file type {suffix!r} is not one we import (supported: {', '.join(sorted(EXTENSIONS))})")
    return "text"
