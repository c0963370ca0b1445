"""A time budget per document: its work runs in a child process that is ended past the budget.

A regular expression or a C parser stuck on a hostile document cannot be interrupted from
inside the process, so each document's work runs in a worker process forked from this one
(it inherits the loaded pipeline, and is reused from one document to the next).  When a
document's work outlasts its budget the worker is killed, the document is abandoned with one
line naming it, and the next document gets a new worker.  A budget of 0 runs everything
here, with no budget.  Loading what every document needs (the gazetteer, the profile,
spaCy) runs with the clock stopped (`unbudgeted`), so it counts against no document's budget.
A worker may also grow by at most $FRONTLINES_MAX_MEMORY_MB (1024) megabytes: a document that
needs more fails with one line instead of taking the machine's memory.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any, Generic, TypeVar

from .errors import FrontlinesError

DEFAULT_TIMEOUT_S = 120.0
TIMEOUT_ENV = "FRONTLINES_TIMEOUT_PER_FILE"
# Memory a worker may take beyond what it inherited, for one document (its address space,
# which glibc and Python grow a little ahead of what they use).
DEFAULT_MEMORY_MB = 1024
MEMORY_ENV = "FRONTLINES_MAX_MEMORY_MB"

Item = TypeVar("Item")
Result = TypeVar("Result")
# The work a worker does for one item; `ask` puts a question to the parent (which, for
# example, holds the store) and returns its answer.
Work = Callable[[Item, Callable[[Any], Any]], Result]


class TimeBudgetExceeded(FrontlinesError):
    """A document whose work outlasted its time budget and was abandoned."""


def default_timeout() -> float:
    """The budget per file: $FRONTLINES_TIMEOUT_PER_FILE seconds, else 120."""
    value = os.environ.get(TIMEOUT_ENV, "")
    try:
        return max(0.0, float(value)) if value else DEFAULT_TIMEOUT_S
    except ValueError:
        return DEFAULT_TIMEOUT_S


def memory_budget_mb() -> int:
    """Megabytes a document's worker may grow by: $FRONTLINES_MAX_MEMORY_MB, else 1024 (0: no limit)."""
    value = os.environ.get(MEMORY_ENV, "")
    return int(value) if value.isdigit() else DEFAULT_MEMORY_MB


def memory_message(megabytes: int) -> str:
    return (f"needs more than {megabytes} MB of memory (the limit per document; raise it with "
            f"{MEMORY_ENV})")


def budget_message(seconds: float) -> str:
    return (f"abandoned after {seconds:g} s (the time budget per file; raise it with "
            "--timeout-per-file)")


class Budgeted(Generic[Item, Result]):
    """Runs `work` on one item at a time within `timeout` seconds each (0: here, unbounded).

    Exceptions raised by the work come back as they are (pickled); past the budget,
    `TimeBudgetExceeded` is raised, naming the item by `name(item)`.  Use it as a context
    manager, so the worker ends with the batch."""

    def __init__(self, work: Work, timeout: float, name: Callable[[Item], str] = str,
                 answer: Callable[[Any], Any] | None = None) -> None:
        self.work, self.timeout, self.name = work, timeout, name
        self.answer = answer or (lambda question: None)
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None

    def __enter__(self) -> Budgeted[Item, Result]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, item: Item) -> Result:
        if not self.timeout or not _can_fork():
            return self.work(item, self.answer)
        conn = self._worker()
        conn.send(item)
        remaining, paused = self.timeout, False
        while True:
            started = time.monotonic()
            if not conn.poll(None if paused else max(0.0, remaining)):
                self._kill()
                raise TimeBudgetExceeded(budget_message(self.timeout), self.name(item))
            if not paused:
                remaining -= time.monotonic() - started
            try:
                kind, value = conn.recv()
            except (EOFError, OSError):
                self._kill()
                raise FrontlinesError("the worker process died (out of memory?)", self.name(item)) from None
            if kind in ("pause", "resume"):
                paused = kind == "pause"
            elif kind == "ask":
                conn.send(self.answer(value))
            elif kind == "error":
                raise value
            elif kind == "spent":  # out of memory: the worker ends, the next item gets a new one
                self._kill()
                raise value
            else:
                return value

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.send(None)
            except OSError:
                pass
        self._kill()

    def _worker(self) -> Connection:
        if self._process is None or not self._process.is_alive():
            parent, child = multiprocessing.get_context("fork").Pipe()
            process = multiprocessing.get_context("fork").Process(
                target=_serve, args=(self.work, child, parent), daemon=True)
            _start_from_any(process)
            child.close()
            self._process, self._conn = process, parent
        assert self._conn is not None
        return self._conn

    def _kill(self) -> None:
        if self._process is not None:
            if self._process.is_alive():
                self._process.kill()
            self._process.join()
            self._process = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def within_budget(name: str, action: Callable[[], Result], timeout: float) -> Result:
    """`action()` within `timeout` seconds (0: here, unbounded), in a budgeted worker this
    process keeps from one call to the next (for a pool's process or a Dask worker, which
    run many documents' tasks: the worker forked from it inherits its loaded pipeline).
    `action` is sent to the worker, so it must pickle (a partial of a module-level
    function); past the budget `TimeBudgetExceeded` names the item `name`."""
    if not timeout:
        return action()
    budgets = _kept.__dict__.setdefault("budgets", {})
    budget = budgets.get(timeout)
    if budget is None:
        budget = budgets[timeout] = Budgeted(_call, timeout, name=lambda item: item[0])
    return budget.run((name, action))


_kept = threading.local()  # a thread's budgeted workers, by budget


def release_budgets() -> None:
    """End the budgeted workers this thread keeps (`within_budget`)."""
    for budget in _kept.__dict__.pop("budgets", {}).values():
        budget.close()


def _call(item: tuple[str, Callable[[], Result]], _ask: Callable[[Any], Any]) -> Result:
    return item[1]()


def _can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def unbudgeted(action: Callable[[], Result]) -> Result:
    """Run `action` (loading the pipeline, once per process) with the document's clock
    stopped: no document pays for it, and a document that cannot be read never waits for it."""
    if _worker_conn is None:
        return action()
    _worker_conn.send(("pause", None))
    try:
        return action()
    finally:
        _worker_conn.send(("resume", None))


_worker_conn: Connection | None = None  # in a worker: its line to the parent


def _start_from_any(process: multiprocessing.process.BaseProcess) -> None:
    """Start `process`, also from a daemonic process (a Dask worker is one), which
    multiprocessing refuses children lest they outlive it: this child is a daemon itself and
    ends when its parent's end of the pipe closes, whatever ends the parent."""
    me = multiprocessing.current_process()
    daemonic = me._config.get("daemon")
    me._config["daemon"] = False
    try:
        process.start()
    finally:
        me._config["daemon"] = daemonic


def _serve(work: Work, conn: Connection, parents_end: Connection | None = None) -> None:
    """The worker's loop: one item in, ("done", result) or ("error", exception) out; the
    loop ends when the parent goes (its end of the pipe, inherited here, is closed first)."""
    global _worker_conn
    _worker_conn = conn
    if parents_end is not None:
        parents_end.close()

    def ask(question: Any) -> Any:
        conn.send(("ask", question))
        return conn.recv()

    megabytes = memory_budget_mb()
    _limit_memory(megabytes)

    while True:
        try:
            item = conn.recv()
        except EOFError:
            return
        if item is None:
            return
        try:
            reply: tuple[str, Any] = ("done", work(item, ask))
        except MemoryError:
            conn.send(("spent", FrontlinesError(memory_message(megabytes))))
            return
        except Exception as err:  # sent back to be reported (or raised) where it belongs
            reply = ("error", err)
        try:
            conn.send(reply)
        except (pickle.PicklingError, TypeError, AttributeError) as err:
            conn.send(("error", RuntimeError(f"{type(reply[1]).__name__} could not be sent back: {err}")))


def _limit_memory(megabytes: int) -> None:
    """Cap this worker's address space at what it has now plus `megabytes` (Linux): past it,
    allocations fail with MemoryError, reported as the document's error."""
    if not megabytes:
        return
    try:
        import resource

        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
        current = pages * os.sysconf("SC_PAGE_SIZE")
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        wanted = current + megabytes * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (wanted if hard < 0 else min(wanted, hard), hard))
    except (ImportError, OSError, ValueError):
        pass  # not Linux: no memory cap
