"""Answers of the heavy endpoints kept per store revision: computed once, however many ask.

The summary, the timeline, control on a day and the site info read much of the store.  Each
answer is kept (rendered) under its request's key and the store's revision (`Store.revision`,
which changes with every ingest); concurrent requests for the same answer wait for the one
computation instead of each running it.  A kept answer older than `ttl` seconds is given as it
is and computed again in the background, for changes the revision does not see (an initial
state replaced row for row).
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from ..store import Store

DEFAULT_SIZE = 1024
DEFAULT_TTL_S = 60.0
# The revision is read at most this often: an answer kept at the revision read less than a
# second ago is given straight from memory, with no database query and no worker thread.
REVISION_TTL_S = 1.0


class Answers:
    def __init__(self, store: Store, size: int = DEFAULT_SIZE, ttl: float = DEFAULT_TTL_S) -> None:
        self.store, self.size, self.ttl = store, size, ttl
        self._kept: OrderedDict[Hashable, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._tasks: dict[Hashable, asyncio.Future] = {}
        self._revision: tuple[float, tuple | None] = (-REVISION_TTL_S, None)
        self._light = None

    async def answer(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The answer for `key` at the store's current revision, for a request handler: a kept
        one straight from memory; else the computation runs in a worker thread, once, in a
        task of its own; every request that wants the same answer awaits that task without
        holding a thread, and one that gives up (its time budget spent) leaves it running."""
        from anyio import to_thread

        revision = self._recent_revision()
        if revision is None:
            revision = await to_thread.run_sync(self._read_revision, limiter=self._light_lane())
        full = (revision, key)
        kept = self._kept_entry(full)
        if kept is not None:
            stale = time.monotonic() - kept[0] > self.ttl
            if stale:  # answered as it is, and computed again in the background
                self._computation(full, compute)
            return kept[1]
        return await asyncio.shield(self._computation(full, compute))

    def _light_lane(self):
        """Threads of their own for the quick reading of the revision, which so never waits
        behind the heavy computations."""
        if self._light is None:
            from anyio import CapacityLimiter

            self._light = CapacityLimiter(2)
        return self._light

    def _computation(self, full: Hashable, compute: Callable[[], Any]) -> asyncio.Future:
        from anyio import to_thread

        task = self._tasks.get(full)
        if task is None:
            task = asyncio.ensure_future(to_thread.run_sync(compute))
            self._tasks[full] = task
            task.add_done_callback(lambda done: self._finished(full, done))
        return task

    def forget_revision(self) -> None:
        """After a write through this server: the next answer reads the revision again."""
        self._revision = (float("-inf"), None)

    def _recent_revision(self) -> tuple | None:
        read_at, revision = self._revision
        return revision if time.monotonic() - read_at < REVISION_TTL_S else None

    def _read_revision(self) -> tuple:
        revision = self.store.revision()
        self._revision = (time.monotonic(), revision)
        return revision

    def _kept_entry(self, full: Hashable) -> tuple[float, Any] | None:
        with self._lock:
            kept = self._kept.get(full)
            if kept is not None:
                self._kept.move_to_end(full)
            return kept

    def _finished(self, full: Hashable, task: asyncio.Future) -> None:
        self._tasks.pop(full, None)
        if not task.cancelled() and task.exception() is None:
            self._keep(full, task.result())

    def _keep(self, full: Hashable, value: Any) -> None:
        with self._lock:
            self._kept[full] = (time.monotonic(), value)
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)
