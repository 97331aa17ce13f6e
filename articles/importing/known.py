"""Inputs imported before. A file that gave one article is fingerprinted: its bytes, the format and
choices it was imported with, and what turns bytes into an article (this package's code, the
libraries it parses with, the settings `prepare` reads). The article keeps the fingerprint
(`Article.input_hash`). Importing a file whose fingerprint a stored article holds is that article,
unchanged, known from one hash and one lookup per batch, without parsing the file again: a
re-import of an archive's folder costs reading its files, not preparing them.

Anything that could change the article changes the fingerprint: a changed byte, another format or
default, new importing code or library versions (after which the first re-import prepares every
file again, compares as before, and stores the new fingerprints). An article edited by staff
keeps its fingerprint, as it keeps its content hash: re-importing its file leaves the edit alone.
An input of several articles (a feed) is not fingerprinted; its entries are compared one by one.
"""

import functools
import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from importlib.metadata import version
from itertools import islice
from pathlib import Path

from django.conf import settings
from django.db.models import TextField, Value
from django.db.models.functions import Concat, Left

from ..models import Article
from .parsed import ImportFailed
from .report import PREVIEW_CHARACTERS, entry

# The libraries whose versions decide how a file is read and what text it gives.
PARSING_LIBRARIES = ("anyascii", "babel", "cmarkgfm", "feedparser", "lxml", "nh3", "py3langid", "PyYAML", "trafilatura")
# The modules outside this package that `prepare` uses to make an article's stored fields.
PREPARING_MODULES = ("languages.py", "readingtime.py")
LOOKUP = 500  # files looked up per query


@functools.cache
def recipe() -> bytes:
    """What turns bytes into an article, as a digest: the code and the libraries' versions."""
    digest = hashlib.blake2b(digest_size=16)
    package = Path(__file__).parent
    for path in sorted([*package.rglob("*.py"), *(package.parent / name for name in PREPARING_MODULES)]):
        digest.update(str(path.relative_to(package.parent)).encode() + b"\0" + path.read_bytes())
    for library in PARSING_LIBRARIES:
        digest.update(f"{library}=={version(library)}".encode())
    return digest.digest()


def fingerprint(data: bytes, name: str, fmt: str, choices: dict) -> bytes:
    """The fingerprint of an input of these bytes, named `name` (its suffix may decide the format),
    imported in `fmt` with the import's `choices` (pipeline.Defaults)."""
    digest = hashlib.blake2b(recipe(), digest_size=16)
    made_with = [fmt, Path(name).suffix.lower(), sorted(choices.items()),
                 settings.NEWSREADER_FREE_PARAGRAPHS, settings.NEWSREADER_DEFAULT_ACCESS]
    digest.update(repr(made_with).encode() + b"\0")
    digest.update(data)
    return digest.digest()


@dataclass
class Known:
    """An input that is a stored article unchanged; `entry` is the report's entry for it, when the
    report keeps it."""

    input: str
    slug: str
    entry: dict | None = None


class KnownInputs:
    """Sorts a stream of inputs: local files that a stored article was imported from, unchanged,
    come out marked `known` (and are prepared nowhere); the rest pass as they were."""

    def __init__(self, fmt: str, choices: dict, keep: int | None):
        self.fmt, self.choices = fmt, choices
        self.to_describe = keep  # report entries still to build (None: all of them)

    def sort_out(self, inputs: Iterable) -> Iterator:
        inputs = iter(inputs)
        while chunk := list(islice(inputs, LOOKUP)):
            yield from self.marked(chunk)

    def marked(self, chunk: list) -> Iterator:
        prints = {}
        for item in chunk:
            if item.local:
                try:
                    prints[item.name] = fingerprint(item.read(), item.name, self.fmt, self.choices)
                except (ImportFailed, OSError):  # its own import reports why
                    continue
        stored = self.stored(set(prints.values()))
        for item in chunk:
            found = stored.get(prints.get(item.name))
            yield item if found is None else replace(item, local=False, known=self.known(item.name, found))

    def stored(self, prints: set[bytes]) -> dict[bytes, dict]:
        """The stored article of each fingerprint that one holds."""
        if not prints:
            return {}
        found = Article.objects.filter(input_hash__in=prints).order_by()
        if self.to_describe == 0:
            return {bytes(row["input_hash"]): row for row in found.values("input_hash", "slug")}
        rows = found.values(
            "input_hash", "slug", "title", "author", "published_at", "published_at_is_import_time", "source__name", "stripped_chrome", "is_link",
            text=Left(Concat("free_text", Value("\n\n"), "members_text", output_field=TextField()), PREVIEW_CHARACTERS + 100),
        )
        return {bytes(row["input_hash"]): row for row in rows}

    def known(self, name: str, row: dict) -> Known:
        if self.to_describe == 0 or "title" not in row:
            return Known(name, row["slug"])
        if self.to_describe is not None:
            self.to_describe -= 1
        return Known(name, row["slug"], entry=described(name, row))


def described(name: str, row: dict) -> dict:
    """The report entry of a known input, from what is stored."""
    return entry(
        slug=row["slug"], name=name, where=name, title=row["title"], author=row["author"],
        published_at=None if row["published_at_is_import_time"] else row["published_at"],  # the input gave none
        source=row["source__name"] or "", text=row["text"].strip(), stripped_chrome=row["stripped_chrome"],
        link_only=row["is_link"], encoding="",
    )
