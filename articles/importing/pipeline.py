"""The import pipeline: inputs → read → detect format → parse → sanitise → store, one report.

Inputs are files, folders (recursively), URLs, uploads, and `.zip` archives of any of these.
Every input is handled on its own: one that fails is reported with a reason and the rest of the
batch goes on. Inputs stream through: `outcomes` reads, parses and prepares one at a time (many
files: in worker processes, see parallel.py), and its articles go to a `BatchStore`, which writes
them a batch at a time.
"""

import dataclasses
import functools
import io
import logging
import os
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.text import Truncator

from ..geo.vocabulary import vocabulary
from ..languages import detector
from ..models import Outcome
from . import formats, parallel
from .decoding import decode
from .fetch import Deadline, Fetched, fetch, is_url
from .known import Known, KnownInputs, fingerprint
from .parsed import ImportFailed, InputWarning, ParsedArticle
from .prepare import prepare
from .report import ImportReport, entry
from .store import BatchStore, Pending

logger = logging.getLogger(__name__)


def warm() -> None:
    """What every process preparing articles needs, loaded once before the workers fork."""
    vocabulary()
    detector()


@dataclass
class Input:
    """One thing to import: `read()` gives its bytes (or, fetched, the server's answer) or raises
    ImportFailed."""

    name: str  # how the report names it: a path, a URL, an upload, "archive.zip/member.md"
    read: Callable[[], bytes | Fetched]
    url: str = ""  # where it was fetched from, for a page that names no canonical URL
    local: bool = False  # a file read by path (`read` pickles): it may be prepared in a worker process
    known: Known | None = None  # the stored article it gave, unchanged (known.py): not read again


@dataclass
class Defaults:
    """What to apply to articles whose input does not say (the admin form's choices, a feed source's)."""

    access: str | None = None
    source_name: str = ""
    override_source: bool = False  # a feed source's own source wins over what the feed calls itself
    link_articles: bool = True  # a feed entry without text becomes a link article (else it fails)
    title_untitled: bool = True  # an untitled feed entry is titled by its first words (else it fails)

    def as_choices(self) -> dict:
        """Every choice, for an input's fingerprint (known.py)."""
        return dataclasses.asdict(self)

    def as_options(self) -> dict:
        """As an import run records them (ImportRun.options), for a worker to read back."""
        return {"access": self.access or "", "source": self.source_name}

    @classmethod
    def from_options(cls, options: dict) -> "Defaults":
        return cls(access=options.get("access") or None, source_name=options.get("source", ""))


def is_archive(name: str) -> bool:
    return name.lower().endswith(".zip")


def over_limit(size: int, *, archive: bool = False) -> ImportFailed | None:
    """The error for a file (or, with a limit of its own, an archive) over its size limit."""
    limit = settings.NEWSREADER_IMPORT_MAX_ARCHIVE_BYTES if archive else settings.NEWSREADER_IMPORT_MAX_BYTES
    if size > limit:
        setting = "NEWSREADER_IMPORT_MAX_ARCHIVE_BYTES" if archive else "NEWSREADER_IMPORT_MAX_BYTES"
        return ImportFailed(f"the file is {size:,} bytes, over the limit of {limit:,} ({setting})")
    return None


def read_path(path: Path) -> bytes:
    if not path.exists():
        raise ImportFailed("there is no such file or folder")
    if error := over_limit(path.stat().st_size, archive=is_archive(path.name)):
        raise error
    return path.read_bytes()


def read_url(url: str, deadline: Deadline | None = None) -> Fetched:
    return fetch(url, deadline=deadline)


def files_below(folder: Path) -> Iterator[tuple[Path, OSError | None]]:
    """Every file below `folder` except hidden ones, in path order, one folder listed at a time
    (`scandir` tells files from folders without a `stat` of each), each with None; a folder that
    cannot be listed comes with its error instead. A folder met again (a symbolic link to a parent
    loops) is listed once; the walk keeps its own stack, so no depth of folders is too deep."""
    seen: set[tuple[int, int]] = set()
    stack: list[tuple[Path, bool]] = [(folder, True)]
    while stack:
        path, is_folder = stack.pop()
        if not is_folder:
            yield path, None
            continue
        try:
            info = path.stat()
            identity = (info.st_dev, info.st_ino)
            if identity in seen:
                continue
            seen.add(identity)
            with os.scandir(path) as listing:
                children = sorted(listing, key=lambda entry: entry.name)
            found = [(Path(child.path), child.is_dir()) for child in children
                     if child.is_dir() or (child.is_file() and not child.name.startswith("."))]
        except OSError as error:
            yield path, error
            continue
        stack.extend(reversed(found))


def unreadable(error: OSError) -> bytes:
    raise error


def inputs_from_names(names: Iterable[str], deadline: Deadline | None = None) -> Iterator[Input]:
    """Files named, every file below folders named (recursively, in name order), and URLs (each
    fetched by `deadline` too, when given); made as they are read, so that a folder of any size
    costs constant memory."""
    for name in names:
        if is_url(name):
            yield Input(name=name, read=lambda url=name: read_url(url, deadline), url=name)
            continue
        path = Path(name)
        for p, error in files_below(path) if path.is_dir() else [(path, None)]:
            if error is None:
                yield Input(name=str(p), read=functools.partial(read_path, p), local=True)
            else:
                yield Input(name=str(p), read=functools.partial(unreadable, error))


def inputs_from_uploads(uploads) -> list[Input]:
    """Files uploaded to the admin import page (Django's UploadedFile objects)."""
    return [Input(name=upload.name, read=lambda upload=upload: read_upload(upload)) for upload in uploads]


def read_upload(upload) -> bytes:
    if error := over_limit(upload.size, archive=is_archive(upload.name)):
        raise error
    upload.seek(0)
    return upload.read()


def archive_members(archive: Input, data: bytes) -> Iterator[Input | tuple[str, ImportFailed]]:
    """The files in a zip archive, each an input of its own (folders and hidden files skipped)."""
    try:
        opened = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        yield archive.name, ImportFailed("it is not a readable zip archive")
        return
    with opened:
        for member in sorted(opened.infolist(), key=lambda m: m.filename):
            parts = PurePosixPath(member.filename).parts
            if member.is_dir() or any(part.startswith((".", "__MACOSX")) for part in parts):
                continue
            name = f"{archive.name}/{member.filename}"
            if is_archive(member.filename):
                yield name, ImportFailed("an archive inside an archive is not imported; unpack it first")
            elif error := over_limit(member.file_size):
                yield name, error
            else:
                yield Input(name=name, read=lambda member=member: read_member(opened, member))


def read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bytes:
    limit = settings.NEWSREADER_IMPORT_MAX_BYTES
    try:
        with archive.open(member) as stream:
            data = stream.read(limit + 1)  # the size the archive declares may lie
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as error:
        raise ImportFailed(f"it cannot be unpacked ({error})") from None
    if error := over_limit(len(data)):
        raise error
    return data


def format_name(item: Input) -> str:
    """The name detection looks at: a URL's path, else the input's own name."""
    return urlsplit(item.name).path if item.url else item.name


def described(pending: Pending, slug: str) -> dict:
    """The report entry of a prepared article."""
    fields = pending.prepared.fields
    return entry(
        slug=slug, name=pending.input, where=pending.where, title=fields["title"], author=fields["author"],
        published_at=fields.get("published_at"), source=pending.prepared.source_name,
        text="\n\n".join(filter(None, [fields["free_text"], fields["members_text"]])),
        stripped_chrome=fields["stripped_chrome"], link_only=fields["is_link"], encoding=pending.encoding,
    )


def failure_reason(error: Exception) -> str:
    """Why an input failed, for a person: our own sentence, else what a parser or a reader raised.
    Any exception is one input's failure, never the end of the run (a parser meets input it was
    never meant to see: `[` × 100,000 is a RecursionError in json, a year 99999 a ValueError)."""
    if isinstance(error, ImportFailed):
        return str(error)
    if isinstance(error, RecursionError):
        return "it is nested too deeply to read"
    if isinstance(error, OSError):
        return f"it cannot be read ({error.strerror or error})"
    logger.warning("an import input failed unexpectedly", exc_info=error)
    return f"it cannot be read ({Truncator(f'{type(error).__name__}: {error}').chars(200)})"


@dataclass
class Failed:
    """An input, or one entry of it, that cannot be imported, and why."""

    input: str
    error: str


@dataclass
class Warned:
    """What a person should know about an input that was read all the same."""

    input: str
    warning: str  # "where: what"
    partial: bool = False  # some of the input may not have been read


def outcomes(item: Input, fmt: str, defaults: Defaults, *, in_archive: bool = False) -> Iterator[Pending | Failed | Warned]:
    """What one input holds: each of its articles prepared, or why it (or an entry) fails, and
    what a person should know about how it was read."""
    try:
        data, charset = item.read(), None
        if isinstance(data, Fetched):
            data, charset = data.content, data.charset
        if not in_archive and is_archive(item.name) and not item.url:
            for member in archive_members(item, data):
                if isinstance(member, Input):
                    yield from outcomes(member, fmt, defaults, in_archive=True)
                else:
                    yield Failed(member[0], f"{member[0]}: {member[1]}")
            return
        decoded = decode(data, http_charset=charset)
        if not decoded.text.strip():
            raise ImportFailed("the file is empty")
        chosen = formats.detect(format_name(item), decoded.text) if fmt == "auto" else fmt
        found = formats.parse(chosen, decoded, base_url=item.url)
    except Exception as error:
        yield Failed(item.name, f"{item.name}: {failure_reason(error)}")
        return
    warnings = [*(InputWarning(one, partial=not decoded.whole) for one in decoded.warnings),
                *(one for one in found if isinstance(one, InputWarning))]
    for warning in warnings:
        yield Warned(item.name, f"{item.name}: {warning.message}", partial=warning.partial)
    found = [one for one in found if not isinstance(one, InputWarning)]
    for number, parsed in enumerate(found, start=1):
        outcome = article_outcome(item, parsed, number if len(found) > 1 else None, defaults, decoded.described)
        if len(found) == 1 and not item.url and isinstance(outcome, Pending):
            outcome.prepared.fields["input_hash"] = fingerprint(data, item.name, fmt, defaults.as_choices())
        yield outcome


def article_outcome(item: Input, parsed: ParsedArticle | ImportFailed, number: int | None,
                    defaults: Defaults, encoding: str = "") -> Pending | Failed:
    where = item.name if number is None else f"{item.name} (entry {number})"
    if isinstance(parsed, ImportFailed):
        return Failed(item.name, f"{where}: {parsed}")
    if parsed.is_link and not defaults.link_articles:
        return Failed(item.name, f"{where}: “{parsed.title}” has no text (link articles are turned off for this feed)")
    if parsed.title_from_text and not defaults.title_untitled:
        return Failed(item.name, f"{where}: it has no title (titling untitled entries is turned off for this feed)")
    if item.url and (parsed.source_url or number is None):
        # A link relative to where the input was fetched from; a page that gives none links there.
        parsed.source_url = urljoin(item.url, parsed.source_url)
    if defaults.source_name and (defaults.override_source or not parsed.source_name):
        parsed.source_name = defaults.source_name
    if parsed.access is None and parsed.free_blocks is None:  # a members-only break says "members"
        parsed.access = defaults.access
    try:
        return Pending(input=item.name, where=where, prepared=prepare(parsed), encoding=encoding)
    except Exception as error:
        return Failed(item.name, f"{where}: {failure_reason(error)}")


def prepared_in_worker(items: list[Input], fmt: str, defaults: Defaults) -> list[Pending | Failed]:
    """`outcomes` of a chunk of files, in a worker process: tagged and given their story features
    there too, so that the process writing them has less to do."""
    found = [outcome for item in items for outcome in outcomes(item, fmt, defaults)]
    for outcome in found:
        if isinstance(outcome, Pending):
            outcome.prepared.story_features  # noqa: B018  (worked out now with its tags, sent back with the fields)
    return found


class Importer:
    """One run of the pipeline over many inputs, filling one report.

    With a `deadline` (an import inside a web request), no input is started once it has passed:
    those left are in `left`, in order, for the caller to hand on. An input already started is
    finished (a URL's fetch is held to the deadline by its own reader).
    """

    def __init__(self, *, fmt: str = "auto", dry_run: bool = False, defaults: Defaults | None = None,
                 keep: int | None = None, deadline: Deadline | None = None):
        self.fmt, self.dry_run, self.defaults = fmt, dry_run, defaults or Defaults()
        self.deadline, self.left = deadline, []
        self.report = ImportReport(keep=keep)
        self.store = BatchStore(self.stored, self.failed_entry, dry_run=dry_run)

    def stored(self, status: str, pending: Pending, slug: str) -> None:
        if self.report.keeps(status):
            self.report.add(status, **described(pending, slug))
        else:
            self.report.count(status)
        for warning in pending.prepared.warnings:
            self.report.warn(Warned(pending.input, f"{pending.where}: {warning}"))

    def failed_entry(self, pending: Pending, error: ImportFailed) -> None:
        self.report.add(Outcome.FAILED, input=pending.input, error=f"{pending.where}: {error}")

    def run(self, inputs: Iterable[Input]) -> ImportReport:
        if self.deadline is not None:
            found = self.in_time(inputs)
        else:
            known = KnownInputs(self.fmt, self.defaults.as_choices(), self.report.keep)
            found = parallel.in_order(
                known.sort_out(inputs), self.here,
                functools.partial(prepared_in_worker, fmt=self.fmt, defaults=self.defaults), warm=warm,
            )
        for outcome in found:
            if isinstance(outcome, Known) and outcome.entry:
                self.report.add(Outcome.UNCHANGED, **outcome.entry)
            elif isinstance(outcome, Known):
                self.report.count(Outcome.UNCHANGED)
            elif isinstance(outcome, Failed):
                self.report.add(Outcome.FAILED, input=outcome.input, error=outcome.error)
            elif isinstance(outcome, Warned):
                self.report.warn(outcome)
            else:
                self.store.add(outcome)
        self.store.flush()
        return self.report

    def here(self, item: Input) -> Iterable[Known | Pending | Failed | Warned]:
        """What an input holds, prepared in this process; a known one is its stored article."""
        return [item.known] if item.known else outcomes(item, self.fmt, self.defaults)

    def in_time(self, inputs: Iterable[Input]) -> Iterator[Pending | Failed]:
        """The outcomes of each input started before the deadline, here, one at a time."""
        inputs = iter(inputs)
        for item in inputs:
            if not self.deadline.left():
                self.left = [item, *inputs]
                return
            yield from outcomes(item, self.fmt, self.defaults)


def import_inputs(
    names: Iterable[str],
    *,
    fmt: str = "auto",
    dry_run: bool = False,
    defaults: Defaults | None = None,
    keep: int | None = None,
    progress: Callable[[Iterable[Input]], Iterator[Input]] = iter,
) -> ImportReport:
    """Import files, folders and URLs by name (what `manage.py import_articles` takes); the report
    keeps `keep` entries of each outcome, every one by default."""
    return Importer(fmt=fmt, dry_run=dry_run, defaults=defaults, keep=keep).run(progress(inputs_from_names(names)))
