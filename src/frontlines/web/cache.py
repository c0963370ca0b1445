"""Answers of the heavy endpoints kept per store revision: computed once, however many ask.

The summary, the timeline, control on a day and the site info read much of the store.  Each
answer is kept (rendered) under its request's key and the store's revision (`Store.revision`,
which changes with every ingest); concurrent requests for the same answer wait for the one
computation instead of each running it.  Kept answers expire after `ttl` seconds as well, for
changes the revision does not see (an initial state replaced row for row).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from ..store import Store
from ..store.state import ControlIndex

DEFAULT_SIZE = 256
DEFAULT_TTL_S = 60.0


class Answers:
    def __init__(self, store: Store, size: int = DEFAULT_SIZE, ttl: float = DEFAULT_TTL_S) -> None:
        self.store, self.size, self.ttl = store, size, ttl
        self._kept: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._tasks: dict[Hashable, asyncio.Future] = {}

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The answer for `key` at the store's current revision, computed at most once (for
        code running in a worker thread)."""
        full = (self.store.revision(), key)
        found = self._fresh(full)
        if found is not None:
            return found
        with self._lock:
            gate = self._computing.setdefault(full, threading.Lock())
        with gate:
            found = self._fresh(full)
            if found is None:
                found = compute()
                self._keep(full, found)
            with self._lock:
                self._computing.pop(full, None)
        return found

    async def answer(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """`get` for a request handler: the computation runs in a worker thread, once, in a
        task of its own; every request that wants the same answer awaits that task without
        holding a thread, and one that gives up (its time budget spent) leaves it running."""
        from anyio import to_thread

        full = (await to_thread.run_sync(self.store.revision), key)
        found = self._fresh(full)
        if found is not None:
            return found
        task = self._tasks.get(full)
        if task is None:
            task = asyncio.ensure_future(to_thread.run_sync(compute))
            self._tasks[full] = task
            task.add_done_callback(lambda done: self._finished(full, done))
        return await asyncio.shield(task)

    def _finished(self, full: Hashable, task: asyncio.Future) -> None:
        self._tasks.pop(full, None)
        if not task.cancelled() and task.exception() is None:
            self._keep(full, task.result())

    def _keep(self, full: Hashable, value: Any) -> None:
        with self._lock:
            self._kept[full] = (time.monotonic(), value)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)

    def control_index(self) -> ControlIndex:
        """The store's control index at its current revision (see `ControlIndex`)."""
        return self.get("control-index", self.store.control_index)

    def _fresh(self, key: Hashable) -> Any:
        with self._lock:
            kept = self._kept.get(key)
            if kept is None:
                return None
            if time.monotonic() - kept[0] > self.ttl:
                del self._kept[key]
                return None
            self._kept.move_to_end(key)
            return kept[1]
