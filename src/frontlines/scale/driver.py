"""The client side of the Dask engine: partitions of files out to the cluster, outcomes back
in the order of the files.  On a database that takes concurrent writers (PostgreSQL) each
worker stores what it extracts and the client only schedules; on SQLite (one writer) the
workers send their records back and the client stores them, a partition per transaction."""

from __future__ import annotations

import os
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from distributed import Client, Future, LocalCluster

from ..corpus import (
    PARTITION_SIZE,
    Options,
    Outcome,
    analyse_partition,
    ingest_partition,
    remote_outcomes,
)
from ..errors import ConfigError
from ..store import Store
from .worker import PipelinePlugin

# Partitions out per worker thread: they keep it busy while earlier outcomes are handed out
# in order, and bound what waits on the client for an earlier, slower partition.
PARTITIONS_PER_WORKER = 3
CONNECT_TIMEOUT_S = 20.0
PLUGIN_NAME = "frontlines-pipeline"


def dask_outcomes(store: Store, files: Sequence[Path], options: Options, *,
                  scheduler: str | None = None, workers: int | None = None,
                  partition_size: int | None = None) -> Iterator[tuple[Path, Outcome]]:
    """Each file and its outcome, in the order of `files`.  Documents are read and extracted
    on the cluster, and stored there (PostgreSQL) or here, in order (SQLite): the store is
    the one the local engine makes.  CSV tables (ACLED exports, initial states) are loaded
    here, at their place."""
    shared = store.shared_url()
    with cluster_client(scheduler, workers) as client:
        client.register_plugin(PipelinePlugin(options.profile), name=PLUGIN_NAME)

        def submit(files: list[tuple[str, str]], known: dict[str, Collection[str]]) -> Future:
            if shared:
                return client.submit(ingest_partition, files, options, known, shared, pure=False)
            return client.submit(analyse_partition, files, options, known, pure=False)

        window = max(1, sum(client.nthreads().values())) * PARTITIONS_PER_WORKER
        yield from remote_outcomes(store, files, options, submit, window=window,
                                   size=partition_size or PARTITION_SIZE,
                                   stored_remotely=shared is not None)


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
