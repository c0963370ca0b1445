"""Ingesting a corpus: walk files and folders, read, extract and store each document (here, or
on a Dask cluster through `frontlines.scale`); a file that fails is reported, the batch goes on."""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import ConfigError, FrontlinesError, InputError
from .store import Store, StoreError

if TYPE_CHECKING:
    from .store.documents import DocumentRecord

T = TypeVar("T")
ENGINES = ("local", "dask")

TABLE_SUFFIX = ".csv"
# Columns that make a CSV an initial-state table: the controller of places before any change.
STATE_COLUMNS = frozenset({"place", "controller"})


def document_suffixes() -> frozenset[str]:
    """What a folder walk picks up: every reader's extensions, and CSV (ACLED, initial state)."""
    from .ingest import EXTENSIONS

    return frozenset(EXTENSIONS) | {TABLE_SUFFIX}


def walk(paths: Iterable[str | os.PathLike]) -> list[Path]:
    """The files to ingest: named files as given, folders recursively (documents only, hidden
    files and folders skipped), in a stable order, each once."""
    suffixes = document_suffixes()
    found: dict[Path, None] = {}
    for item in paths:
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                hidden = any(part.startswith(".") for part in child.relative_to(path).parts)
                if child.is_file() and not hidden and child.suffix.lower() in suffixes:
                    found.setdefault(child, None)
        else:
            found.setdefault(path, None)
    return list(found)


@dataclass(frozen=True, slots=True)
class Options:
    """How documents are read and extracted: the same in this process and on every worker."""

    published: date | None = None
    profile: str = "syria"
    reader: str | None = None
    # Force `published` on every document, even one that carries its own date.
    published_override: bool = False
    # Per-file dates (`--dates FILE.csv`): path -> publication date.
    dates: Mapping[str, date] = field(default_factory=dict)
    # Seconds one document may take to read and extract (0: no limit); see frontlines.budget.
    timeout: float = 0.0
    force: bool = False  # re-process documents stored already, replacing their rows


@dataclass(frozen=True, slots=True)
class Failure:
    """A file that could not be ingested, and the one line that says why."""

    message: str


# What became of one file: the store's result (stored, or skipped as stored already), or why not.
Outcome = dict[str, Any] | Failure


@dataclass(slots=True)
class Summary:
    """What an ingest did, for its closing line."""

    read: int = 0
    stored: int = 0
    replaced: int = 0
    skipped: int = 0
    failed: int = 0
    new_events: int = 0
    merged_events: int = 0
    new_changes: int = 0
    merged_changes: int = 0

    def add(self, result: dict[str, Any]) -> None:
        if result.get("skipped"):
            self.skipped += 1
            return
        self.stored += 1
        self.replaced += bool(result.get("replaced"))
        for key in ("new_events", "merged_events", "new_changes", "merged_changes"):
            setattr(self, key, getattr(self, key) + result.get(key, 0))

    def record(self, outcome: Outcome, report: Callable[[str], None]) -> None:
        """Count one file's outcome; a failure is reported."""
        self.read += 1
        if isinstance(outcome, Failure):
            self.failed += 1
            report(outcome.message)
        else:
            self.add(outcome)
            if outcome.get("warning"):
                report(outcome["warning"])

    @property
    def events(self) -> int:
        return self.new_events + self.merged_events

    @property
    def changes(self) -> int:
        return self.new_changes + self.merged_changes

    def line(self, name: str) -> str:
        replaced = f" ({self.replaced} replaced)" if self.replaced else ""
        return (f"{name}: {self.read} documents read, {self.stored} stored{replaced}, {self.skipped} skipped "
                f"(already stored), {self.failed} failed; {self.events} events ({self.new_events} "
                f"new, {self.merged_events} merged), {self.changes} changes ({self.new_changes} "
                f"new, {self.merged_changes} merged)")


def ingest_paths(
    store: Store,
    paths: Sequence[str | os.PathLike],
    *,
    published: date | None = None,
    profile: str = "syria",
    reader: str | None = None,
    progress: bool | None = None,
    report: Callable[[str], None] = print,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    published_override: bool = False,
    dates: Mapping[str, date] | None = None,
    timeout: float = 0.0,
    force: bool = False,
) -> Summary:
    """Ingest every file under `paths` into `store`.  Each document is one transaction, so an
    interrupted run loses at most the document in hand and a rerun completes it.  A progress
    bar goes to stderr when it is a terminal (or when `progress` is True).

    engine="dask" extracts on a Dask cluster (the scheduler at `scheduler`, else a local
    cluster of `workers` processes) and stores here, in the same order and through the same
    code as the local engine: both give the same store.

    `published` dates the documents that carry no date of their own (page metadata, a
    dateline, a file name), unless `published_override` or a single file is named; `dates`
    gives files their own dates.

    force=True re-processes documents stored already (same content): each is replaced,
    rows and all, in one transaction (local engine only)."""
    from .ingest.published import names_one_file

    files = walk(paths)
    options = Options(published=published, profile=profile, reader=reader, dates=dates or {},
                      published_override=published_override or names_one_file(paths),
                      timeout=timeout, force=force)
    if force and engine != "local":
        raise ConfigError("--force re-processes documents with the local engine only")
    if engine == "dask":
        from .scale import dask_outcomes

        outcomes = dask_outcomes(store, files, options, scheduler=scheduler, workers=workers)
    elif engine == "local":
        outcomes = local_outcomes(store, files, options)
    else:
        raise ConfigError(f"unknown engine {engine!r} (choose from {', '.join(ENGINES)})")
    with closing(outcomes):
        return _tally(outcomes, len(files), progress, report)


def _tally(outcomes: Iterator[tuple[Path, Outcome]], total: int, progress: bool | None,
           report: Callable[[str], None]) -> Summary:
    """Count the outcomes as they come, under a progress bar."""
    from tqdm import tqdm

    summary = Summary()
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=total, unit="doc", file=sys.stderr, disable=not show,
              desc="ingest", dynamic_ncols=True) as bar:

        def above_the_bar(message: str) -> None:
            with tqdm.external_write_mode(file=sys.stderr):
                report(message)

        for _path, outcome in outcomes:
            summary.record(outcome, above_the_bar if show else report)
            bar.update(1)
            bar.set_postfix(events=summary.events, changes=summary.changes, failed=summary.failed,
                            refresh=False)
    return summary


def local_outcome(store: Store, path: Path, options: Options) -> Outcome:
    """Read, extract and store one file in this process."""
    return guarded(path, lambda: ingest_file(store, path, options=options))


def local_outcomes(store: Store, files: Sequence[Path], options: Options) -> Iterator[tuple[Path, Outcome]]:
    """Each file read and extracted within its time budget (in a worker process), then stored
    here; a file over its budget is abandoned with one line and the batch goes on."""
    from .budget import Budgeted

    def analyse(path: Path, stored: Callable[[str], bool]) -> DocumentRecord | None:
        return analyse_file(path, options, stored)

    # A forced re-ingest extracts documents stored already again.
    stored = (lambda doc_id: False) if options.force else store.has_document
    with Budgeted(analyse, options.timeout, answer=stored) as budget:
        for path in files:
            yield path, guarded(path, lambda path=path: ingest_file(
                store, path, options=options, analyse=budget.run))


def guarded(path: str | os.PathLike, action: Callable[[], T]) -> T | Failure:
    """One file's work: a problem with the file (or a bug of ours) becomes a Failure naming
    it, and the batch goes on; a failing database is raised, as there is no point going on."""
    try:
        return action()
    except StoreError:
        raise
    except FrontlinesError as err:
        return Failure(str(err) if err.path else f"{path}: {err}")
    except Exception as err:  # a bug of ours: reported in one line, and the batch goes on
        if os.environ.get("FRONTLINES_DEBUG"):
            raise
        return Failure(f"{path}: internal error ({type(err).__name__}: {err}); "
                       "set FRONTLINES_DEBUG=1 for a traceback")


def is_table(path: Path, reader: str | None) -> bool:
    """A CSV file (ACLED export or initial state), unless a reader is forced."""
    return path.suffix.lower() == TABLE_SUFFIX and reader is None


def skipped() -> dict[str, Any]:
    return {"skipped": True, "events": 0, "changes": 0}


def ingest_file(store: Store, path: Path, *, published: date | None = None,
                profile: str = "syria", reader: str | None = None,
                force: bool = False, options: Options | None = None,
                analyse: Callable[[Path], DocumentRecord | None] | None = None) -> dict[str, Any]:
    """Ingest one file: a document is read, skipped when stored already, else extracted
    (by `analyse`, when given: within a time budget).  `published` is this file's date;
    `options`, when given, replaces the keyword options."""
    if options is None:
        options = Options(published=published, profile=profile, reader=reader,
                          published_override=True, force=force)
    if is_table(path, options.reader):
        return ingest_table(store, path, profile=options.profile, force=options.force)
    stored = (lambda doc_id: False) if options.force else store.has_document
    record = analyse(path) if analyse is not None else analyse_file(path, options, stored)
    return skipped() if record is None else stored_with_warnings(store, record, replace=options.force)


def stored_with_warnings(store: Store, record: DocumentRecord, replace: bool = False) -> dict[str, Any]:
    """Store an analysed document (in place of the stored one when `replace`); the result says
    how many of its rows are undated."""
    from .ingest.published import undated_warning

    result = store.ingest_record(record, replace=replace)
    message = undated_warning(record)
    if message:
        result = {**result, "warning": f"{record['document'].get('source')}: {message}"}
    return result


def analyse_file(path: Path, options: Options, stored: Callable[[str], bool], *,
                 source: str | None = None) -> DocumentRecord | None:
    """Read and extract one document into the form the store takes; None, without extracting,
    when `stored` says its content is in the store already.  `source` names the document
    when it was read from another path than the one the user gave."""
    from .budget import unbudgeted
    from .ingest import read_document
    from .ingest.published import reading_dates
    from .pipeline import run, warm
    from .store.documents import document_record

    doc = read_document(path, format=options.reader, **reading_dates(
        source or path, published=options.published, override=options.published_override,
        table=options.dates))
    if source is not None:
        doc.source = source
    if stored(doc.doc_id):
        return None
    unbudgeted(lambda: warm(options.profile))
    return document_record(run(doc, profile=options.profile))


def ingest_table(store: Store, path: Path, *, profile: str = "syria",
                 force: bool = False) -> dict[str, Any]:
    """A CSV file: an ACLED export (events, and changes from its territory rows) or an
    initial-state table (place, controller[, latitude, longitude, place_id, as_of])."""
    from .ingest.acled import changes_from_events, is_acled_header, read_acled
    from .ingest.loading import decode, read_bytes
    from .model import content_id

    name = str(path)
    text = decode(read_bytes(path), name)
    header = [c.strip().lower() for c in next(csv.reader(io.StringIO(text)), [])]
    if is_acled_header(header):
        doc_id = content_id(text)
        if not force and store.has_document(doc_id):
            return skipped()
        rows = read_acled(text, profile=profile, source=name)
        return store.ingest_events(rows, source_name=path.name, doc_id=doc_id, origin="acled",
                                   changes=changes_from_events(rows), replace=force)
    if STATE_COLUMNS <= set(header):
        from .ingest.tables import read_initial_state

        rows = read_initial_state(text, name)
        stored = store.set_initial_state(rows, source_name=path.name)
        return {"skipped": False, "events": 0, "changes": 0, "initial_state": stored}
    raise InputError("a CSV file that is neither an ACLED export (event_id_cnty, event_date, "
                     "...) nor an initial-state table (place, controller)", name)
