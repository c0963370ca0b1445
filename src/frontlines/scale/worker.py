"""The worker side of the Dask engine: the pipeline loaded once per worker process as it joins;
the tasks themselves are `frontlines.corpus.analyse_partition` (extract, the client stores)
and `ingest_partition` (extract and store: a database that takes concurrent writers)."""

from __future__ import annotations

from distributed import WorkerPlugin

from ..parallel import loads
from ..pipeline import warm


class PipelinePlugin(WorkerPlugin):
    """Warms the pipeline on every worker as it joins the cluster, before its first task."""

    def __init__(self, profile: str) -> None:
        self.profile = profile

    def setup(self, worker) -> None:
        warm(self.profile)


def pipeline_loads() -> dict[str, int]:
    """How often this worker loaded the pipeline, its profiles and its gazetteer (each once)."""
    return loads()
