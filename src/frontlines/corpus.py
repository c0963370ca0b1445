"""Ingesting a corpus: walk files and folders, read, extract and store each document; a file
that fails is reported and the batch goes on."""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .errors import FrontlinesError, InputError
from .store import Store, StoreError

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


@dataclass(slots=True)
class Summary:
    """What an ingest did, for its closing line."""

    read: int = 0
    stored: int = 0
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
        for key in ("new_events", "merged_events", "new_changes", "merged_changes"):
            setattr(self, key, getattr(self, key) + result.get(key, 0))

    @property
    def events(self) -> int:
        return self.new_events + self.merged_events

    @property
    def changes(self) -> int:
        return self.new_changes + self.merged_changes

    def line(self, name: str) -> str:
        return (f"{name}: {self.read} documents read, {self.stored} stored, {self.skipped} skipped "
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
) -> Summary:
    """Ingest every file under `paths` into `store`.  Each document is one transaction, so an
    interrupted run loses at most the document in hand and a rerun completes it.  A progress
    bar goes to stderr when it is a terminal (or when `progress` is True)."""
    from tqdm import tqdm

    files = walk(paths)
    summary = Summary()
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=len(files), unit="doc", file=sys.stderr, disable=not show,
              desc="ingest", dynamic_ncols=True) as bar:

        def above_the_bar(message: str) -> None:
            with tqdm.external_write_mode(file=sys.stderr):
                report(message)

        for path in files:
            summary.read += 1
            _one(store, path, summary, above_the_bar if show else report,
                 published=published, profile=profile, reader=reader)
            bar.update(1)
            bar.set_postfix(events=summary.events, changes=summary.changes, failed=summary.failed,
                            refresh=False)
    return summary


def _one(store: Store, path: Path, summary: Summary, report: Callable[[str], None], **options) -> None:
    try:
        summary.add(ingest_file(store, path, **options))
    except StoreError:
        raise  # the database failed, not the document: no point going on
    except FrontlinesError as err:
        summary.failed += 1
        report(str(err) if err.path else f"{path}: {err}")
    except Exception as err:  # a bug of ours: reported in one line, and the batch goes on
        if os.environ.get("FRONTLINES_DEBUG"):
            raise
        summary.failed += 1
        report(f"{path}: internal error ({type(err).__name__}: {err}); "
               "set FRONTLINES_DEBUG=1 for a traceback")


def ingest_file(store: Store, path: Path, *, published: date | None = None,
                profile: str = "syria", reader: str | None = None) -> dict[str, Any]:
    """Ingest one file: a document is read, skipped when stored already, else extracted."""
    from .ingest import read_document
    from .pipeline import run

    if path.suffix.lower() == TABLE_SUFFIX and reader is None:
        return ingest_table(store, path, profile=profile)
    doc = read_document(path, format=reader, published=published)
    if store.has_document(doc.doc_id):
        return {"skipped": True, "events": 0, "changes": 0}
    return store.ingest_analysis(run(doc, profile=profile))


def ingest_table(store: Store, path: Path, *, profile: str = "syria") -> dict[str, Any]:
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
        if store.has_document(doc_id):
            return {"skipped": True, "events": 0, "changes": 0}
        rows = read_acled(text, profile=profile, source=name)
        return store.ingest_events(rows, source_name=path.name, doc_id=doc_id, origin="acled",
                                   changes=changes_from_events(rows))
    if STATE_COLUMNS <= set(header):
        rows = [{k.strip().lower(): v for k, v in row.items() if k}
                for row in csv.DictReader(io.StringIO(text))]
        stored = store.set_initial_state(rows, source_name=path.name)
        return {"skipped": False, "events": 0, "changes": 0, "initial_state": stored}
    raise InputError("a CSV file that is neither an ACLED export (event_id_cnty, event_date, "
                     "...) nor an initial-state table (place, controller)", name)
