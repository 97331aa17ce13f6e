"""The import pipeline: inputs → read → detect format → parse → store, one report for the batch.

Every input is handled on its own: one that fails is reported with a reason and the rest of the
batch goes on; every article is stored whole in its own transaction or not at all.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError

from . import formats
from .parsed import ImportFailed
from .store import outcome_of, prepare, store, unique_slug

# A file that is not UTF-8 is read as Windows-1252, the legacy encoding scraped text most often
# comes in; every byte decodes, so a wrong guess shows as odd characters, never as a crash.
FALLBACK_ENCODING = "cp1252"


@dataclass
class ImportReport:
    created: list[dict] = field(default_factory=list)
    updated: list[dict] = field(default_factory=list)
    unchanged: list[dict] = field(default_factory=list)
    failed: list[dict] = field(default_factory=list)

    def add(self, status: str, **entry):
        getattr(self, status).append(entry)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged, "failed": self.failed}

    @property
    def ok(self) -> bool:
        return not self.failed


def expand(inputs: Iterable[str]) -> list[Path]:
    """Files named, and every file below folders named (recursively, in name order)."""
    paths = []
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            paths.extend(sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")))
        else:
            paths.append(path)
    return paths


def read_text(path: Path) -> str:
    if not path.exists():
        raise ImportFailed("there is no such file or folder")
    size = path.stat().st_size
    if size > settings.NEWSREADER_IMPORT_MAX_BYTES:
        raise ImportFailed(
            f"the file is {size:,} bytes, over the limit of {settings.NEWSREADER_IMPORT_MAX_BYTES:,} "
            "(NEWSREADER_IMPORT_MAX_BYTES)"
        )
    return decode(path.read_bytes())


def decode(data: bytes) -> str:
    if b"\x00" in data:
        raise ImportFailed("it is a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode(FALLBACK_ENCODING, errors="replace")


def import_content(name: str, content: str, report: ImportReport, *, fmt: str = "auto", dry_run: bool = False):
    """Parse one input's content and store each article in it, recording every outcome."""
    try:
        chosen = formats.detect(name, content) if fmt == "auto" else fmt
        parsed_articles = formats.FORMATS[chosen](content)
    except ImportFailed as error:
        report.add("failed", input=name, error=f"{name}: {error}")
        return
    for number, parsed in enumerate(parsed_articles, start=1):
        where = name if len(parsed_articles) == 1 else f"{name} (entry {number})"
        try:
            prepared = prepare(parsed)
            status, article = outcome_of(prepared) if dry_run else store(prepared)
        except ImportFailed as error:
            report.add("failed", input=name, error=f"{where}: {error}")
        except DatabaseError as error:
            report.add("failed", input=name, error=f"{where}: the database refused it ({error})")
        else:
            slug = article.slug if article else unique_slug(prepared.fields["title"])
            report.add(status, slug=slug, input=name, title=prepared.fields["title"])


def import_inputs(
    inputs: Iterable[str],
    *,
    fmt: str = "auto",
    dry_run: bool = False,
    progress: Callable[[Iterable[Path]], Iterator[Path]] = iter,
) -> ImportReport:
    report = ImportReport()
    for path in progress(expand(inputs)):
        try:
            content = read_text(path)
        except (ImportFailed, OSError) as error:
            report.add("failed", input=str(path), error=f"{path}: {error}")
            continue
        import_content(str(path), content, report, fmt=fmt, dry_run=dry_run)
    return report

