"""What an import run reports: each input's outcome, counted, and the warnings beside them."""

from dataclasses import dataclass, field

from django.utils.text import Truncator

from ..models import Outcome
from .prepare import storable

PREVIEW_CHARACTERS = 300  # of an entry's text, for a person to check what was imported


def entry(*, slug: str, name: str, where: str, title: str, author: str, published_at, source: str, text: str,
          stripped_chrome: bool, link_only: bool, encoding: str) -> dict:
    """A report entry: what a person checks before and after an import (the same keys whether the
    article was prepared from its input or found stored, unchanged)."""
    return {
        "slug": slug, "input": name, "title": title, "where": where, "author": author,
        "published_at": published_at.isoformat() if published_at else None, "source": source,
        "preview": Truncator(text).chars(PREVIEW_CHARACTERS), "stripped_chrome": stripped_chrome,
        "link_only": link_only, "encoding": encoding,
    }


@dataclass
class ImportReport:
    """Every outcome of a run, counted; the entries of each beyond `keep` are counted and not kept
    (failures are all kept), so that memory stays flat however large the import. `keep=None`
    keeps every entry (`import_articles --json` lists them all)."""

    keep: int | None = None
    created: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)
    # What a person should know about inputs that were imported all the same (the first `keep`).
    warnings: list[dict] = field(default_factory=list)
    totals: dict = field(default_factory=lambda: dict.fromkeys(Outcome, 0))
    warning_count: int = 0
    # Inputs with a warning about the whole of them (a feed's XML error): some entries may be missing.
    partly_read: int = 0

    def keeps(self, status: str) -> bool:
        """Whether the next entry of this outcome is kept (else only counted)."""
        return status == Outcome.FAILED or self.keep is None or len(getattr(self, status)) < self.keep

    def add(self, status: str, **entry):
        if self.keeps(status):
            # A file name that is not UTF-8 (a surrogate escape) could not be stored or printed.
            getattr(self, status).append({key: storable(value) if isinstance(value, str) else value
                                          for key, value in entry.items()})
        self.count(status)

    def count(self, status: str):
        self.totals[status] += 1

    def warn(self, warned) -> None:  # a pipeline.Warned
        if self.keep is None or len(self.warnings) < self.keep:
            self.warnings.append({"input": storable(warned.input), "warning": storable(warned.warning)})
        self.warning_count += 1
        self.partly_read += warned.partial

    def as_dict(self) -> dict:
        return {**{outcome: getattr(self, outcome) for outcome in Outcome}, "warnings": self.warnings}

    def counts(self) -> dict:
        return dict(self.totals)

    @property
    def ok(self) -> bool:
        return not self.failed
