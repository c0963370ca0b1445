"""Ingesting a corpus: walk files and folders, read, extract and store each document (here, or
on a Dask cluster through `frontlines.scale`); a file that fails is reported, the batch goes on."""

from __future__ import annotations

import csv
import functools
import io
import os
import sys
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from .errors import ConfigError, FrontlinesError, InputError, StoreError

if TYPE_CHECKING:  # the store (SQLAlchemy) is imported by what stores, not by `extract`
    from .model import Analysis
    from .parallel import Pending
    from .store import Store
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
# Documents per task sent to another process: enough to make a task's overhead small beside
# its extraction, and a batch the store commits at once.
PARTITION_SIZE = 16


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
    jobs: int = 1,
) -> Summary:
    """Ingest every file under `paths` into `store`.  Each document is one transaction, so an
    interrupted run loses at most the document in hand and a rerun completes it.  A progress
    bar goes to stderr when it is a terminal (or when `progress` is True).

    engine="dask" extracts on a Dask cluster (the scheduler at `scheduler`, else a local
    cluster of `workers` processes) and stores here, in the same order and through the same
    code as the local engine: both give the same store (on PostgreSQL the workers store
    what they extract themselves).  With `jobs` > 1 the local engine extracts in that many
    processes and stores here, in order, a batch per transaction.  Every document is read
    and extracted within its time budget (`timeout` seconds, 0: none) and memory budget.

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
    elif engine == "local" and jobs > 1:
        outcomes = pooled_outcomes(store, files, options, jobs)
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


def pooled_outcomes(store: Store, files: Sequence[Path], options: Options,
                    jobs: int) -> Iterator[tuple[Path, Outcome]]:
    """The local engine over `jobs` processes: they extract (each file within its budget),
    this process stores."""
    from .parallel import TASKS_PER_PROCESS, process_pool

    with process_pool(jobs, options.profile) as pool:
        def submit(files: list[tuple[str, str]], known: dict[str, Collection[str]]) -> Pending:
            return pool.submit(analyse_partition, files, options, known)

        yield from remote_outcomes(store, files, options, submit, window=jobs * TASKS_PER_PROCESS)


def remote_outcomes(store: Store, files: Sequence[Path], options: Options,
                    submit: Callable[[list[tuple[str, str]], dict[str, Collection[str]]], Pending], *,
                    window: int, size: int = PARTITION_SIZE,
                    stored_remotely: bool = False) -> Iterator[tuple[Path, Outcome]]:
    """Each file and its outcome, in the order of `files`, the documents' work done elsewhere:
    partitions of consecutive documents go out through `submit(files, known)` (a list of
    (name, absolute path), and the ids the store holds from those names), at most `window`
    ahead of the one handed out.  What comes back is stored here, a partition per
    transaction, in order (so the store is the one the local engine makes), unless the tasks
    stored it themselves (`stored_remotely`: their outcomes come back).  CSV tables are
    loaded here, at their place in the order."""
    from .parallel import in_order

    def send(step: Path | list[Path]) -> Pending | None:
        if isinstance(step, Path):
            return None
        names = [str(path) for path in step]
        # Workers may run in other folders: they read absolute paths, and skip the documents
        # this store has from these files already (a rerun after an interrupted ingest).
        known = {} if options.force else store.stored_by_source(names)
        return submit([(name, os.path.abspath(name)) for name in names], known)

    for step, task in in_order(send, partitions(files, options.reader, size), window):
        if task is None:
            yield step, local_outcome(store, step, options)
            continue
        results = _task_results(task, step)
        if not stored_remotely:
            results = store_batch(store, step, results, replace=options.force)
        yield from zip(step, results)


def partitions(files: Sequence[Path], reader: str | None, size: int) -> Iterator[Path | list[Path]]:
    """Runs of consecutive documents in lists of at most `size`, and each CSV table alone:
    storing a partition at once then keeps the order of the files."""
    run: list[Path] = []
    for path in files:
        if is_table(path, reader):
            if run:
                yield run
                run = []
            yield path
        else:
            run.append(path)
            if len(run) == size:
                yield run
                run = []
    if run:
        yield run


def _task_results(task: Pending, paths: list[Path]) -> list:
    try:
        return task.result()
    except StoreError:
        raise
    except Exception as err:  # the task itself failed (a process died): its files did
        if os.environ.get("FRONTLINES_DEBUG"):
            raise
        return [Failure(f"{path}: the extraction task failed ({type(err).__name__}: {err})")
                for path in paths]


def store_batch(store: Store, paths: Sequence[Path], results: Sequence, *,
                replace: bool = False) -> list[Outcome]:
    """Extracted documents stored in one transaction, in order; each file's outcome."""
    records = [r for r in results if isinstance(r, dict)]
    stored = iter(store.ingest_records(records, replace=replace))
    outcomes: list[Outcome] = []
    for path, result in zip(paths, results):
        if result is None:
            outcomes.append(skipped())
        elif isinstance(result, Failure):
            outcomes.append(result)
        else:
            outcome = next(stored)
            outcomes.append(Failure(str(outcome) if getattr(outcome, "path", None) else f"{path}: {outcome}")
                            if isinstance(outcome, Exception) else with_warning(result, outcome))
    return outcomes


def analyse_partition(files: list[tuple[str, str]], options: Options,
                      known: dict[str, Collection[str]]) -> list[DocumentRecord | Failure | None]:
    """Read and extract each (name, location) file in this process (a pool's or a Dask
    worker's), each within its time and memory budget; a document whose content is among the
    ids `known` for its name is stored already and is not extracted.  Each file's record,
    None or Failure."""
    from .pipeline import warm

    warm(options.profile)
    return [guarded(name, functools.partial(_analyse, name, location, options,
                                            frozenset(known.get(name, ()))))
            for name, location in files]


def ingest_partition(files: list[tuple[str, str]], options: Options,
                     known: dict[str, Collection[str]], db: str) -> list[Outcome]:
    """`analyse_partition`, and each document stored from here into `db` (a database that
    takes concurrent writers), one transaction each; each file's outcome (the warning about
    its undated rows included, for the client to print)."""
    store = _shared_store(db)
    outcomes: list[Outcome] = []
    for (name, _location), result in zip(files, analyse_partition(files, options, known)):
        if result is None:
            outcomes.append(skipped())
        elif isinstance(result, Failure):
            outcomes.append(result)
        else:
            outcomes.append(guarded(name, functools.partial(stored_with_warnings, store, result)))
    return outcomes


@functools.cache
def _shared_store(db: str) -> Store:
    """One connection pool per process and database, kept for the tasks that follow."""
    from .store import open_store

    return open_store(db, create=False)


def _analyse(name: str, location: str, options: Options, known: frozenset[str]) -> DocumentRecord | None:
    """One file of a partition, read and extracted in this process's budgeted worker."""
    from .budget import within_budget

    try:
        return within_budget(name, functools.partial(
            analyse_file, Path(location), options, known.__contains__, source=name), options.timeout)
    except FrontlinesError as err:
        if err.path == location:  # name the file as the user gave it
            err.path = name
        raise


def analyse_path(path: str, options: Options) -> Analysis:
    """Read and extract one file, for output rather than storing: the Analysis without its
    parses (spaCy Docs: not needed by the commands, heavy to send back)."""
    from . import regex_cache
    from .budget import unbudgeted
    from .pipeline import run, warm_up

    doc = read_dated(path, options)
    unbudgeted(lambda: warm_up(options.profile))
    analysis = run(doc, profile=options.profile)
    analysis.parses = {}
    regex_cache.save()  # what this process compiled, for the next one (a worker skips atexit)
    return analysis


def analyses_in_order(paths: Sequence[str], options: Options,
                      jobs: int = 1) -> Iterator[tuple[str, Analysis | Failure]]:
    """Each file with its Analysis or the Failure that says why not, in the order of `paths`,
    each within its time and memory budget, extracted here or in `jobs` processes."""
    if jobs > 1:
        from .parallel import ordered_map

        task = functools.partial(_budgeted_analysis, options=options)
        yield from zip(paths, ordered_map(task, paths, jobs=jobs, profile=options.profile))
        return
    from .budget import Budgeted

    with Budgeted(lambda path, _ask: analyse_path(path, options), options.timeout) as budget:
        for path in paths:
            yield path, guarded(path, functools.partial(budget.run, path))


def _budgeted_analysis(path: str, options: Options) -> Analysis | Failure:
    """A pool process's task: one file within the budget of its own worker."""
    from .budget import within_budget

    return guarded(path, lambda: within_budget(path, functools.partial(analyse_path, path, options),
                                                 options.timeout))


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
    return with_warning(record, store.ingest_record(record, replace=replace))


def with_warning(record: DocumentRecord, result: dict[str, Any]) -> dict[str, Any]:
    """A document's store result, with a line about its undated rows when it has any (the
    process that tallies the outcomes prints it)."""
    from .ingest.published import undated_warning

    message = undated_warning(record)
    if message:
        result = {**result, "warning": f"{record['document'].get('source')}: {message}"}
    return result


def analyse_file(path: Path, options: Options, stored: Callable[[str], bool], *,
                 source: str | None = None) -> DocumentRecord | None:
    """Read and extract one document into the form the store takes; None, without extracting,
    when `stored` says its content is in the store already.  `source` names the document
    when it was read from another path than the one the user gave."""
    from . import regex_cache
    from .budget import unbudgeted
    from .pipeline import run, warm_up
    from .store.documents import document_record

    doc = read_dated(path, options, source=source)
    if stored(doc.doc_id):
        return None
    unbudgeted(lambda: warm_up(options.profile))
    record = document_record(run(doc, profile=options.profile))
    regex_cache.save()
    return record


def read_dated(path: str | os.PathLike, options: Options, *, source: str | None = None):
    """Read one document, dated by its own metadata, the dates table or `published` (see
    `frontlines.ingest.published`); `source` names it when read from another path."""
    from .ingest import read_document
    from .ingest.published import reading_dates

    doc = read_document(path, format=options.reader, **reading_dates(
        source or path, published=options.published, override=options.published_override,
        table=options.dates))
    if source is not None:
        doc.source = source
    return doc


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
