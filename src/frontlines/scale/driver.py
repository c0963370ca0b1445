"""The client side of the Dask engine: partitions of files out to the cluster, each file's
result back into the store here, in the order of the files."""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from distributed import Client, Future, LocalCluster, as_completed

from ..corpus import (
    Failure,
    Options,
    Outcome,
    guarded,
    is_table,
    local_outcome,
    skipped,
    stored_with_warnings,
)
from ..errors import ConfigError
from ..store import Store
from .worker import Extracted, PipelinePlugin, extract_partition

# Documents per task: enough to make a task's overhead small beside its extraction.
PARTITION_SIZE = 16
# Partitions out per worker thread: they keep it busy while the client stores, and bound what
# waits on the client for an earlier, slower partition.
PARTITIONS_PER_WORKER = 3
CONNECT_TIMEOUT_S = 20.0
PLUGIN_NAME = "frontlines-pipeline"


def dask_outcomes(store: Store, files: Sequence[Path], options: Options, *,
                  scheduler: str | None = None, workers: int | None = None,
                  partition_size: int | None = None) -> Iterator[tuple[Path, Outcome]]:
    """Each file and its outcome, in the order of `files`.  Documents are read and extracted on
    the cluster; their records are stored here, one transaction each, through the same code
    as the local engine, in the same order: both engines give the same store.  CSV tables
    (ACLED exports, initial states) are loaded here."""
    with cluster_client(scheduler, workers) as client:
        client.register_plugin(PipelinePlugin(options.profile), name=PLUGIN_NAME)
        documents = [path for path in files if not is_table(path, options.reader)]
        stream = _Stream(client, store, documents, options, partition_size or PARTITION_SIZE)
        for path in files:
            if is_table(path, options.reader):
                yield path, local_outcome(store, path, options)
            else:
                yield path, stream.outcome(path)


@contextmanager
def cluster_client(scheduler: str | None, workers: int | None) -> Iterator[Client]:
    """A client of the scheduler at `scheduler`, else of a new local cluster of `workers`
    processes (one per CPU by default) with one thread each, closed afterwards."""
    if scheduler:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT_S)
        except (OSError, TimeoutError, ValueError) as err:
            raise ConfigError(f"cannot reach the Dask scheduler at {scheduler}: {err}") from None
        with client:
            yield client
        return
    count = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=count, threads_per_worker=1, processes=True,
                      dashboard_address=None) as cluster, Client(cluster) as client:
        yield client


class _Stream:
    """Partitions of documents on the cluster, a bounded number at a time, and each document's
    outcome handed out in the order of the documents, stored as it is handed out."""

    def __init__(self, client: Client, store: Store, paths: list[Path], options: Options,
                 size: int) -> None:
        self.client, self.store, self.options = client, store, options
        self.waiting = deque(paths[i:i + size] for i in range(0, len(paths), size))
        self.running = as_completed()
        self.partitions: dict[Future, list[Path]] = {}
        self.ends: set[Path] = set()  # the last document of each partition out
        self.ready: dict[Path, Extracted] = {}
        slots = sum(client.nthreads().values())
        for _ in range(max(1, slots) * PARTITIONS_PER_WORKER):
            self._submit()

    def outcome(self, path: Path) -> Outcome:
        while path not in self.ready:
            self._collect(next(self.running))
        extracted = self.ready.pop(path)
        if path in self.ends:  # its partition is all handed out: the next one may go
            self.ends.discard(path)
            self._submit()
        if extracted is None:
            return skipped()
        if isinstance(extracted, Failure):
            return extracted
        return guarded(path, lambda: stored_with_warnings(self.store, extracted))

    def _submit(self) -> None:
        if not self.waiting:
            return
        paths = self.waiting.popleft()
        names = [str(path) for path in paths]
        # Workers may run in other folders: they read absolute paths, and skip the documents
        # this store has from these files already (a rerun after an interrupted ingest).
        files = [(name, os.path.abspath(name)) for name in names]
        known = self.store.stored_by_source(names)
        future = self.client.submit(extract_partition, files, self.options, known, pure=False)
        self.partitions[future] = paths
        self.ends.add(paths[-1])
        self.running.add(future)

    def _collect(self, future: Future) -> None:
        paths = self.partitions.pop(future)
        try:
            results = future.result()
        except Exception as err:  # the task itself failed (a worker died): its files did
            if os.environ.get("FRONTLINES_DEBUG"):
                raise
            results = [Failure(f"{path}: the Dask task failed ({type(err).__name__}: {err})")
                       for path in paths]
        finally:
            future.release()
        self.ready.update(zip(paths, results))
