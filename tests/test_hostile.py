"""Hostile documents in a batch: each finishes, or is refused or abandoned with one line, and
the good file of the same batch is always processed.

The shapes (frontlines.testing) are the ones that once hung a whole batch at a megabyte: runs
of separators between words, one huge line, a long list of places, a flood of tiny sentences,
an HTML page of entities or of a million tags, plain prose; a FIFO given as a file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from frontlines.budget import Budgeted, TimeBudgetExceeded
from frontlines.errors import InputError
from frontlines.ingest import read_document
from frontlines.testing import HANG_SHAPES, shape

MB = 1_000_000
BUDGET_S = 20
GOOD = ("Damascus, 4 March 2021 - Rebels captured the village of Kafr Nabl on Wednesday, "
        "a monitor said.\n")


def cli(*args: str, timeout: float) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "frontlines", *args], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ})


def hostile_files(folder: Path, names: tuple[str, ...], size: int) -> list[Path]:
    paths = []
    for name in names:
        made = shape(name)
        path = folder / f"{name}{made.suffix}"
        path.write_bytes(made.make(size))
        paths.append(path)
    return paths


def good_file(folder: Path) -> Path:
    path = folder / "good.txt"
    path.write_text(GOOD, encoding="utf-8")
    return path


def fifo(folder: Path) -> Path:
    path = folder / "pipe.txt"
    os.mkfifo(path)
    return path


def assert_one_clean_line_each(stderr: str, paths: list[Path]) -> dict[Path, str]:
    """Every stderr line names one of the files; none is a traceback or an internal error."""
    assert "Traceback" not in stderr and "internal error" not in stderr
    said: dict[Path, str] = {}
    for line in stderr.strip().splitlines():
        path = next(p for p in paths if line.startswith(f"frontlines: {p}: "))
        if ": note: " not in line and " rows undated: " not in line:  # notes and warnings, not failures
            assert path not in said, f"two lines for {path}"
            said[path] = line
    return said


# -- the budget itself --------------------------------------------------------------------------


def _sleep_then_echo(item: float, _ask) -> float:
    if item < 0:
        raise InputError("refused", f"item{item}")
    time.sleep(item)
    return item


def test_work_over_its_budget_is_abandoned_and_the_next_item_still_runs():
    with Budgeted(_sleep_then_echo, 1.0, name=lambda item: f"item{item}") as budget:
        assert budget.run(0.0) == 0.0
        started = time.monotonic()
        with pytest.raises(TimeBudgetExceeded) as caught:
            budget.run(30.0)
        assert time.monotonic() - started < 10
        assert str(caught.value).startswith("item30.0: abandoned after 1 s")
        assert "--timeout-per-file" in str(caught.value)
        assert budget.run(0.1) == 0.1  # a new worker took over


def test_an_error_in_the_worker_comes_back_with_its_file_name():
    with Budgeted(_sleep_then_echo, 5.0) as budget:
        with pytest.raises(InputError) as caught:
            budget.run(-1.0)
    assert str(caught.value) == "item-1.0: refused"


def test_questions_go_to_the_parent():
    def work(item: str, ask) -> str:
        return ask(item) + "!"

    with Budgeted(work, 5.0, answer=str.upper) as budget:
        assert budget.run("stored?") == "STORED?!"


def test_no_budget_runs_here():
    with Budgeted(lambda item, ask: os.getpid(), 0) as budget:
        assert budget.run(None) == os.getpid()


# -- special files ------------------------------------------------------------------------------


def test_a_fifo_is_refused_before_it_is_opened(tmp_path):
    path = fifo(tmp_path)  # opening it for reading would wait for a writer forever
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert str(caught.value) == f"{path}: is a named pipe (FIFO), not a regular file: refused unread"


def test_a_device_is_refused():
    with pytest.raises(InputError, match="is a device, not a regular file"):
        read_document("/dev/zero")


# -- the hang shapes, at a megabyte, in one batch --------------------------------------------


def test_every_hang_shape_at_a_megabyte_finishes_or_is_refused_and_the_good_file_follows(tmp_path):
    paths = [*hostile_files(tmp_path, HANG_SHAPES, MB), fifo(tmp_path), good_file(tmp_path)]
    started = time.monotonic()
    result = cli("extract", *map(str, paths), "--json", "--timeout-per-file", str(BUDGET_S),
                 timeout=len(paths) * (BUDGET_S + 15))
    elapsed = time.monotonic() - started
    said = assert_one_clean_line_each(result.stderr, paths)
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    processed = {o["document"]["source"] for o in outputs}
    for path in paths[:-1]:
        # Each hostile file either gave its output or one line: refused or abandoned.
        assert (str(path) in processed) != (path in said), path
    assert said[paths[-2]].endswith("is a named pipe (FIFO), not a regular file: refused unread")
    for line in said.values():
        assert ("abandoned after" in line or "refused" in line or "HTML with more than" in line
                or "too large" in line), line
    good = next(o for o in outputs if o["document"]["source"] == str(paths[-1]))
    assert len(good["control_changes"]) == 1 and good["events"]
    assert result.returncode == (1 if said else 0)
    assert elapsed < len(paths) * (BUDGET_S + 10)


def test_an_html_page_of_a_million_tags_is_refused_naming_the_limit_and_its_override(tmp_path):
    (path,) = hostile_files(tmp_path, ("million-p-tags",), 4 * MB)
    with pytest.raises(InputError) as caught:
        read_document(path)
    assert str(caught.value) == (f"{path}: HTML with more than 100,000 elements (the limit; "
                                 "raise it with FRONTLINES_MAX_HTML_ELEMENTS)")


def test_ingest_abandons_a_file_over_its_budget_and_stores_the_rest(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    (slow,) = hostile_files(folder, ("list-of-places",), MB)
    good = good_file(folder)
    db = tmp_path / "store.db"
    result = cli("ingest", str(slow), str(fifo(folder)), str(good), "--db", str(db),
                 "--timeout-per-file", "10", timeout=600)
    said = assert_one_clean_line_each(result.stderr, [slow, folder / "pipe.txt", good])
    assert said[slow] == f"frontlines: {slow}: {_abandoned(10)}"
    assert good not in said
    assert result.returncode == 1
    assert "3 documents read, 1 stored" in result.stdout
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT source FROM documents").fetchall() == [(str(good),)]


def _abandoned(seconds: int) -> str:
    from frontlines.budget import budget_message

    return budget_message(seconds)


def test_html_nested_deeper_than_the_parser_reads_keeps_its_text():
    from frontlines.ingest import read_string

    page = ("<html><body>" + "<div>" * 3000 + "<p>On 2 May 2023, rebels captured Ariha &amp; its hills.</p>"
            "<p>Shelling <b>continued</b>.</p>" + "</div>" * 3000 + "</body></html>")
    doc = read_string(page, format="html", source="deep.html")
    assert doc.text == "On 2 May 2023, rebels captured Ariha & its hills.\n\nShelling continued."
    assert doc.warnings == ["HTML nested too deep for the parser: read as text without its markup"]


def _allocate(megabytes: int, _ask) -> int:
    return len(bytearray(megabytes * 2**20))


def test_work_over_its_memory_budget_is_one_error_and_the_next_item_gets_a_new_worker(monkeypatch):
    from frontlines.errors import FrontlinesError

    monkeypatch.setenv("FRONTLINES_MAX_MEMORY_MB", "200")
    with Budgeted(_allocate, 60.0, name=lambda mb: f"item{mb}") as budget:
        with pytest.raises(FrontlinesError) as caught:
            budget.run(2000)
        assert str(caught.value) == ("needs more than 200 MB of memory (the limit per document; "
                                     "raise it with FRONTLINES_MAX_MEMORY_MB)")
        assert budget.run(50) == 50 * 2**20
