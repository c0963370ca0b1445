"""Work spread over processes: a pool whose processes load the pipeline once, and results
handed back in the order of the input with a bounded number of tasks in flight."""

from __future__ import annotations

import functools
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Tasks in flight per process: enough to keep each busy while results are handed out in order.
TASKS_PER_PROCESS = 3


class Pending(Protocol[R]):
    """A task's result to come: a `concurrent.futures.Future`, or a Dask one."""

    def result(self) -> R: ...


def in_order(submit: Callable[[T], Pending[R] | None], items: Iterable[T],
             window: int) -> Iterator[tuple[T, Pending[R] | None]]:
    """Each item with its submitted task, in the order of `items`, with at most `window`
    tasks submitted ahead of the one handed out (`submit` may return None: work the caller
    does itself, in its place)."""
    pending: deque[tuple[T, Pending[R] | None]] = deque()
    source = iter(items)
    for item in source:
        pending.append((item, submit(item)))
        if len(pending) >= max(1, window):
            break
    while pending:
        yield pending.popleft()
        for item in source:
            pending.append((item, submit(item)))
            break


def process_pool(jobs: int, profile: str) -> ProcessPoolExecutor:
    """`jobs` processes, each warmed with the pipeline of `profile` as it starts.  They are
    spawned, not forked: this process may run threads, and a new process sees the
    environment (FRONTLINES_HOME, ...) as it is now."""
    from .pipeline import warm

    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               initializer=warm, initargs=(profile,))


def ordered_map(function: Callable[[T], R], items: Iterable[T], *, jobs: int,
                profile: str = "syria") -> Iterator[R]:
    """`function` over `items` in `jobs` processes (here, when jobs is 1), the results in the
    order of the items.  `function` and the items must pickle (a module-level function)."""
    if jobs <= 1:
        yield from map(function, items)
        return
    with process_pool(jobs, profile) as pool:
        for _item, future in in_order(functools.partial(pool.submit, function), items,
                                      jobs * TASKS_PER_PROCESS):
            yield future.result()


def loads() -> dict[str, Any]:
    """How often this process loaded the pipeline, its profiles and its gazetteer (each once)."""
    from .geo.geocoder import Geocoder
    from .pipeline import warm
    from .profiles import load_profile

    return {"warmed": warm.cache_info().misses, "profiles": load_profile.cache_info().misses,
            "gazetteers": len(Geocoder._defaults)}
