"""The worker side of the Dask engine: the pipeline loaded once per worker process, documents
read and extracted a partition at a time."""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Collection
from contextlib import suppress
from pathlib import Path

from distributed import WorkerPlugin

from ..corpus import Failure, Options, analyse_file, guarded
from ..errors import FrontlinesError
from ..store.documents import DocumentRecord

# A sentence that touches every stage: dates, actors, the gazetteer, triggers, control.
WARM_UP_TEXT = "On 6 December 2024, opposition forces captured Ar Rastan near Homs."
# How many times this process loaded the pipeline, per profile: once, whatever the tasks.
WARMED: Counter[str] = Counter()

# What a worker sends back per file: the record to store, None (stored already), or a failure.
Extracted = DocumentRecord | Failure | None


@functools.cache
def warm(profile: str) -> None:
    """Load the gazetteer, the profile and the lexicons into this process's module-level caches
    (`Geocoder.default`, `load_profile`, ...), where every later task finds them."""
    from ..pipeline import extract

    WARMED[profile] += 1
    extract(WARM_UP_TEXT, profile=profile)


class PipelinePlugin(WorkerPlugin):
    """Warms the pipeline on every worker as it joins the cluster, before its first task."""

    def __init__(self, profile: str) -> None:
        self.profile = profile

    def setup(self, worker) -> None:
        with suppress(FrontlinesError):  # a bad profile is reported with each document
            warm(self.profile)


def extract_partition(files: list[tuple[str, str]], options: Options,
                      known: dict[str, Collection[str]]) -> list[Extracted]:
    """Read and extract each (name, location) file; a document whose content is among the
    ids `known` for its name is stored already and is not extracted."""
    with suppress(FrontlinesError):
        warm(options.profile)
    return [guarded(name, functools.partial(_analyse, name, location, options,
                                            known.get(name, ())))
            for name, location in files]


def _analyse(name: str, location: str, options: Options, known: Collection[str]) -> DocumentRecord | None:
    try:
        return analyse_file(Path(location), options, known.__contains__, source=name)
    except FrontlinesError as err:
        if err.path == location:  # name the file as the user gave it
            err.path = name
        raise


def pipeline_loads() -> dict[str, int]:
    """How often this worker loaded the pipeline, its profiles and its gazetteer (each once)."""
    from ..geo.geocoder import Geocoder
    from ..profiles import load_profile

    return {"warmed": sum(WARMED.values()), "profiles": load_profile.cache_info().misses,
            "gazetteers": len(Geocoder._defaults)}
